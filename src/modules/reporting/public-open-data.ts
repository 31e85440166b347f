/**
 * The open data behind the transparency pages, one table per dataset, declared once: each
 * column's stable name, type and meaning, and how a row fills it. From that one declaration
 * come the CSV (a header row, then every row, RFC 4180 quoting, a leading = + - @ defused), the
 * JSON ({ dataset, ..., items: [{ column: value }] }) and the JSON's schema in the OpenAPI
 * document. Money is a decimal string of minor units (amount_minor) and in major units with two
 * decimals (amount): never a float. docs/transparency.md lists every column.
 */
import { Type, type TSchema } from 'typebox';
import type { ScorecardRow } from '#modules/agencies/index.ts';
import { money, toMajorString } from '#platform/money/index.ts';
import { toCsv } from './reporting-csv.ts';
import type { Names } from './reporting-dashboard.ts';
import type { AgencyOnboarding, AgencySettlementLag } from './reporting-read.ts';
import type { RevenueRow } from './public-data.ts';

type Value = string | number | boolean | null;
type ColumnType = 'string' | 'integer' | 'number' | 'boolean';

export type Column<Row> = Readonly<{
  name: string;
  type: ColumnType;
  nullable?: boolean;
  description: string;
  value: (row: Row) => Value;
}>;

export const openDatasets = ['revenue', 'revenue-monthly', 'settlement-lag', 'services',
  'scorecard'] as const;
export type OpenDataset = (typeof openDatasets)[number];

const agencyName = (names: Names) => (id: string): string => names.get(id)?.en ?? '';

export function revenueColumns(names: Names, view: 'day' | 'month'): Column<RevenueRow>[] {
  return [
    view === 'day'
      ? { name: 'day', type: 'string', description: 'Kenya calendar day, YYYY-MM-DD',
        value: (row) => row.key }
      : { name: 'month', type: 'string', description: 'Kenya calendar month, YYYY-MM',
        value: (row) => row.key },
    { name: 'agency_id', type: 'string', description: 'The agency (catalogue id)',
      value: (row) => row.agencyId },
    { name: 'agency_name', type: 'string', description: 'The agency\'s name (English)',
      value: (row) => agencyName(names)(row.agencyId) },
    { name: 'currency', type: 'string', description: 'ISO 4217: KES or USD',
      value: (row) => row.currency },
    { name: 'amount', type: 'string', description: 'Revenue in major units, two decimals',
      value: (row) => toMajorString(money(row.amountMinor, row.currency)) },
    { name: 'amount_minor', type: 'string',
      description: 'Revenue in minor units (cents), a decimal integer',
      value: (row) => row.amountMinor.toString() },
  ];
}

export function lagColumns(names: Names): Column<AgencySettlementLag>[] {
  return [
    { name: 'agency_id', type: 'string', description: 'The agency (catalogue id)',
      value: (row) => row.agencyId },
    { name: 'agency_name', type: 'string', description: 'The agency\'s name (English)',
      value: (row) => agencyName(names)(row.agencyId) },
    { name: 'settled_entries', type: 'integer',
      description: 'Collections settled in the last 30 days', value: (row) => row.settledEntries },
    { name: 'median_hours', type: 'number', nullable: true,
      description: 'Median hours from collection to settlement', value: (row) => row.medianHours },
    { name: 'max_hours', type: 'number', nullable: true,
      description: 'Longest hours from collection to settlement', value: (row) => row.maxHours },
    { name: 'oldest_unsettled_at', type: 'string', nullable: true,
      description: 'When the oldest money still waiting was collected (ISO 8601 UTC)',
      value: (row) => row.oldestUnsettledAt?.toISOString() ?? null },
    { name: 'sla_days', type: 'integer', description: 'The agency\'s settlement SLA in days',
      value: (row) => row.slaDays },
    { name: 'within_sla', type: 'boolean', description: 'False when money waits past the SLA',
      value: (row) => !row.breached },
  ];
}

