/**
 * Reporting: the Treasury dashboard, and the read functions the public transparency pages and
 * open-data exports use. Reporting reads, never writes another module's rows: it keeps its own
 * derived tables, the precomputed daily totals (docs/reporting.md, docs/decisions/0010), which
 * a trigger on the ledger keeps exact in the posting's own transaction.
 *
 * Read API (stable; periods are Kenya calendar days 'YYYY-MM-DD', both ends included; no
 * personal data in any answer):
 * - revenueByAgencyDay(db, period), revenueByAgencyMonth(db, period): fees each agency earned.
 * - collectionsByDay / ByAgency / ByService / ByChannel(db, period, agency = 'all'): money
 *   received, exact to the cent.
 * - settlementLagByAgency(db, now, agency = 'all'): settlement's lag measure per agency.
 * - servicesOnboardedByAgency(db): each agency's services by on-boarding status.
 * - foldDailyTotals(db), checkDailyTotals(db): the fold job and the exactness check
 *   (`huduma ledger check`).
 */
import type { HudumaModule } from '#platform/module.ts';
import { joinBundles } from '#web/index.ts';
import en from './locales/en.json' with { type: 'json' };
import publicEn from './locales/public-en.json' with { type: 'json' };
import publicSw from './locales/public-sw.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { publicRoutes } from './public-routes.ts';
import { reportingErrors } from './reporting-errors.ts';
import { reportingJobs } from './reporting-jobs.ts';
import { reportingRoutes } from './reporting-routes.ts';
import { reportingPaths } from './reporting-views.ts';

export {
  proveAccessFees,
  type AccessFeeCase,
  type AccessFeeMismatch,
  type AccessFeeProof,
  type AccessFeeTotals,
} from './reporting-access-fees.ts';
export { loadDashboard, type Dashboard } from './reporting-dashboard.ts';
export { reportingErrors, type ReportingErrorCode } from './reporting-errors.ts';
export { foldEveryMs, reportingJobs } from './reporting-jobs.ts';
export {
  collectionsByAgency,
  collectionsByChannel,
  collectionsByDay,
  collectionsByService,
  revenueByAgencyDay,
  revenueByAgencyMonth,
  servicesOnboardedByAgency,
  settlementLagByAgency,
  type AgencyCollection,
  type AgencyDayRevenue,
  type AgencyFilter,
  type AgencyMonthRevenue,
  type AgencyOnboarding,
  type AgencyRevenue,
  type AgencySettlementLag,
  type ChannelCollection,
  type CollectionTotal,
  type DayCollection,
  type Period,
  type ServiceCollection,
} from './reporting-read.ts';
export { parsePeriod, periodDaysMax } from './reporting-period.ts';
export { settlementPosition, type SettlementPosition } from './reporting-position.ts';
export {
  checkDailyTotals,
  foldDailyTotals,
  type DailyTotalsFinding,
  type FoldReport,
  type ReportSource,
} from './reporting-totals.ts';
export { reportingPaths } from './reporting-views.ts';

export const reportingModule: HudumaModule = {
  name: 'reporting',
  errors: reportingErrors,
  messages: joinBundles([{ en, sw }, { en: publicEn, sw: publicSw }]),
  routes: async (app, deps) => {
    await reportingRoutes(app, deps);
    // The public transparency pages and open data (docs/transparency.md).
    await publicRoutes(app, deps);
  },
  staffNavigation: [{ href: reportingPaths.dashboard, labelKey: 'reporting.nav',
    permission: 'reports.read' }],
  periodicJobs: reportingJobs,
};
