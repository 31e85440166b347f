/** Receipt SQL: insert once per source, find by id, number or source. */
import type { Kysely, Selectable } from 'kysely';
import { money, type Money } from '#platform/money/index.ts';
import type { DocumentsTables } from './documents-tables.ts';
import {
  billLinesFromJson,
  billLinesToJson,
  noReceiptDetails,
  type ReceiptDetails,
} from './receipt-details.ts';

export type DocumentsDb = Kysely<DocumentsTables>;

export function documentsDb<DB>(db: Kysely<DB>): DocumentsDb {
  return db as unknown as DocumentsDb;
}

/** What a receipt states; the caller (payments) knows these facts, documents stores them. */
export type ReceiptDraft = Readonly<{
  /** What the receipt is for, e.g. `payments:allocation:<uuid>`: one receipt per source. */
  sourceKey: string;
  invoiceId: string;
  invoiceReference: string;
  payerAccountId: string;
  agencyId: string;
  agencyName: string;
  serviceName: string;
  amount: Money;
  channel: string;
  providerReference: string | null;
  paidAt: Date;
  /** Names, languages, the bill's split, the next step (receipt-details.ts); none if absent. */
  details?: ReceiptDetails;
}>;

/** A receipt as issued: the draft with its id, number and time of issue. */
export type ReceiptRecord = Omit<ReceiptDraft, 'details'> & Readonly<{
  id: string;
  number: string;
  issuedAt: Date;
  details: ReceiptDetails;
}>;

const receiptColumns = [
  'id', 'number', 'source_key', 'invoice_id', 'invoice_reference', 'payer_account_id',
  'agency_id', 'agency_name', 'service_name', 'amount_minor', 'currency', 'channel',
  'provider_reference', 'paid_at', 'issued_at', 'payer_name', 'paid_by_name', 'service_name_sw',
  'agency_name_sw', 'bill_lines', 'next_step_en', 'next_step_sw',
] as const;

type ReceiptSelection =
  Pick<Selectable<DocumentsTables['receipt']>, (typeof receiptColumns)[number]>;

function toRecord(row: ReceiptSelection): ReceiptRecord {
  return {
    id: row.id,
    number: row.number,
    sourceKey: row.source_key,
    invoiceId: row.invoice_id,
    invoiceReference: row.invoice_reference,
    payerAccountId: row.payer_account_id,
    agencyId: row.agency_id,
    agencyName: row.agency_name,
    serviceName: row.service_name,
    amount: money(row.amount_minor, row.currency),
    channel: row.channel,
    providerReference: row.provider_reference,
    paidAt: row.paid_at,
    issuedAt: row.issued_at,
    details: {
      payerName: row.payer_name, paidByName: row.paid_by_name,
      serviceNameSw: row.service_name_sw, agencyNameSw: row.agency_name_sw,
      billLines: billLinesFromJson(row.bill_lines),
      nextStepEn: row.next_step_en, nextStepSw: row.next_step_sw,
    },
  };
}

/** Inserts the receipt unless its source (or, once in 10^15, its number) has one already. */
export async function insertReceipt(db: DocumentsDb, receipt: ReceiptRecord): Promise<boolean> {
  const inserted = await db.insertInto('receipt').values({
    id: receipt.id,
    number: receipt.number,
    source_key: receipt.sourceKey,
    invoice_id: receipt.invoiceId,
    invoice_reference: receipt.invoiceReference,
    payer_account_id: receipt.payerAccountId,
    agency_id: receipt.agencyId,
    agency_name: receipt.agencyName,
    service_name: receipt.serviceName,
    amount_minor: receipt.amount.amountMinor,
    currency: receipt.amount.currency,
    channel: receipt.channel,
    provider_reference: receipt.providerReference,
    paid_at: receipt.paidAt,
    issued_at: receipt.issuedAt,
    ...detailColumns(receipt.details),
  }).onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst();
  return inserted !== undefined;
}

function detailColumns(details: ReceiptDetails = noReceiptDetails) {
  return {
    payer_name: details.payerName, paid_by_name: details.paidByName,
    service_name_sw: details.serviceNameSw, agency_name_sw: details.agencyNameSw,
    bill_lines: details.billLines.length === 0 ? null : billLinesToJson(details.billLines),
    next_step_en: details.nextStepEn, next_step_sw: details.nextStepSw,
  };
}

export async function findReceiptRow(
  db: DocumentsDb,
  where: Readonly<{ id: string } | { number: string } | { sourceKey: string }>,
): Promise<ReceiptRecord | undefined> {
  let query = db.selectFrom('receipt').select(receiptColumns);
  if ('id' in where) query = query.where('id', '=', where.id);
  else if ('number' in where) query = query.where('number', '=', where.number);
  else query = query.where('source_key', '=', where.sourceKey);
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : toRecord(row);
}

export async function listReceiptsOfInvoice(db: DocumentsDb, invoiceId: string, limit: number):
  Promise<ReceiptRecord[]> {
  const rows = await db.selectFrom('receipt').select(receiptColumns)
    .where('invoice_id', '=', invoiceId).orderBy('paid_at', 'desc').orderBy('id', 'desc')
    .limit(limit).execute();
  return rows.map(toRecord);
}

/** The receipts of these sources (one per source), for lists; unknown keys are left out. */
export async function listReceiptsBySourceKeys(db: DocumentsDb, sourceKeys: readonly string[]):
  Promise<ReceiptRecord[]> {
  if (sourceKeys.length === 0) return [];
  const rows = await db.selectFrom('receipt').select(receiptColumns)
    .where('source_key', 'in', [...sourceKeys]).execute();
  return rows.map(toRecord);
}
