/** The reporting worker's job: fold the daily totals' deltas (safe from several processes). */
import type { ModuleDeps, PeriodicJob } from '#platform/module.ts';
import { foldDailyTotals } from './reporting-totals.ts';

/** Deltas wait at most about this long; reads are exact either way (they add the deltas). */
export const foldEveryMs = 60_000;

export function reportingJobs(deps: ModuleDeps): readonly PeriodicJob[] {
  return [{ name: 'reporting.fold-daily-totals', everyMs: foldEveryMs,
    run: async () => { await foldDailyTotals(deps.db); } }];
}
