/**
 * Invoice SQL. Functions ending in InTrx run in the caller's transaction; on PGlite (one
 * connection) nothing may touch `db` while that transaction is open.
 */
import { sql, type Kysely } from 'kysely';
import { money, type Currency, type Money } from '#platform/money/index.ts';
import type { InvoiceLineDraft } from './invoice-rules.ts';
import type {
  AllocationSource,
  InvoiceLineKind,
  PaymentChannel,
  PaymentsTables,
} from './payments-tables.ts';

export type PaymentsDb = Kysely<PaymentsTables>;

/** The payments module's view of the shared handle or of a transaction on it. */
export function paymentsDb<DB>(db: Kysely<DB>): PaymentsDb {
  return db as unknown as PaymentsDb;
}

export type InvoiceRow = Readonly<{
  id: string;
  reference: string;
  serviceId: string;
  agencyId: string;
  payerAccountId: string;
  currency: Currency;
  total: Money;
  allowsPartPayment: boolean;
  issuedAt: Date;
  expiresAt: Date;
  cancelledAt: Date | null;
  cancelledBy: string | null;
}>;

export type InvoiceLine = Readonly<{
  lineNumber: number;
  kind: InvoiceLineKind;
  description: string;
  amount: Money;
  feeScheduleVersionId: string | null;
  feeScheduleVersion: number | null;
  gazetteReference: string | null;
}>;

export type AllocationRow = Readonly<{
  id: string;
  source: AllocationSource;
  amount: Money;
  allocatedAt: Date;
  paymentId: string | null;
  receiptNumber: string | null;
  channel: PaymentChannel | null;
}>;

const invoiceColumns = [
  'id', 'reference', 'service_id', 'agency_id', 'payer_account_id', 'currency', 'total_minor',
  'allows_part_payment', 'issued_at', 'expires_at', 'cancelled_at', 'cancelled_by',
] as const;

type InvoiceSelection = Readonly<{
  id: string; reference: string; service_id: string; agency_id: string;
  payer_account_id: string; currency: Currency; total_minor: bigint;
  allows_part_payment: boolean; issued_at: Date; expires_at: Date;
  cancelled_at: Date | null; cancelled_by: string | null;
}>;

function toInvoice(row: InvoiceSelection): InvoiceRow {
  return {
    id: row.id,
    reference: row.reference,
    serviceId: row.service_id,
    agencyId: row.agency_id,
    payerAccountId: row.payer_account_id,
    currency: row.currency,
    total: money(row.total_minor, row.currency),
    allowsPartPayment: row.allows_part_payment,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    cancelledAt: row.cancelled_at,
    cancelledBy: row.cancelled_by,
  };
}

export type NewInvoice = Readonly<{
  id: string;
  reference: string;
  serviceId: string;
  agencyId: string;
  payerAccountId: string;
  total: Money;
  allowsPartPayment: boolean;
  issuedAt: Date;
  expiresAt: Date;
  lines: readonly InvoiceLineDraft[];
  /** What the invoice pays for, e.g. 'application:<id>' (invoice.subject); none for a fee. */
  subject?: string | null;
}>;

/**
 * Inserts the invoice and its lines; returns false (inserting nothing) when the reference is
 * already taken, so the caller draws another.
 */
export async function insertInvoiceInTrx(db: PaymentsDb, invoice: NewInvoice): Promise<boolean> {
  const inserted = await db.insertInto('invoice').values({
    id: invoice.id,
    reference: invoice.reference,
    service_id: invoice.serviceId,
    agency_id: invoice.agencyId,
    payer_account_id: invoice.payerAccountId,
    currency: invoice.total.currency,
    total_minor: invoice.total.amountMinor,
    allows_part_payment: invoice.allowsPartPayment,
    issued_at: invoice.issuedAt,
    expires_at: invoice.expiresAt,
    subject: invoice.subject ?? null,
  }).onConflict((conflict) => conflict.column('reference').doNothing())
    .returning('id').executeTakeFirst();
  if (inserted === undefined) return false;
  await db.insertInto('invoice_line').values(invoice.lines.map((line, index) => ({
    invoice_id: invoice.id,
    line_number: index + 1,
    kind: line.kind,
    description: line.description,
    amount_minor: line.amount.amountMinor,
    currency: line.amount.currency,
    fee_schedule_version_id: line.feeScheduleVersionId,
    fee_schedule_version: line.feeScheduleVersion,
    access_fee_schedule_id: line.accessFeeScheduleId,
    gazette_reference: line.gazetteReference,
  }))).execute();
  return true;
}

