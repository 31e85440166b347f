/**
 * The compliance scorecard: one row per agency, from one set-based query over the catalogue
 * and the register. No personal data: counts, sums and the agency's names only, so the public
 * transparency page may show it as it is. Sorting and CSV are pure functions of the rows.
 */
import { sql } from 'kysely';
import type { AgencyScope } from '#modules/authorisation/index.ts';
import type { Database } from '#platform/db/index.ts';
import { toMajorString } from '#platform/money/index.ts';
import {
  complianceScore,
  nairobiDate,
  onboardedPercent,
  twelveMonthsFrom,
} from './compliance-rules.ts';

export type ScorecardRow = Readonly<{
  agencyId: string;
  agencySlug: string;
  agencyNameEn: string;
  agencyNameSw: string | null;
  servicesTotal: number;
  servicesLive: number;
  servicesInProgress: number;
  servicesNotStarted: number;
  servicesExempt: number;
  /** Whole percent of services live (0 when the agency has none catalogued). */
  onboardedPercent: number;
  /** Legacy paybills not yet closed (those past their closure date included). */
  legacyPaybillsOpen: number;
  legacyPaybillsPastClosure: number;
  exemptionsActive: number;
  exemptionsExpired: number;
  /** Notices not closed (issued or answered); overdue ones included. */
  noticesOpen: number;
  noticesOverdue: number;
  /** Declared collected outside the platform in the twelve months to today (minor units). */
  outsideRevenueKesMinor: bigint;
  outsideRevenueUsdMinor: bigint;
  alertsOpen: number;
  /** 0 to 100; docs/compliance.md. */
  score: number;
}>;

type ScorecardQueryRow = Readonly<{
  agency_id: string; slug: string; name_en: string; name_sw: string | null;
  services_total: number; services_live: number; services_in_progress: number;
  services_not_started: number; services_exempt: number; paybills_open: number;
  paybills_past: number; exemptions_active: number; exemptions_expired: number;
  notices_open: number; notices_overdue: number; outside_kes: bigint | string;
  outside_usd: bigint | string; alerts_open: number;
}>;

/**
 * Every agency in `scope` (all by default), ordered by name, as of `now`'s Nairobi day.
 * Stable signature: the public transparency page calls `complianceScorecard(db)`.
 */
export async function complianceScorecard(db: Database, options: Readonly<{
  now?: Date; scope?: AgencyScope }> = {}): Promise<ScorecardRow[]> {
  const today = nairobiDate(options.now ?? new Date());
  const since = twelveMonthsFrom(today);
  const scope = options.scope ?? 'all';
  const inScope = scope === 'all' ? sql`true` : sql`a.id = ${scope}::uuid`;
  const result = await sql<ScorecardQueryRow>`
    with svc as (
      select agency_id, count(*)::int as total,
        count(*) filter (where onboarding_status = 'live')::int as live,
        -- A service in its sandbox is being on-boarded (docs/decisions/0008).
        count(*) filter (where onboarding_status in ('in_progress', 'sandbox'))::int
          as in_progress,
        count(*) filter (where onboarding_status = 'not_started')::int as not_started,
        count(*) filter (where onboarding_status = 'exempt')::int as exempt
      from service group by agency_id),
    pb as (
      select agency_id, count(*) filter (where closed_on is null)::int as open,
        count(*) filter (where closed_on is null and closure_due_on < ${today}::date)::int
          as past
      from compliance_legacy_paybill group by agency_id),
    ex as (
      select agency_id,
        count(*) filter (where approved_by is not null and expires_on >= ${today}::date)::int
          as active,
        count(*) filter (where approved_by is not null and expires_on < ${today}::date)::int
          as expired
      from compliance_exemption group by agency_id),
    nt as (
      select agency_id, count(*) filter (where state <> 'closed')::int as open,
        count(*) filter (where state = 'issued' and deadline_on < ${today}::date)::int
          as overdue
      from compliance_notice group by agency_id),
    rv as (
      select agency_id,
        coalesce(sum(amount_minor) filter (where currency = 'KES'), 0)::int8 as kes,
        coalesce(sum(amount_minor) filter (where currency = 'USD'), 0)::int8 as usd
      from compliance_outside_revenue where month >= ${since}::date group by agency_id),
    al as (
      select agency_id, count(*)::int as open from compliance_alert
      where resolved_at is null group by agency_id)
    select a.id as agency_id, a.slug, a.name_en, a.name_sw,
      coalesce(svc.total, 0) as services_total, coalesce(svc.live, 0) as services_live,
      coalesce(svc.in_progress, 0) as services_in_progress,
      coalesce(svc.not_started, 0) as services_not_started,
      coalesce(svc.exempt, 0) as services_exempt,
      coalesce(pb.open, 0) as paybills_open, coalesce(pb.past, 0) as paybills_past,
      coalesce(ex.active, 0) as exemptions_active, coalesce(ex.expired, 0) as exemptions_expired,
      coalesce(nt.open, 0) as notices_open, coalesce(nt.overdue, 0) as notices_overdue,
      coalesce(rv.kes, 0::int8) as outside_kes, coalesce(rv.usd, 0::int8) as outside_usd,
      coalesce(al.open, 0) as alerts_open
    from agency a
    left join svc on svc.agency_id = a.id
    left join pb on pb.agency_id = a.id
    left join ex on ex.agency_id = a.id
    left join nt on nt.agency_id = a.id
    left join rv on rv.agency_id = a.id
    left join al on al.agency_id = a.id
    where ${inScope}
    order by a.name_en, a.id`.execute(db);
  return result.rows.map(scorecardRowOf);
}

