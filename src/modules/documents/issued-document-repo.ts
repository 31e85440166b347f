/** Issued-document SQL: insert once per source, find with its revocation, append a revocation. */
import type { Kysely } from 'kysely';
import type { DocumentsTables } from './documents-tables.ts';
import {
  isDocumentTemplate,
  type DocumentFact,
  type IssuedDocument,
} from './issued-document-types.ts';

type DocumentsDb = Kysely<DocumentsTables>;

export function issuedDocumentsDb<DB>(db: Kysely<DB>): DocumentsDb {
  return db as unknown as DocumentsDb;
}

const columns = [
  'issued_document.id', 'number', 'source_key', 'service_id', 'agency_id', 'holder_account_id',
  'holder_name', 'template', 'service_name_en', 'service_name_sw', 'agency_name_en',
  'agency_name_sw', 'facts', 'issued_at', 'expires_at', 'payload',
  'document_revocation.revoked_at', 'document_revocation.reason',
] as const;

type Row = Readonly<{
  id: string; number: string; source_key: string; service_id: string; agency_id: string;
  holder_account_id: string; holder_name: string; template: string; service_name_en: string;
  service_name_sw: string; agency_name_en: string; agency_name_sw: string; facts: unknown;
  issued_at: Date; expires_at: Date | null; payload: string; revoked_at: Date | null;
  reason: string | null;
}>;

function factsOf(stored: unknown): DocumentFact[] {
  const parsed: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  return Array.isArray(parsed) ? parsed as DocumentFact[] : [];
}

function toDocument(row: Row): IssuedDocument {
  if (!isDocumentTemplate(row.template)) throw new Error(`unknown template ${row.template}`);
  return {
    id: row.id,
    number: row.number,
    sourceKey: row.source_key,
    serviceId: row.service_id,
    agencyId: row.agency_id,
    holderAccountId: row.holder_account_id,
    holderName: row.holder_name,
    template: row.template,
    facts: factsOf(row.facts),
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    serviceName: { en: row.service_name_en, sw: row.service_name_sw },
    agencyName: { en: row.agency_name_en, sw: row.agency_name_sw },
    payload: row.payload,
    revokedAt: row.revoked_at,
    revocationReason: row.reason,
  };
}

function selectDocuments(db: DocumentsDb) {
  return db.selectFrom('issued_document')
    .leftJoin('document_revocation', 'document_revocation.document_id', 'issued_document.id')
    .select(columns);
}

/** Inserts the document unless its source (or, rarely, its number) has one already. */
export async function insertIssuedDocument(db: DocumentsDb, document: IssuedDocument):
  Promise<boolean> {
  const inserted = await db.insertInto('issued_document').values({
    id: document.id,
    number: document.number,
    source_key: document.sourceKey,
    service_id: document.serviceId,
    agency_id: document.agencyId,
    holder_account_id: document.holderAccountId,
    holder_name: document.holderName,
    template: document.template,
    service_name_en: document.serviceName.en,
    service_name_sw: document.serviceName.sw,
    agency_name_en: document.agencyName.en,
    agency_name_sw: document.agencyName.sw,
    facts: JSON.stringify(document.facts.map((fact) => ({
      label: { en: fact.label.en, sw: fact.label.sw }, value: fact.value,
    }))),
    issued_at: document.issuedAt,
    expires_at: document.expiresAt,
    payload: document.payload,
  }).onConflict((conflict) => conflict.doNothing()).returning('id').executeTakeFirst();
  return inserted !== undefined;
}

export async function findIssuedDocumentRow(
  db: DocumentsDb,
  where: Readonly<{ id: string } | { number: string } | { sourceKey: string }>,
): Promise<IssuedDocument | undefined> {
  let query = selectDocuments(db);
  if ('id' in where) query = query.where('issued_document.id', '=', where.id);
  else if ('number' in where) query = query.where('number', '=', where.number);
  else query = query.where('source_key', '=', where.sourceKey);
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : toDocument(row);
}

export async function listIssuedDocumentsOfHolder(db: DocumentsDb, accountId: string,
  limit: number): Promise<IssuedDocument[]> {
  const rows = await selectDocuments(db).where('holder_account_id', '=', accountId)
    .orderBy('issued_at', 'desc').orderBy('issued_document.id', 'desc').limit(limit).execute();
  return rows.map(toDocument);
}

export type RevocationRow = Readonly<{
  documentId: string; reason: string; revokedAt: Date;
  revokedBy: Readonly<{ kind: string; id: string | null }>;
}>;

/** Appends the revocation; false when the document was revoked already. */
export async function insertRevocation(db: DocumentsDb, revocation: RevocationRow):
  Promise<boolean> {
  const inserted = await db.insertInto('document_revocation').values({
    document_id: revocation.documentId,
    reason: revocation.reason,
    revoked_at: revocation.revokedAt,
    revoked_by_kind: revocation.revokedBy.kind,
    revoked_by_id: revocation.revokedBy.id,
  }).onConflict((conflict) => conflict.doNothing()).returning('document_id').executeTakeFirst();
  return inserted !== undefined;
}
