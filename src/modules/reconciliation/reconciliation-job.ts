/**
 * The daily Pull Transactions import: every hour, if yesterday (Kenya time) has no completed
 * pulled run yet, pull it and reconcile. Safe to run from several workers: a second import of
 * the same records is a repeat that changes nothing, and payments and postings are idempotent
 * by receipt.
 */
import type { ModuleDeps, PeriodicJob } from '#platform/module.ts';
import { reconcilePull } from './reconciliation-service.ts';
import { reconciliationDb } from './run-repo.ts';
import { kenyaDay, kenyaDayStart } from './statement-formats.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Pulls yesterday unless already done; true when it ran an import. */
export async function pullYesterdayIfDue(deps: ModuleDeps): Promise<boolean> {
  const from = kenyaDayStart(kenyaDay(new Date(deps.clock.now().getTime() - dayMs)));
  const done = await reconciliationDb(deps.db).selectFrom('reconciliation_run').select('id')
    .where('source', '=', 'pull_api').where('window_from', '=', from)
    .where('status', 'in', ['completed', 'repeated']).executeTakeFirst();
  if (done !== undefined) return false;
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
