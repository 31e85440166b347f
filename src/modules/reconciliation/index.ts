/**
 * Reconciliation: proving the books against the provider's statement. Imports the paybill
 * statement (CSV from the M-Pesa organisation portal, streamed) and Pull Transactions, matches
 * every line by receipt and classifies it (matched, missing callback, mismatch, duplicate,
 * sweep, charge, refund payout, unknown withdrawal), checks the collection account's balance
 * against the statement's running balance line by line, and reports per run and per day
 * (docs/reconciliation.md). Uses payments and the ledger through their index.ts only.
 *
 * - reconcileStatementCsv(deps, { csv: Readable, shortcode, startedBy, onProgress? }) and
 *   reconcilePull(deps, { from, to, startedBy, client?, onProgress? }) -> RunReport: the run
 *   (completed, repeated or rejected) with its counts and amounts per class and finding.
 * - Pages under /staff/reconciliation (reconciliationPaths); a daily job pulls yesterday.
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { dailyPullJob } from './reconciliation-job.ts';
import { reconciliationErrors } from './reconciliation-errors.ts';
import { reconciliationRoutes } from './reconciliation-routes.ts';
import { reconciliationPaths } from './reconciliation-views.ts';

export {
  reconcilePull,
  reconcileStatementCsv,
  type RunReport,
} from './reconciliation-service.ts';
export { reconciliationErrors, type ReconciliationErrorCode } from './reconciliation-errors.ts';
export { reconciliationPaths } from './reconciliation-views.ts';
export type { ReconciliationTables } from './reconciliation-tables.ts';
/** Writes statement CSV text as the portal exports it (tests, demos, benches). */
export { statementText, type TestLine as StatementTextLine } from './test-statement.ts';

export const reconciliationModule: HudumaModule = {
  name: 'reconciliation',
  errors: reconciliationErrors,
  messages: { en, sw },
  staffNavigation: [{ href: reconciliationPaths.page, labelKey: 'reconciliation.nav',
    permission: 'reconciliation.read' }],
  routes: reconciliationRoutes,
  periodicJobs: (deps) => [dailyPullJob(deps)],
};
