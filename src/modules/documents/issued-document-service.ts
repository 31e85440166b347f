/**
 * Issued documents (certificates, licences, permits, notices): issued once per source in the
 * caller's transaction, signed at issue with the current key, found by id, number or source,
 * listed for their holder, and revoked (audited) by staff of the issuing agency.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import type { AgencyScope } from '#modules/authorisation/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import {
  documentPayloadLengthMax,
  kenyaDate,
  signDocumentFacts,
  type SignedDocumentFacts,
} from './document-payload.ts';
import {
  findIssuedDocumentRow,
  insertIssuedDocument,
  insertRevocation,
  issuedDocumentsDb,
  listIssuedDocumentsOfHolder,
} from './issued-document-repo.ts';
import {
  documentLimits,
  type DocumentDraft,
  type IssuedDocument,
} from './issued-document-types.ts';
import type { SigningKeys } from './signing-keys.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKysely = Kysely<any>;
export type IssuedDocumentsDeps = Readonly<{ db: AnyKysely }>;

/** Crockford's base 32: no I, L, O or U, so a number read aloud or retyped stays right. */
const numberAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const numberDrawsMax = 5;

export function generateDocumentNumber(random: (size: number) => Buffer = randomBytes): string {
  const characters = [...random(10)].map((byte) => numberAlphabet[byte % 32] ?? '0').join('');
  return `HD-${characters.slice(0, 5)}-${characters.slice(5)}`;
}

/** Document numbers are read off paper: forgive case, spaces and missing hyphens. */
export function normaliseDocumentNumber(typed: string): string {
  const bare = typed.toUpperCase().replace(/[\s-]/g, '');
  return /^HD[0-9A-Z]{10}$/.test(bare) ? `HD-${bare.slice(2, 7)}-${bare.slice(7)}` : bare;
}

/** The facts a document's QR code signs (English names: the first line of the document). */
export function signedDocumentFactsOf(
  document: Pick<IssuedDocument, 'number' | 'template' | 'serviceName' | 'agencyName' |
    'holderName' | 'issuedAt' | 'expiresAt'>,
  keyId: string,
): SignedDocumentFacts {
  return {
    number: document.number,
    template: document.template,
    serviceName: document.serviceName.en,
    agencyName: document.agencyName.en,
    holderName: document.holderName,
    issuedOn: kenyaDate(document.issuedAt),
    expiresOn: document.expiresAt === null ? null : kenyaDate(document.expiresAt),
    keyId,
  };
}

function assertDraft(draft: DocumentDraft): void {
  const limits = documentLimits;
  const fits = (text: string, max: number) => text.trim() !== '' && text.length <= max;
  assert.ok(fits(draft.sourceKey, limits.sourceKeyLengthMax), 'a document needs a source key');
  assert.ok(isUuid(draft.serviceId) && isUuid(draft.agencyId) && isUuid(draft.holderAccountId),
    'service, agency and holder are ids');
  assert.ok(fits(draft.holderName, limits.holderNameLengthMax), 'a document needs a holder name');
  for (const name of [draft.serviceName.en, draft.serviceName.sw, draft.agencyName.en,
    draft.agencyName.sw]) assert.ok(fits(name, limits.nameLengthMax), 'names are 1-300 long');
  assert.ok(draft.facts.length <= limits.factsCountMax, 'at most 20 facts');
  assert.ok(draft.expiresAt === null || draft.expiresAt > draft.issuedAt,
    'a document expires after it is issued');
}

/**
 * Issues the document for a source, or returns the one already issued, inside the caller's
 * transaction (the application's "issue" action commits with it). Throws on a draft that
 * breaks the limits (a bug in the caller).
 * @idempotent with (draft.sourceKey)
 */
export async function issueDocumentInTrx<DB>(
  trx: Transaction<DB>,
  keys: SigningKeys,
  draft: DocumentDraft,
): Promise<IssuedDocument> {
  assert.ok(trx.isTransaction, 'issueDocumentInTrx must run in a transaction');
  assertDraft(draft);
  const db = issuedDocumentsDb(trx);
  for (let draw = 0; draw < numberDrawsMax; draw += 1) {
    const existing = await findIssuedDocumentRow(db, { sourceKey: draft.sourceKey });
    if (existing !== undefined) return existing;
    const number = generateDocumentNumber();
    const payload = signDocumentFacts(keys.privateKey,
      signedDocumentFactsOf({ ...draft, number }, keys.keyId));
    assert.ok(payload.length <= documentPayloadLengthMax, 'the signed payload fits a QR code');
    const document: IssuedDocument = {
      ...draft, facts: [...draft.facts], id: uuidv7(draft.issuedAt.getTime()), number, payload,
      revokedAt: null, revocationReason: null,
    };
    if (await insertIssuedDocument(db, document)) return document;
  }
  throw new Error(`no document could be issued for ${draft.sourceKey}`);
}

