/**
 * The settlement schedule, run by the workers: each hour, prepare the day's batch per currency
 * (cut-off: the start of today in Nairobi, so yesterday's collections are settled today: T+1;
 * a payee on T+N waits N-1 more days), keyed by currency and day, so running twice, or from
 * two workers, prepares once; and check every payee's lag against its SLA.
 */
import type { ModuleDeps, PeriodicJob } from '#platform/module.ts';
import type { Currency } from '#platform/money/index.ts';
import { checkSettlementSla } from './settlement-lag.ts';
import { prepareBatch } from './settlement-service.ts';

const hourMs = 3_600_000;
const dayMs = 86_400_000;
/** Kenya keeps East Africa Time all year: UTC+3, no daylight saving. */
const nairobiOffsetMs = 3 * hourMs;
const currencies: readonly Currency[] = ['KES', 'USD'];

/** Midnight in Nairobi at the start of the day `now` falls in, and that day's date. */
export function nairobiDayStart(now: Date): { start: Date; date: string } {
  const local = now.getTime() + nairobiOffsetMs;
  const startLocal = Math.floor(local / dayMs) * dayMs;
  return { start: new Date(startLocal - nairobiOffsetMs),
    date: new Date(startLocal).toISOString().slice(0, 10) };
}

/** Prepares today's scheduled batches (idempotent per currency and day). */
export async function prepareDueBatches(deps: Pick<ModuleDeps, 'db'>, now: Date):
  Promise<number> {
  const { start, date } = nairobiDayStart(now);
  let prepared = 0;
  for (const currency of currencies) {
    const result = await prepareBatch(deps, { currency, cutoff: start, now,
      actor: { kind: 'system', id: 'settlement-schedule' }, scheduleKey: `${currency}:${date}` });
    if (result.batch !== undefined && !result.existing) prepared += 1;
  }
  return prepared;
}

export function settlementJobs(deps: ModuleDeps): readonly PeriodicJob[] {
  return [
    { name: 'settlement.prepare-due', everyMs: hourMs,
      run: async () => {
        const prepared = await prepareDueBatches(deps, deps.clock.now());
        if (prepared > 0) deps.logger.info({ prepared }, 'settlement batches prepared');
      } },
    { name: 'settlement.sla-check', everyMs: hourMs,
      run: async () => {
        const raised = await checkSettlementSla(deps.db, deps.clock.now());
        for (const alert of raised) {
          deps.logger.warn({ alertId: alert.id, payee: alert.payee }, 'settlement SLA breached');
        }
      } },
  ];
}
