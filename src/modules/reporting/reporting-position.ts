/**
 * Settled against awaiting settlement, and the suspense balance, from the precomputed
 * movements (exact: totals + unfolded deltas in one statement). For one agency: its payable's
 * balance and what was released from it to the bank (less returns); platform-wide: every
 * payee (agency payables and the access fees owed to Treasury), the settlements the bank
 * confirmed, settlement-clearing, and suspense.
 */
import { sql } from 'kysely';
import type { Database } from '#platform/db/index.ts';
import type { Currency } from '#platform/money/index.ts';
import type { AgencyFilter, Period } from './reporting-read.ts';
import { sourceOf, type ReportSource } from './reporting-totals.ts';

export type SettlementPosition = Readonly<{
  currency: Currency;
  /** Owed to payees at the end of the period, not yet released to the bank. */
  awaitingMinor: bigint;
  /** Released to the bank during the period, less lines the bank returned. */
  releasedMinor: bigint;
  /** Platform-wide only (null for one agency): confirmed paid by the bank in the period. */
  settledMinor: bigint | null;
  /** Platform-wide only: released and not yet confirmed, at the end of the period. */
  clearingMinor: bigint | null;
  /** Platform-wide only: receipts matching no invoice, at the end of the period. */
  suspenseMinor: bigint | null;
}>;

function payeeAccounts(agency: AgencyFilter) {
  return agency === 'all'
    ? sql`(account like 'payable:agency:%' or account = 'revenue:access-fee')`
    : sql`account = ${`payable:agency:${agency}`}`;
}

/** One row per currency with any movement up to the end of the period. */
export async function settlementPosition(db: Database, period: Period,
  agency: AgencyFilter = 'all', source: ReportSource = 'totals'): Promise<SettlementPosition[]> {
  const payee = payeeAccounts(agency);
  const inPeriod = sql`day between ${period.from}::date and ${period.to}::date`;
  const result = await sql<{ currency: Currency; awaiting: bigint; released: bigint;
    settled: bigint; clearing: bigint; suspense: bigint }>`
    select currency,
      coalesce(sum(credit_minor - debit_minor) filter (where ${payee}), 0)::int8 as awaiting,
      coalesce(sum(case when entry_code = 'SETTLEMENT_RELEASED_TO_BANK' then debit_minor
        when entry_code = 'SETTLEMENT_RETURNED_BY_BANK' then -credit_minor else 0 end)
        filter (where ${payee} and ${inPeriod}), 0)::int8 as released,
      coalesce(sum(debit_minor) filter (where account = 'settlement-clearing'
        and entry_code = 'AGENCY_SETTLEMENT_CONFIRMED_BY_BANK' and ${inPeriod}), 0)::int8
        as settled,
      coalesce(sum(credit_minor - debit_minor)
        filter (where account = 'settlement-clearing'), 0)::int8 as clearing,
      coalesce(sum(credit_minor - debit_minor) filter (where account = 'suspense'), 0)::int8
        as suspense
    from ${sourceOf(source).movements} m
    where day <= ${period.to}::date
    group by currency order by currency`.execute(db);
  const platformWide = agency === 'all';
  return result.rows.map((row) => ({ currency: row.currency,
    awaitingMinor: BigInt(row.awaiting), releasedMinor: BigInt(row.released),
    settledMinor: platformWide ? BigInt(row.settled) : null,
    clearingMinor: platformWide ? BigInt(row.clearing) : null,
    suspenseMinor: platformWide ? BigInt(row.suspense) : null }));
}