export async function findInvoiceRow(
  db: PaymentsDb,
  where: Readonly<{ reference: string } | { id: string }>,
): Promise<InvoiceRow | undefined> {
  let query = db.selectFrom('invoice').select(invoiceColumns);
  query = 'id' in where ? query.where('id', '=', where.id)
    : query.where('reference', '=', where.reference);
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : toInvoice(row);
}

/** An invoice locked for a money movement, with what the movement needs to know about it. */
export type LockedInvoice = InvoiceRow & Readonly<{
  /** Allocated so far (payments and credit), committed or in this transaction. */
  allocatedMinor: bigint;
  /** The lines payable to the agency (service fee, penalties). */
  agencyMinor: bigint;
  /** The access-fee lines (Treasury's). */
  accessFeeMinor: bigint;
}>;

/** The invoice with the sum of its allocations and its lines by payee, in one statement. */
function lockedInvoiceQuery(trx: PaymentsDb) {
  return trx.selectFrom('invoice').select([...invoiceColumns,
    sql<string>`(select coalesce(sum(a.amount_minor), 0) from payment_allocation a
      where a.invoice_id = invoice.id)::text`.as('allocated_minor'),
    sql<string>`(select coalesce(sum(l.amount_minor), 0) from invoice_line l
      where l.invoice_id = invoice.id and l.kind <> 'access_fee')::text`.as('agency_minor'),
    sql<string>`(select coalesce(sum(l.amount_minor), 0) from invoice_line l
      where l.invoice_id = invoice.id and l.kind = 'access_fee')::text`.as('access_fee_minor'),
  ]);
}

function toLockedInvoice(row: InvoiceSelection & Readonly<{ allocated_minor: string;
  agency_minor: string; access_fee_minor: string }>): LockedInvoice {
  return {
    ...toInvoice(row),
    allocatedMinor: BigInt(row.allocated_minor),
    agencyMinor: BigInt(row.agency_minor),
    accessFeeMinor: BigInt(row.access_fee_minor),
  };
}

/**
 * Locks the invoice row until the transaction ends, so allocations to one invoice are made one
 * at a time and each sees the others; then reads the sum of its allocations and its lines by
 * payee. Two statements, not one: under READ COMMITTED a statement that waited for the lock
 * still reads with the snapshot it took before waiting, and would miss the allocations the
 * holder of the lock committed (invoice-lock.test.ts).
 */
export async function lockInvoiceInTrx(
  trx: PaymentsDb,
  where: Readonly<{ reference: string } | { id: string }>,
): Promise<LockedInvoice | undefined> {
  let lock = trx.selectFrom('invoice').select('id');
  lock = 'id' in where ? lock.where('id', '=', where.id)
    : lock.where('reference', '=', where.reference);
  const locked = await lock.forUpdate().executeTakeFirst();
  if (locked === undefined) return undefined;
  return toLockedInvoice(await lockedInvoiceQuery(trx).where('id', '=', locked.id)
    .executeTakeFirstOrThrow());
}

/**
 * Locks several invoices at once, in id order (so two batches locking overlapping sets cannot
 * deadlock), then reads their allocation sums and payee split in a second statement (see
 * lockInvoiceInTrx for why not the same one).
 */