export function servicesColumns(): Column<AgencyOnboarding>[] {
  const count = (name: string, description: string,
    value: (row: AgencyOnboarding) => number): Column<AgencyOnboarding> =>
    ({ name, type: 'integer', description, value });
  return [
    { name: 'agency_id', type: 'string', description: 'The agency (catalogue id)',
      value: (row) => row.agencyId },
    { name: 'agency_name', type: 'string', description: 'The agency\'s name (English)',
      value: (row) => row.nameEn },
    count('live', 'Services taking applications and payments on Huduma', (row) => row.live),
    count('in_progress', 'Services being on-boarded', (row) => row.inProgress),
    count('not_started', 'Services not yet on-boarded', (row) => row.notStarted),
    count('exempt', 'Services exempted from on-boarding', (row) => row.exempt),
    count('sandbox', 'Services in the sandbox (testing)', (row) => row.sandbox),
    count('total', 'Services in the catalogue', (row) => row.total),
  ];
}

export function scorecardColumns(): Column<ScorecardRow>[] {
  const count = (name: string, description: string,
    value: (row: ScorecardRow) => number): Column<ScorecardRow> =>
    ({ name, type: 'integer', description, value });
  return [
    { name: 'agency_id', type: 'string', description: 'The agency (catalogue id)',
      value: (row) => row.agencyId },
    { name: 'agency_slug', type: 'string', description: 'The agency\'s address on Huduma',
      value: (row) => row.agencySlug },
    { name: 'agency_name', type: 'string', description: 'The agency\'s name (English)',
      value: (row) => row.agencyNameEn },
    count('services_total', 'Services in the catalogue', (row) => row.servicesTotal),
    count('services_live', 'Services live on Huduma', (row) => row.servicesLive),
    count('onboarded_percent', 'Whole percent of services live', (row) => row.onboardedPercent),
    count('legacy_paybills_open', 'Collection accounts outside Huduma not yet closed',
      (row) => row.legacyPaybillsOpen),
    count('legacy_paybills_past_closure', 'Of those, past the date promised for closing',
      (row) => row.legacyPaybillsPastClosure),
    count('exemptions_active', 'Exemptions in force', (row) => row.exemptionsActive),
    count('exemptions_expired', 'Exemptions expired', (row) => row.exemptionsExpired),
    count('notices_open', 'Comply-or-explain notices not closed', (row) => row.noticesOpen),
    count('notices_overdue', 'Notices unanswered past their deadline',
      (row) => row.noticesOverdue),
    { name: 'outside_revenue_12m_kes', type: 'string',
      description: 'KES declared collected outside Huduma in 12 months, major units',
      value: (row) => toMajorString(money(row.outsideRevenueKesMinor, 'KES')) },
    { name: 'outside_revenue_12m_usd', type: 'string',
      description: 'USD declared collected outside Huduma in 12 months, major units',
      value: (row) => toMajorString(money(row.outsideRevenueUsdMinor, 'USD')) },
    count('alerts_open', 'Compliance alerts open', (row) => row.alertsOpen),
    count('score', 'Compliance score, 0 to 100 (docs/compliance.md)', (row) => row.score),
  ];
}

/** A table as CSV: the header row, then one line per row. */
export function openDataCsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  return toCsv([columns.map((column) => column.name), ...rows.map((row) =>
    columns.map((column) => {
      const value = column.value(row);
      return value === null ? '' : String(value);
    }))]);
}

/** A table's rows as JSON items ({ column: value }). */
export function openDataItems<Row>(columns: readonly Column<Row>[], rows: readonly Row[]):
  Record<string, Value>[] {
  return rows.map((row) => Object.fromEntries(columns.map((column) =>
    [column.name, column.value(row)])));
}

function columnSchema(column: Column<never>): TSchema {
  const base = column.type === 'string' ? Type.String()
    : column.type === 'integer' ? Type.Integer()
      : column.type === 'number' ? Type.Number() : Type.Boolean();
  const typed = column.nullable === true ? Type.Union([base, Type.Null()]) : base;
  return { ...typed, description: column.description };
}

/** The JSON schema of a dataset's answer: its header fields, then the items. */
export function openDataSchema(columns: readonly Column<never>[],
  header: Readonly<Record<string, TSchema>>): TSchema {
  return Type.Object({
    dataset: Type.String(),
    ...header,
    items: Type.Array(Type.Object(Object.fromEntries(columns.map((column) =>
      [column.name, columnSchema(column)])))),
  });
}

/** A refusal (a period that is not one): RFC 9457 problem details with a stable code. */
export const ProblemJson = Type.Object({
  type: Type.String(), title: Type.String(), status: Type.Integer(), code: Type.String(),
  detail: Type.Optional(Type.String()),
}, { description: 'RFC 9457 problem details, with a stable code (docs/errors.md).' });
