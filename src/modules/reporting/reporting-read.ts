/**
 * The read functions of the reporting module: collections and revenue by day, month, agency,
 * service and channel from the precomputed daily totals (exact: totals + unfolded deltas in
 * one statement), settlement lag per agency, and services on-boarded per agency. No personal
 * data: agencies, services, channels and amounts only. Periods are Kenya calendar days
 * ('YYYY-MM-DD'), both ends included.
 */
import { sql } from 'kysely';
import { latestLag } from '#modules/settlement/index.ts';
import type { Database } from '#platform/db/index.ts';
import type { Currency } from '#platform/money/index.ts';
import { sourceOf, type ReportSource } from './reporting-totals.ts';

/** Kenya calendar days, both included. */
export type Period = Readonly<{ from: string; to: string }>;
/** 'all', or the one agency a reader may see. */
export type AgencyFilter = 'all' | string;

export type CollectionTotal = Readonly<{ currency: Currency; amountMinor: bigint;
  receipts: bigint }>;
export type DayCollection = CollectionTotal & Readonly<{ day: string }>;
export type AgencyCollection = CollectionTotal & Readonly<{ agencyId: string | null }>;
export type ServiceCollection = CollectionTotal & Readonly<{ serviceId: string | null;
  agencyId: string | null }>;
export type ChannelCollection = CollectionTotal & Readonly<{ channel: string }>;

type Row = { currency: Currency; amount_minor: bigint; receipt_count: bigint };
const total = (row: Row): CollectionTotal => ({ currency: row.currency,
  amountMinor: BigInt(row.amount_minor), receipts: BigInt(row.receipt_count) });

function collectionsWhere(period: Period, agency: AgencyFilter) {
  return agency === 'all'
    ? sql`day between ${period.from}::date and ${period.to}::date`
    : sql`day between ${period.from}::date and ${period.to}::date
        and agency_id = ${agency}::uuid`;
}

/** Collections per Kenya day and currency (days with none are absent). */
export async function collectionsByDay(db: Database, period: Period,
  agency: AgencyFilter = 'all', source: ReportSource = 'totals'): Promise<DayCollection[]> {
  const result = await sql<Row & { day: string }>`
    select to_char(day, 'YYYY-MM-DD') as day, currency, sum(amount_minor)::int8 as amount_minor,
      sum(receipt_count)::int8 as receipt_count
    from ${sourceOf(source).collections} c where ${collectionsWhere(period, agency)}
    group by day, currency order by day, currency`.execute(db);
  return result.rows.map((row) => ({ day: row.day, ...total(row) }));
}

/** Collections per agency (null: receipts that named no invoice), largest first. */
export async function collectionsByAgency(db: Database, period: Period,
  agency: AgencyFilter = 'all', source: ReportSource = 'totals'): Promise<AgencyCollection[]> {
  const result = await sql<Row & { agency_id: string | null }>`
    select agency_id, currency, sum(amount_minor)::int8 as amount_minor,
      sum(receipt_count)::int8 as receipt_count
    from ${sourceOf(source).collections} c where ${collectionsWhere(period, agency)}
    group by agency_id, currency order by 3 desc, agency_id nulls last, currency`.execute(db);
  return result.rows.map((row) => ({ agencyId: row.agency_id, ...total(row) }));
}

/** Collections per service (with its agency), largest first. */
export async function collectionsByService(db: Database, period: Period,
  agency: AgencyFilter = 'all', source: ReportSource = 'totals'): Promise<ServiceCollection[]> {
  const result = await sql<Row & { agency_id: string | null; service_id: string | null }>`
    select agency_id, service_id, currency, sum(amount_minor)::int8 as amount_minor,
      sum(receipt_count)::int8 as receipt_count
    from ${sourceOf(source).collections} c where ${collectionsWhere(period, agency)}
    group by agency_id, service_id, currency
    order by 4 desc, service_id nulls last, currency`.execute(db);
  return result.rows.map((row) => ({ agencyId: row.agency_id, serviceId: row.service_id,
    ...total(row) }));
}

/** Collections per channel (the collection account, e.g. collection:mpesa:222222). */
export async function collectionsByChannel(db: Database, period: Period,
  agency: AgencyFilter = 'all', source: ReportSource = 'totals'): Promise<ChannelCollection[]> {
  const result = await sql<Row & { channel: string }>`
    select channel, currency, sum(amount_minor)::int8 as amount_minor,
      sum(receipt_count)::int8 as receipt_count
    from ${sourceOf(source).collections} c where ${collectionsWhere(period, agency)}
    group by channel, currency order by 3 desc, channel, currency`.execute(db);
  return result.rows.map((row) => ({ channel: row.channel, ...total(row) }));
}

export type AgencyRevenue = Readonly<{ agencyId: string; currency: Currency;
  amountMinor: bigint }>;
