/**
 * The daily Pull Transactions import: every hour, if yesterday (Kenya time) has no completed
 * pulled run yet, pull it and reconcile. Safe to run from several workers: the first to claim
 * the day imports it and the others skip it (a claim older than an hour, a worker that stopped,
 * may be taken again); even so, a second import of the same records is a repeat that changes
 * nothing, and payments and postings are idempotent by receipt.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { ModuleDeps, PeriodicJob } from '#platform/module.ts';
import { reconcilePull } from './reconciliation-service.ts';
import { reconciliationDb } from './run-repo.ts';
import { kenyaDay, kenyaDayStart } from './statement-formats.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Who this process is, in its claims. */
const workerName = `worker:${randomUUID()}`;

/** Claims the day for this worker; false when another worker's claim is under an hour old. */
async function claimDay(deps: ModuleDeps, from: Date): Promise<boolean> {
  const now = deps.clock.now();
  const result = await sql<{ window_from: Date }>`
    insert into reconciliation_pull_claim (window_from, claimed_by, claimed_at)
    values (${from}, ${workerName}, ${now})
    on conflict (window_from) do update
      set claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at
      where reconciliation_pull_claim.claimed_at < ${new Date(now.getTime() - hourMs)}
    returning window_from`.execute(deps.db);
  return result.rows.length === 1;
}

/** Pulls yesterday unless already done or claimed; true when it ran an import. */
export async function pullYesterdayIfDue(deps: ModuleDeps): Promise<boolean> {
  const from = kenyaDayStart(kenyaDay(new Date(deps.clock.now().getTime() - dayMs)));
  const done = await reconciliationDb(deps.db).selectFrom('reconciliation_run').select('id')
    .where('source', '=', 'pull_api').where('window_from', '=', from)
    .where('status', 'in', ['completed', 'repeated']).executeTakeFirst();
  if (done !== undefined) return false;
  if (!await claimDay(deps, from)) return false;
  const report = await reconcilePull(deps, { from, to: new Date(from.getTime() + dayMs - 1_000),
    startedBy: 'system:reconciliation.daily-pull' });
  deps.logger.info({ runId: report.run.id, status: report.run.status,
    findings: report.run.findingCount }, 'reconciliation: daily pull');
  return true;
}

export function dailyPullJob(deps: ModuleDeps): PeriodicJob {
  return { name: 'reconciliation.daily-pull', everyMs: hourMs,
    run: async () => {
      await pullYesterdayIfDue(deps);
    } };
}
