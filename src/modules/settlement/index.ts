/**
 * Settlement: paying each agency what the ledger holds for it, on its schedule (T+1 by
 * default). A batch fixes the amounts from ledger entries up to a cut-off (an entry is in at
 * most one batch), produces the bank payment file, needs two different approvers, and is
 * marked settled with the bank's reference (docs/settlement.md). Uses payments and the ledger
 * through their index.ts only.
 *
 * - prepareBatch(deps, { currency, cutoff, actor, now, scheduleKey? }) -> { batch, problems }
 * - approveBatch(deps, { batchId, actor, now }): the second different approval (neither the
 *   preparer) releases the batch (ledger: payable -> settlement-clearing).
 * - recordBatchSettled(deps, { batchId, bankReference, actor, now }): clearing -> treasury-bank.
 * - returnLine(deps, { lineId, reason, actor, now }): clearing -> back to the payee.
 * - bankFileCsv(db, batch), checkSettlement(db) (`huduma ledger check`).
 */
import type { HudumaModule } from '#platform/module.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { settlementErrors } from './settlement-errors.ts';
import { settlementJobs } from './settlement-jobs.ts';
import { settlementRoutes } from './settlement-routes.ts';
import { settlementPaths } from './settlement-views.ts';

export {
  listSettledAgencyLinesSince,
  type AgencySettlementEvent,
} from './agency-settlement-events.ts';
export { cancelBatch, type CancelBatchFailure } from './settlement-cancel.ts';
export { bankFileCsv, checkSettlement, type SettlementFinding } from './settlement-check.ts';
export { seedDemoSettlementProfiles } from './settlement-demo-seed.ts';
export {
  findSettlementProfile,
  recordAgencySettlementAccountInTrx,
  settlementAccountProblems,
  type SettlementAccount,
} from './settlement-account.ts';
export { settlementErrors, type SettlementErrorCode } from './settlement-errors.ts';
export { nairobiDayStart, prepareDueBatches, settlementJobs } from './settlement-jobs.ts';
export {
  checkSettlementSla,
  closeSettlementAlert,
  latestLag,
  listSettlementAlerts,
  measureLag,
  type MeasuredLag,
  type PayeeLag,
  type SettlementAlert,
} from './settlement-lag.ts';
export {
  listBatches,
  listBatchSummaries,
  listLines,
  listProfiles,
  settlementDb,
  upsertProfileInTrx,
  type BatchRow,
  type BatchSummary,
  type LineRow,
  type ProfileRow,
} from './settlement-repo.ts';
export {
  approveBatch,
  prepareBatch,
  recordBatchSettled,
  returnLine,
  type Prepared,
  type SettlementFailure,
  type SettlementProblem,
} from './settlement-service.ts';
export type { SettlementTables } from './settlement-tables.ts';
export { settlementPaths } from './settlement-views.ts';

export const settlementModule: HudumaModule = {
  name: 'settlement',
  errors: settlementErrors,
  messages: { en, sw },
  routes: settlementRoutes,
  staffNavigation: [{ href: settlementPaths.page, labelKey: 'settlement.nav',
    permission: 'settlement.read' }],
  periodicJobs: settlementJobs,
};