export type AgencyDayRevenue = AgencyRevenue & Readonly<{ day: string }>;
export type AgencyMonthRevenue = AgencyRevenue & Readonly<{ month: string }>;

/**
 * Revenue: the fees an agency earned (its payable credited when an invoice was fully paid,
 * less invoices withdrawn for a refund), by the Kenya day the invoice was covered.
 */
function revenueRows(period: Period, source: ReportSource) {
  return sql`(select day, substr(account, length('payable:agency:') + 1) as agency_id, currency,
      sum(credit_minor - debit_minor)::int8 as amount_minor
    from ${sourceOf(source).movements} m
    where account like 'payable:agency:%'
      and entry_code in ('INVOICE_COVERED', 'INVOICE_COVERAGE_WITHDRAWN')
      and day between ${period.from}::date and ${period.to}::date
    group by 1, 2, 3)`;
}

/** Revenue per agency per Kenya day (no personal data: for the public pages too). */
export async function revenueByAgencyDay(db: Database, period: Period,
  source: ReportSource = 'totals'):
  Promise<AgencyDayRevenue[]> {
  const result = await sql<{ day: string; agency_id: string; currency: Currency;
    amount_minor: bigint }>`
    select to_char(day, 'YYYY-MM-DD') as day, agency_id, currency, amount_minor
    from ${revenueRows(period, source)} r order by day, agency_id, currency`.execute(db);
  return result.rows.map((row) => ({ day: row.day, agencyId: row.agency_id,
    currency: row.currency, amountMinor: BigInt(row.amount_minor) }));
}

/** Revenue per agency per month ('YYYY-MM', Kenya time) over the days of the period. */
export async function revenueByAgencyMonth(db: Database, period: Period,
  source: ReportSource = 'totals'):
  Promise<AgencyMonthRevenue[]> {
  const result = await sql<{ month: string; agency_id: string; currency: Currency;
    amount_minor: bigint }>`
    select to_char(day, 'YYYY-MM') as month, agency_id, currency,
      sum(amount_minor)::int8 as amount_minor
    from ${revenueRows(period, source)} r group by 1, 2, 3 order by 1, 2, 3`.execute(db);
  return result.rows.map((row) => ({ month: row.month, agencyId: row.agency_id,
    currency: row.currency, amountMinor: BigInt(row.amount_minor) }));
}

export type AgencySettlementLag = Readonly<{ agencyId: string; settledEntries: number;
  medianHours: number | null; maxHours: number | null; oldestUnsettledAt: Date | null;
  slaDays: number; breached: boolean; measuredAt: Date }>;

/**
 * Settlement lag per agency, Treasury's line left out: settlement's measure as its hourly SLA
 * check last took it (each row says when), so no ledger line is read here.
 */
export async function settlementLagByAgency(db: Database, now: Date,
  agency: AgencyFilter = 'all'): Promise<AgencySettlementLag[]> {
  const { measuredAt, lags } = await latestLag(db, now);
  return lags.filter((lag) => lag.payee !== 'treasury' &&
    (agency === 'all' || lag.payee === agency)).map((lag) => ({ agencyId: lag.payee,
    settledEntries: lag.settledEntries, medianHours: lag.medianHours, maxHours: lag.maxHours,
    oldestUnsettledAt: lag.oldestUnsettledAt, slaDays: lag.slaDays, breached: lag.breached,
    measuredAt }));
}

export type AgencyOnboarding = Readonly<{ agencyId: string; nameEn: string;
  nameSw: string | null; live: number; inProgress: number; notStarted: number;
  exempt: number; sandbox: number; total: number }>;

/** Services on-boarded per agency: how many of its services are live, in progress, etc. */
export async function servicesOnboardedByAgency(db: Database):
  Promise<AgencyOnboarding[]> {
  const result = await sql<{ agency_id: string; name_en: string; name_sw: string | null;
    live: number; in_progress: number; not_started: number; exempt: number; sandbox: number;
    total: number }>`
    select a.id as agency_id, a.name_en, a.name_sw,
      count(s.id) filter (where s.onboarding_status = 'live')::int4 as live,
      count(s.id) filter (where s.onboarding_status = 'in_progress')::int4 as in_progress,
      count(s.id) filter (where s.onboarding_status = 'not_started')::int4 as not_started,
      count(s.id) filter (where s.onboarding_status = 'exempt')::int4 as exempt,
      count(s.id) filter (where s.onboarding_status = 'sandbox')::int4 as sandbox,
      count(s.id)::int4 as total
    from agency a left join service s on s.agency_id = a.id
    group by a.id, a.name_en, a.name_sw order by a.name_en, a.id`.execute(db);
  return result.rows.map((row) => ({ agencyId: row.agency_id, nameEn: row.name_en,
    nameSw: row.name_sw, live: row.live, inProgress: row.in_progress,
    notStarted: row.not_started, exempt: row.exempt, sandbox: row.sandbox, total: row.total }));
}
