/**
 * Receipts: issued once per source (an allocation of money to an invoice), found by id or
 * number, and their signed payload. Issuing stores facts only; the signature is made when a
 * receipt is shown (Ed25519 is deterministic, so every showing carries the same payload).
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '#platform/db/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import {
  documentsDb,
  findReceiptRow,
  insertReceipt,
  listReceiptsBySourceKeys,
  listReceiptsOfInvoice,
  type ReceiptDraft,
  type ReceiptRecord,
} from './receipt-repo.ts';
import { noReceiptDetails } from './receipt-details.ts';
import { signReceiptFacts, type SignedReceiptFacts } from './signed-payload.ts';
import type { SigningKeys } from './signing-keys.ts';

export type DocumentsDeps = Readonly<{ db: Database }>;

export type { ReceiptDraft } from './receipt-repo.ts';

/** Crockford's base 32: no I, L, O or U, so a number read aloud or retyped stays right. */
const numberAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const numberRandomLength = 10;
const numberDrawsMax = 5;
const receiptsPerInvoiceMax = 100;
const receiptsPerListMax = 200;

export function generateReceiptNumber(random: (size: number) => Buffer = randomBytes): string {
  const bytes = random(numberRandomLength);
  let number = 'HR';
  for (const byte of bytes) number += numberAlphabet[byte % numberAlphabet.length];
  return number;
}

/** Receipt numbers are read off paper: forgive case, spaces and hyphens. */
export function normaliseReceiptNumber(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * Issues the receipt for a source, or returns the one already issued.
 * @idempotent with (sourceKey)
 */
export async function issueReceipt(
  deps: DocumentsDeps,
  draft: ReceiptDraft,
  now: Date,
): Promise<ReceiptRecord> {
  return (await issueReceiptTellingNew(deps, draft, now)).receipt;
}

/**
 * issueReceipt, also saying whether this call issued it (false: it was issued before), so a
 * caller can tell the payer exactly once: in one transaction with `deps.db` a transaction.
 * @idempotent with (sourceKey)
 */
export async function issueReceiptTellingNew(
  deps: DocumentsDeps,
  draft: ReceiptDraft,
  now: Date,
): Promise<Readonly<{ receipt: ReceiptRecord; issued: boolean }>> {
  const db = documentsDb(deps.db);
  for (let draw = 0; draw < numberDrawsMax; draw += 1) {
    const existing = await findReceiptRow(db, { sourceKey: draft.sourceKey });
    if (existing !== undefined) return { receipt: existing, issued: false };
    const { details, ...facts } = draft;
    const receipt: ReceiptRecord = {
      ...facts, details: details ?? noReceiptDetails, id: uuidv7(now.getTime()),
      number: generateReceiptNumber(), issuedAt: now,
    };
    if (await insertReceipt(db, receipt)) return { receipt, issued: true };
  }
  throw new Error(`no receipt could be issued for ${draft.sourceKey}`);
}

export async function findReceiptById(deps: DocumentsDeps, id: string):
  Promise<ReceiptRecord | undefined> {
  if (!isUuid(id)) return undefined;
  return findReceiptRow(documentsDb(deps.db), { id });
}

export async function findReceiptByNumber(deps: DocumentsDeps, typed: string):
  Promise<ReceiptRecord | undefined> {
  const number = normaliseReceiptNumber(typed);
  if (!/^HR[0-9A-Z]{10}$/.test(number)) return undefined;
  return findReceiptRow(documentsDb(deps.db), { number });
}

/** The invoice's receipts, newest payment first. */
export async function listInvoiceReceipts(deps: DocumentsDeps, invoiceId: string):
  Promise<ReceiptRecord[]> {
  if (!isUuid(invoiceId)) return [];
  return listReceiptsOfInvoice(documentsDb(deps.db), invoiceId, receiptsPerInvoiceMax);
}

/** Receipts per source key (e.g. one per allocation), for lists; at most a page's worth. */
export async function listReceiptsBySource(deps: DocumentsDeps, sourceKeys: readonly string[]):
  Promise<Map<string, ReceiptRecord>> {
  const keys = [...new Set(sourceKeys)].slice(0, receiptsPerListMax);
  const receipts = await listReceiptsBySourceKeys(documentsDb(deps.db), keys);
  return new Map(receipts.map((receipt) => [receipt.sourceKey, receipt]));
}

export function signedFactsOf(receipt: ReceiptRecord, keys: SigningKeys): SignedReceiptFacts {
  return {
    receiptNumber: receipt.number,
    invoiceReference: receipt.invoiceReference,
    amount: receipt.amount,
    agencyName: receipt.agencyName,
    paidAt: receipt.paidAt,
    keyId: keys.keyId,
  };
}

export function signedPayloadOf(receipt: ReceiptRecord, keys: SigningKeys): string {
  return signReceiptFacts(keys.privateKey, signedFactsOf(receipt, keys));
}
