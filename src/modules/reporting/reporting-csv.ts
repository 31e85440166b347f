/**
 * The dashboard's tables as CSV, one file each: amounts in major units with two decimals (as
 * the trial balance's CSV), names in English, every field quoted, and a leading = + - @
 * defused so a spreadsheet never runs a name as a formula.
 */
import { money, toMajorString, type Currency } from '#platform/money/index.ts';
import type { Dashboard, Names } from './reporting-dashboard.ts';

export const dashboardCsvTables = ['collections-by-day', 'collections-by-agency',
  'collections-by-service', 'collections-by-channel', 'settlement', 'settlement-lag'] as const;
export type DashboardCsvTable = (typeof dashboardCsvTables)[number];

export function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const major = (amountMinor: bigint, currency: Currency): string =>
  toMajorString(money(amountMinor, currency));
const nameOf = (names: Names, id: string | null): string =>
  id === null ? '' : names.get(id)?.en ?? '';
const optional = (amountMinor: bigint | null, currency: Currency): string =>
  amountMinor === null ? '' : major(amountMinor, currency);

const tables: Readonly<Record<DashboardCsvTable, (dashboard: Dashboard) => string[][]>> = {
  'collections-by-day': (dashboard) => [['day', 'currency', 'amount', 'receipts'],
    ...dashboard.days.map((row) => [row.day, row.currency, major(row.amountMinor, row.currency),
      row.receipts.toString()])],
  'collections-by-agency': (dashboard) => [['agency_id', 'agency', 'currency', 'amount',
    'receipts'], ...dashboard.agencies.map((row) => [row.agencyId ?? '',
    nameOf(dashboard.agencyNames, row.agencyId), row.currency,
    major(row.amountMinor, row.currency), row.receipts.toString()])],
  'collections-by-service': (dashboard) => [['service_id', 'service', 'agency_id', 'agency',
    'currency', 'amount', 'receipts'], ...dashboard.services.map((row) => [row.serviceId ?? '',
    nameOf(dashboard.serviceNames, row.serviceId), row.agencyId ?? '',
    nameOf(dashboard.agencyNames, row.agencyId), row.currency,
    major(row.amountMinor, row.currency), row.receipts.toString()])],
  'collections-by-channel': (dashboard) => [['channel', 'currency', 'amount', 'receipts'],
    ...dashboard.channels.map((row) => [row.channel, row.currency,
      major(row.amountMinor, row.currency), row.receipts.toString()])],
  settlement: (dashboard) => [['currency', 'awaiting_settlement', 'released_less_returned',
    'settled_confirmed', 'in_settlement_clearing', 'suspense'],
  ...dashboard.position.map((row) => [row.currency, major(row.awaitingMinor, row.currency),
    major(row.releasedMinor, row.currency), optional(row.settledMinor, row.currency),
    optional(row.clearingMinor, row.currency), optional(row.suspenseMinor, row.currency)])],
  'settlement-lag': (dashboard) => [['agency_id', 'agency', 'settled_entries', 'median_hours',
    'max_hours', 'oldest_unsettled_at', 'sla_days', 'breached'],
  ...dashboard.lags.map((row) => [row.agencyId, nameOf(dashboard.agencyNames, row.agencyId),
    String(row.settledEntries), row.medianHours === null ? '' : row.medianHours.toFixed(1),
    row.maxHours === null ? '' : row.maxHours.toFixed(1),
    row.oldestUnsettledAt?.toISOString() ?? '', String(row.slaDays),
    row.breached ? 'yes' : 'no'])],
};

/** One table of the dashboard as CSV text. */
export function dashboardCsv(dashboard: Dashboard, table: DashboardCsvTable): string {
  return toCsv(tables[table](dashboard));
}
