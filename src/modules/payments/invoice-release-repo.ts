/**
 * SQL of invoice releases and withdrawals (migrations/202612041800_create-invoice-release.sql):
 * a paid bill whose subject will not be served, released by the subject's owner; and a paid
 * bill taken back for a refund. Functions ending in InTrx run in the caller's transaction.
 */
import { sql, type Kysely } from 'kysely';
import type { Currency } from '#platform/money/index.ts';

export type InvoiceReleaseReason =
  | 'application-cancelled' | 'application-rejected' | 'application-paid-by-another-bill';

export type InvoiceReleaseTables = {
  invoice_release: {
    invoice_id: string;
    reason: InvoiceReleaseReason;
    released_by: string;
    released_at: Date;
  };
  invoice_withdrawal: {
    invoice_id: string;
    refund_id: string;
    amount_minor: bigint;
    currency: Currency;
    withdrawn_at: Date;
  };
};

type ReleaseDb = Kysely<InvoiceReleaseTables>;

function releaseDb<DB>(db: Kysely<DB>): ReleaseDb {
  return db as unknown as ReleaseDb;
}

export type InvoiceReleaseRow = Readonly<{
  invoiceId: string;
  reason: InvoiceReleaseReason;
  releasedBy: string;
  releasedAt: Date;
}>;

/** Records the release; false when the invoice was released before (the first one stands). */
export async function insertReleaseInTrx<DB>(trx: Kysely<DB>, release: InvoiceReleaseRow):
  Promise<boolean> {
  const inserted = await releaseDb(trx).insertInto('invoice_release').values({
    invoice_id: release.invoiceId, reason: release.reason, released_by: release.releasedBy,
    released_at: release.releasedAt,
  }).onConflict((conflict) => conflict.column('invoice_id').doNothing())
    .returning('invoice_id').executeTakeFirst();
  return inserted !== undefined;
}

export async function findRelease<DB>(db: Kysely<DB>, invoiceId: string):
  Promise<InvoiceReleaseRow | undefined> {
  const row = await releaseDb(db).selectFrom('invoice_release').selectAll()
    .where('invoice_id', '=', invoiceId).executeTakeFirst();
  return row === undefined ? undefined : { invoiceId: row.invoice_id, reason: row.reason,
    releasedBy: row.released_by, releasedAt: row.released_at };
}

export async function insertWithdrawalInTrx<DB>(trx: Kysely<DB>, withdrawal: Readonly<{
  invoiceId: string; refundId: string; amountMinor: bigint; currency: Currency;
  withdrawnAt: Date;
}>): Promise<void> {
  await releaseDb(trx).insertInto('invoice_withdrawal').values({
    invoice_id: withdrawal.invoiceId, refund_id: withdrawal.refundId,
    amount_minor: withdrawal.amountMinor, currency: withdrawal.currency,
    withdrawn_at: withdrawal.withdrawnAt,
  }).execute();
}

export async function findWithdrawal<DB>(db: Kysely<DB>, invoiceId: string):
  Promise<Readonly<{ refundId: string; withdrawnAt: Date }> | undefined> {
  const row = await releaseDb(db).selectFrom('invoice_withdrawal')
    .select(['refund_id', 'withdrawn_at']).where('invoice_id', '=', invoiceId)
    .executeTakeFirst();
  return row === undefined ? undefined
    : { refundId: row.refund_id, withdrawnAt: row.withdrawn_at };
}

/** The invoice's subject (e.g. application:<id>), or null for a fee-only bill. */
export async function invoiceSubject<DB>(db: Kysely<DB>, invoiceId: string):
  Promise<string | null | undefined> {
  const result = await sql<{ subject: string | null }>`
    select subject from invoice where id = ${invoiceId}::uuid`.execute(db);
  const row = result.rows[0];
  return row === undefined ? undefined : row.subject;
}

/** The INVOICE_COVERED entry of the invoice (its key is `invoice:<id>:covered`), if posted. */
export async function coveredEntryId<DB>(db: Kysely<DB>, invoiceId: string):
  Promise<string | undefined> {
  const result = await sql<{ id: string }>`
    select id from ledger_entry where idempotency_key = ${`invoice:${invoiceId}:covered`}`
    .execute(db);
  return result.rows[0]?.id;
}
