/**
 * What a restored copy must show: every confirmation acknowledged (answered 200) before the
 * backup began recorded as a payment with its amount, and `huduma ledger check` and
 * `huduma audit verify` passing on it.
 */
import { sql, type Kysely } from 'kysely';
import type { SentPayment } from './crash-stream.ts';

export type RestoreCheck = Readonly<{
  acknowledgedBeforeBackup: number;
  missing: readonly string[];
  paymentsInCopy: number;
  ledgerCheck: boolean;
  auditVerify: boolean;
}>;

/** The acknowledged receipts that the copy lacks (or holds with another amount). */
export async function missingFromCopy<DB>(db: Kysely<DB>,
  acknowledged: readonly SentPayment[]): Promise<{ missing: string[]; payments: number }> {
  const rows = await sql<{ receipt: string; amount: bigint }>`select provider_reference as receipt,
      amount_minor as amount from payment where provider_reference is not null`.execute(db);
  const amounts = new Map(rows.rows.map((row) => [row.receipt, row.amount]));
  const missing = acknowledged.filter((payment) =>
    amounts.get(payment.receipt) !== payment.shillings * 100n)
    .map((payment) => payment.receipt);
  return { missing, payments: rows.rows.length };
}