export async function lockInvoicesInTrx(
  trx: PaymentsDb,
  where: Readonly<{ ids: readonly string[]; references: readonly string[] }>,
): Promise<LockedInvoice[]> {
  if (where.ids.length === 0 && where.references.length === 0) return [];
  const locked = await trx.selectFrom('invoice').select('id').where((eb) => eb.or([
    ...(where.ids.length === 0 ? [] : [eb('id', 'in', [...where.ids])]),
    ...(where.references.length === 0 ? [] : [eb('reference', 'in', [...where.references])]),
  ])).orderBy('id').forUpdate().execute();
  if (locked.length === 0) return [];
  const rows = await lockedInvoiceQuery(trx)
    .where('id', 'in', locked.map((row) => row.id)).orderBy('id').execute();
  return rows.map(toLockedInvoice);
}

export async function listInvoiceLines(db: PaymentsDb, invoiceId: string): Promise<InvoiceLine[]> {
  const rows = await db.selectFrom('invoice_line').selectAll()
    .where('invoice_id', '=', invoiceId).orderBy('line_number').execute();
  return rows.map((row) => ({
    lineNumber: row.line_number,
    kind: row.kind,
    description: row.description,
    amount: money(row.amount_minor, row.currency),
    feeScheduleVersionId: row.fee_schedule_version_id,
    feeScheduleVersion: row.fee_schedule_version,
    gazetteReference: row.gazette_reference,
  }));
}

/** Sum of an invoice's allocations, read as text (sum(int8) is numeric). */
export async function allocatedMinorOf(db: PaymentsDb, invoiceId: string): Promise<bigint> {
  const row = await db.selectFrom('payment_allocation')
    .select(sql<string>`coalesce(sum(amount_minor), 0)::text`.as('total'))
    .where('invoice_id', '=', invoiceId).executeTakeFirstOrThrow();
  return BigInt(row.total);
}

export async function listAllocations(db: PaymentsDb, invoiceId: string): Promise<AllocationRow[]> {
  const rows = await db.selectFrom('payment_allocation')
    .leftJoin('payment', 'payment.id', 'payment_allocation.payment_id')
    .select([
      'payment_allocation.id', 'payment_allocation.source', 'payment_allocation.amount_minor',
      'payment_allocation.currency', 'payment_allocation.allocated_at',
      'payment_allocation.payment_id', 'payment.provider_reference', 'payment.channel',
    ])
    .where('payment_allocation.invoice_id', '=', invoiceId)
    .orderBy('payment_allocation.allocated_at').orderBy('payment_allocation.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    amount: money(row.amount_minor, row.currency),
    allocatedAt: row.allocated_at,
    paymentId: row.payment_id,
    receiptNumber: row.provider_reference,
    channel: row.channel,
  }));
}

export type NewAllocation = Readonly<{
  id: string;
  invoiceId: string;
  source: AllocationSource;
  paymentId: string | null;
  amount: Money;
  allocatedAt: Date;
}>;

export async function insertAllocationInTrx(trx: PaymentsDb, allocation: NewAllocation):
  Promise<void> {
  await trx.insertInto('payment_allocation').values({
    id: allocation.id,
    invoice_id: allocation.invoiceId,
    source: allocation.source,
    payment_id: allocation.paymentId,
    amount_minor: allocation.amount.amountMinor,
    currency: allocation.amount.currency,
    allocated_at: allocation.allocatedAt,
  }).execute();
}

export async function markInvoiceCancelledInTrx(
  trx: PaymentsDb,
  invoiceId: string,
  cancelledBy: string,
  now: Date,
): Promise<void> {
  await trx.updateTable('invoice').set({ cancelled_at: now, cancelled_by: cancelledBy })
    .where('id', '=', invoiceId).where('cancelled_at', 'is', null).execute();
}

export async function listInvoicesOfPayer(
  db: PaymentsDb,
  payerAccountId: string,
  limit: number,
): Promise<InvoiceRow[]> {
  const rows = await db.selectFrom('invoice').select(invoiceColumns)
    .where('payer_account_id', '=', payerAccountId)
    .orderBy('issued_at', 'desc').limit(limit).execute();
  return rows.map(toInvoice);
}
