/**
 * What the public transparency pages and their open data show, loaded through the reporting
 * read API and the agencies' compliance scorecard: revenue per agency per day or month,
 * settlement lag per agency, services on-boarded per agency, the scorecard. Agencies, amounts
 * and counts only: no payer, no phone, no name of a person, no staff id, anywhere.
 */
import { complianceScorecard, type ScorecardRow } from '#modules/agencies/index.ts';
import type { Database } from '#platform/db/index.ts';
import type { Currency } from '#platform/money/index.ts';
import { namesOf, type Names } from './reporting-dashboard.ts';
import { addDays, kenyaDay } from './reporting-period.ts';
import {
  revenueByAgencyDay,
  revenueByAgencyMonth,
  servicesOnboardedByAgency,
  settlementLagByAgency,
  type AgencyOnboarding,
  type AgencySettlementLag,
  type Period,
} from './reporting-read.ts';

export type RevenueView = 'day' | 'month';

/** One row of revenue: an agency's fees on a day ('YYYY-MM-DD') or in a month ('YYYY-MM'). */
export type RevenueRow = Readonly<{ key: string; agencyId: string; currency: Currency;
  amountMinor: bigint }>;

/** A total over rows (a day or month of every agency; an agency over the period). */
export type RevenueTotal = Readonly<{ key: string; currency: Currency; amountMinor: bigint }>;

export type PublicRevenue = Readonly<{
  period: Period;
  view: RevenueView;
  /** The one agency asked for, if any. */
  agencyId: string | undefined;
  rows: readonly RevenueRow[];
  /** Per day or month, every agency (or the one asked for) together. */
  series: readonly RevenueTotal[];
  /** Per agency over the whole period, largest first (key: the agency id). */
  byAgency: readonly RevenueTotal[];
  names: Names;
}>;

/** The month view's default: the last twelve months to today, in Kenya. */
export function defaultMonthPeriod(now: Date): Period {
  const today = kenyaDay(now);
  const [year = 0, month = 1] = today.split('-').map(Number);
  const start = new Date(Date.UTC(year, month - 1 - 11, 1)).toISOString().slice(0, 10);
  return { from: start, to: today };
}

/** The default period of a view: 30 days for days, twelve months for months. */
export function defaultPeriod(view: RevenueView, now: Date): Period {
  return view === 'month' ? defaultMonthPeriod(now) : { from: addDays(kenyaDay(now), -29),
    to: kenyaDay(now) };
}

function totals(rows: readonly RevenueRow[], keyOf: (row: RevenueRow) => string):
  RevenueTotal[] {
  const sums = new Map<string, RevenueTotal>();
  for (const row of rows) {
    const key = keyOf(row);
    const id = `${key}|${row.currency}`;
    const known = sums.get(id);
    sums.set(id, { key, currency: row.currency,
      amountMinor: (known?.amountMinor ?? 0n) + row.amountMinor });
  }
  return [...sums.values()];
}

/** Revenue rows of the period, per day or per month, for every agency. */
export async function loadRevenueRows(db: Database, period: Period, view: RevenueView):
  Promise<RevenueRow[]> {
  if (view === 'month') {
    return (await revenueByAgencyMonth(db, period)).map((row) => ({ key: row.month,
      agencyId: row.agencyId, currency: row.currency, amountMinor: row.amountMinor }));
  }
  return (await revenueByAgencyDay(db, period)).map((row) => ({ key: row.day,
    agencyId: row.agencyId, currency: row.currency, amountMinor: row.amountMinor }));
}

export async function loadPublicRevenue(db: Database, input: Readonly<{ period: Period;
  view: RevenueView; agencyId?: string | undefined }>): Promise<PublicRevenue> {
  const all = await loadRevenueRows(db, input.period, input.view);
  const rows = input.agencyId === undefined ? all
    : all.filter((row) => row.agencyId === input.agencyId);
  const byAgency = totals(all, (row) => row.agencyId).sort((a, b) =>
    a.amountMinor === b.amountMinor ? a.key.localeCompare(b.key)
      : a.amountMinor > b.amountMinor ? -1 : 1);
  const names = await namesOf(db, 'agency', [...all.map((row) => row.agencyId),
    ...(input.agencyId === undefined ? [] : [input.agencyId])]);
  return { period: input.period, view: input.view, agencyId: input.agencyId, rows,
    series: totals(rows, (row) => row.key).sort((a, b) => a.key.localeCompare(b.key)),
    byAgency, names };
}

export type PublicLags = Readonly<{ asOf: Date; lags: readonly AgencySettlementLag[];
  names: Names }>;

/** The lag as settlement's hourly check last measured it: asOf is when. */
export async function loadPublicLags(db: Database, now: Date): Promise<PublicLags> {
  const lags = await settlementLagByAgency(db, now);
  return { asOf: lags[0]?.measuredAt ?? now, lags,
    names: await namesOf(db, 'agency', lags.map((row) => row.agencyId)) };
}

/** Agencies with at least one service in the catalogue, by name. */
export async function loadPublicServices(db: Database): Promise<AgencyOnboarding[]> {
  return (await servicesOnboardedByAgency(db)).filter((row) => row.total > 0);
}

export async function loadPublicScorecard(db: Database, now: Date): Promise<ScorecardRow[]> {
  return complianceScorecard(db, { now });
}