function scorecardRowOf(row: ScorecardQueryRow): ScorecardRow {
  const outsideKes = BigInt(row.outside_kes);
  const outsideUsd = BigInt(row.outside_usd);
  return {
    agencyId: row.agency_id, agencySlug: row.slug, agencyNameEn: row.name_en,
    agencyNameSw: row.name_sw, servicesTotal: row.services_total,
    servicesLive: row.services_live, servicesInProgress: row.services_in_progress,
    servicesNotStarted: row.services_not_started, servicesExempt: row.services_exempt,
    onboardedPercent: onboardedPercent(row.services_live, row.services_total),
    legacyPaybillsOpen: row.paybills_open, legacyPaybillsPastClosure: row.paybills_past,
    exemptionsActive: row.exemptions_active, exemptionsExpired: row.exemptions_expired,
    noticesOpen: row.notices_open, noticesOverdue: row.notices_overdue,
    outsideRevenueKesMinor: outsideKes, outsideRevenueUsdMinor: outsideUsd,
    alertsOpen: row.alerts_open,
    score: complianceScore({ servicesTotal: row.services_total,
      servicesLive: row.services_live, legacyPaybillsOpen: row.paybills_open,
      legacyPaybillsPastClosure: row.paybills_past, exemptionsExpired: row.exemptions_expired,
      noticesOverdue: row.notices_overdue,
      outsideRevenueDeclared: outsideKes > 0n || outsideUsd > 0n }),
  };
}

/** The columns the scorecard sorts by (?sort=), each a field of the row. */
export const scorecardColumns = ['agency', 'servicesLive', 'servicesTotal',
  'onboardedPercent', 'legacyPaybillsOpen', 'legacyPaybillsPastClosure', 'exemptionsActive',
  'exemptionsExpired', 'noticesOpen', 'noticesOverdue', 'outsideRevenueKesMinor',
  'outsideRevenueUsdMinor', 'alertsOpen', 'score'] as const;
export type ScorecardColumn = (typeof scorecardColumns)[number];
export type SortDirection = 'asc' | 'desc';

export function isScorecardColumn(value: string): value is ScorecardColumn {
  return (scorecardColumns as readonly string[]).includes(value);
}

function compareBy(column: ScorecardColumn, left: ScorecardRow, right: ScorecardRow): number {
  if (column === 'agency') return left.agencyNameEn.localeCompare(right.agencyNameEn, 'en');
  const a = left[column];
  const b = right[column];
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rows sorted by `column` (ties by agency name, then id), a new array. */
export function sortScorecard(rows: readonly ScorecardRow[], column: ScorecardColumn,
  direction: SortDirection): ScorecardRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((left, right) => sign * compareBy(column, left, right) ||
    left.agencyNameEn.localeCompare(right.agencyNameEn, 'en') ||
    (left.agencyId < right.agencyId ? -1 : 1));
}

const csvHeader = ['agency_id', 'agency_slug', 'agency_name', 'services_total',
  'services_live', 'services_in_progress', 'services_not_started', 'services_exempt',
  'onboarded_percent', 'legacy_paybills_open', 'legacy_paybills_past_closure',
  'exemptions_active', 'exemptions_expired', 'notices_open', 'notices_overdue',
  'outside_revenue_12m_kes', 'outside_revenue_12m_usd', 'alerts_open', 'score'];

/** RFC 4180 quoting; a leading =, +, - or @ is neutralised so a spreadsheet runs no formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The rows as CSV (CRLF lines, a header first); amounts in major units with the cents. */
export function scorecardCsv(rows: readonly ScorecardRow[]): string {
  const lines = rows.map((row) => [row.agencyId, row.agencySlug, row.agencyNameEn,
    row.servicesTotal, row.servicesLive, row.servicesInProgress, row.servicesNotStarted,
    row.servicesExempt, row.onboardedPercent, row.legacyPaybillsOpen,
    row.legacyPaybillsPastClosure, row.exemptionsActive, row.exemptionsExpired,
    row.noticesOpen, row.noticesOverdue,
    toMajorString({ amountMinor: row.outsideRevenueKesMinor, currency: 'KES' }),
    toMajorString({ amountMinor: row.outsideRevenueUsdMinor, currency: 'USD' }),
    row.alertsOpen, row.score].map((value) => csvField(String(value))).join(','));
  return [csvHeader.join(','), ...lines].join('\r\n') + '\r\n';
}