export async function findIssuedDocument(deps: IssuedDocumentsDeps, id: string):
  Promise<IssuedDocument | undefined> {
  if (!isUuid(id)) return undefined;
  return findIssuedDocumentRow(issuedDocumentsDb(deps.db), { id });
}

export async function findIssuedDocumentByNumber(deps: IssuedDocumentsDeps, typed: string):
  Promise<IssuedDocument | undefined> {
  const number = normaliseDocumentNumber(typed);
  if (!/^HD-[0-9A-Z]{5}-[0-9A-Z]{5}$/.test(number)) return undefined;
  return findIssuedDocumentRow(issuedDocumentsDb(deps.db), { number });
}

export async function findIssuedDocumentBySourceKey(deps: IssuedDocumentsDeps,
  sourceKey: string): Promise<IssuedDocument | undefined> {
  return findIssuedDocumentRow(issuedDocumentsDb(deps.db), { sourceKey });
}

/** The holder's documents, newest first (at most documentLimits.documentsPerHolderMax). */
export async function listDocumentsOfHolder(deps: IssuedDocumentsDeps, accountId: string):
  Promise<IssuedDocument[]> {
  if (!isUuid(accountId)) return [];
  return listIssuedDocumentsOfHolder(issuedDocumentsDb(deps.db), accountId,
    documentLimits.documentsPerHolderMax);
}

export type RevokeDocumentFailure = Failure<'DOCUMENTS_DOCUMENT_NOT_FOUND' |
  'DOCUMENTS_DOCUMENT_ALREADY_REVOKED' | 'DOCUMENTS_REVOCATION_REASON_INVALID'>;

export type RevokeDocumentInput = Readonly<{
  documentId: string;
  reason: string;
  actor: AuditActor;
  /** The caller's agency scope: only the issuing agency revokes (or 'all' for the system). */
  agencyScope: AgencyScope;
  now: Date;
  /** Tells the holder, in the same transaction (e.g. queues an SMS); optional. */
  notifyHolderInTrx?: (trx: Transaction<unknown>, document: IssuedDocument) => Promise<void>;
}>;

/**
 * Revokes a document with a reason, audited (DOCUMENT_REVOKED) in the same transaction.
 * Fails DOCUMENTS_REVOCATION_REASON_INVALID (empty or over 500 characters),
 * DOCUMENTS_DOCUMENT_NOT_FOUND (no such document, or another agency's), or
 * DOCUMENTS_DOCUMENT_ALREADY_REVOKED (a revocation is never repeated or changed).
 */
export async function revokeDocument(
  deps: IssuedDocumentsDeps,
  input: RevokeDocumentInput,
): Promise<Result<IssuedDocument, RevokeDocumentFailure>> {
  const reason = input.reason.trim();
  if (reason === '' || reason.length > documentLimits.revocationReasonLengthMax) {
    return err(failure('DOCUMENTS_REVOCATION_REASON_INVALID'));
  }
  if (!isUuid(input.documentId)) return err(failure('DOCUMENTS_DOCUMENT_NOT_FOUND'));
  return deps.db.transaction().execute(async (trx) => {
    const db = issuedDocumentsDb(trx);
    const document = await findIssuedDocumentRow(db, { id: input.documentId });
    if (document === undefined ||
      (input.agencyScope !== 'all' && input.agencyScope !== document.agencyId)) {
      return err(failure('DOCUMENTS_DOCUMENT_NOT_FOUND'));
    }
    const appended = await insertRevocation(db, {
      documentId: document.id, reason, revokedAt: input.now,
      revokedBy: { kind: input.actor.kind, id: input.actor.id },
    });
    if (!appended) return err(failure('DOCUMENTS_DOCUMENT_ALREADY_REVOKED'));
    const revoked: IssuedDocument = { ...document, revokedAt: input.now, revocationReason: reason };
    await recordAuditInTrx(trx, {
      action: 'DOCUMENT_REVOKED', actor: input.actor,
      subject: { type: 'issued_document', id: document.id }, agencyId: document.agencyId,
      detail: { number: document.number, template: document.template },
    }, input.now);
    if (input.notifyHolderInTrx !== undefined) {
      await input.notifyHolderInTrx(trx as Transaction<unknown>, revoked);
    }
    return ok(revoked);
  });
}
