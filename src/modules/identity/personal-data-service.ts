/**
 * Privileged reads of a person's details by staff (or an agency system), always audited as
 * personal-data reads: the person sees them under "who looked at my data". Other modules call
 * readAccountDetailsInTrx in their own transaction after checking that the account is theirs
 * to see (e.g. the applicant of an application in the officer's agency).
 */
import type { Kysely } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import {
  auditActorOf,
  type ApiClientActor,
  type StaffActor,
} from '#modules/authorisation/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { findAccountByDocument, findAccountById, type AccountRow } from './account-repo.ts';
import { checkDocumentNumber } from './account-rules.ts';
import { identityDb, type IdentityDeps } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import type { AccountKind, IdentityTables } from './identity-tables.ts';
import { isSignInDocumentType } from './register/index.ts';

export type AccountDetails = Readonly<{
  id: string;
  kind: AccountKind;
  documentType: string;
  documentNumber: string;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  /** YYYY-MM-DD. */
  birthDate: string | null;
  businessName: string | null;
  phone: string | null;
  email: string | null;
}>;

function toDetails(row: AccountRow): AccountDetails {
  return {
    id: row.id, kind: row.kind, documentType: row.document_type,
    documentNumber: row.document_number, firstName: row.first_name,
    middleName: row.middle_name, lastName: row.last_name,
    birthDate: row.birth_date === null ? null : row.birth_date.toISOString().slice(0, 10),
    businessName: row.business_name, phone: row.phone, email: row.email,
  };
}

/**
 * Reads an account's details and records the read, in the caller's transaction.
 * `purpose` says why (e.g. 'application-review'); it is stored, so never put personal data in.
 */
export async function readAccountDetailsInTrx(
  // Any module's transaction: the account table is read through identity's own types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  trx: Kysely<any>,
  reader: StaffActor | ApiClientActor,
  accountId: string,
  context: Readonly<{ purpose: string; sourceAddress: string | null }>,
  now: Date,
): Promise<AccountDetails | undefined> {
  if (!isUuid(accountId)) return undefined;
  const identity = trx as Kysely<IdentityTables>;
  const row = await findAccountById(identity, accountId);
  if (row === undefined) return undefined;
  await recordAuditInTrx(trx, {
    action: 'ACCOUNT_PERSONAL_DATA_READ',
    actor: auditActorOf(reader),
    subject: { type: 'account', id: accountId },
    agencyId: reader.agencyId,
    personalDataRead: true,
    detail: { purpose: context.purpose },
    sourceAddress: context.sourceAddress,
  }, now);
  return toDetails(row);
}

/**
 * The account lookup page for platform-wide readers (permission 'accounts.read'): finds an
 * account by its document and records the read.
 * @returns err IDENTITY_FORM_INVALID, IDENTITY_ACCOUNT_NOT_FOUND.
 */
export async function lookUpAccountByDocument(
  deps: IdentityDeps,
  reader: StaffActor,
  query: Readonly<{ documentType: string; documentNumber: string }>,
  sourceAddress: string,
): Promise<Result<AccountDetails, Failure<IdentityErrorCode>>> {
  const documentNumber = isSignInDocumentType(query.documentType)
    ? checkDocumentNumber(query.documentType, query.documentNumber) : undefined;
  if (documentNumber === undefined) {
    return err(failure('IDENTITY_FORM_INVALID', undefined,
      { documentNumber: 'identity.field.documentNumberInvalid' }));
  }
  const db = identityDb(deps);
  const account = await findAccountByDocument(db, query.documentType as 'national_id',
    documentNumber);
  if (account === undefined) return err(failure('IDENTITY_ACCOUNT_NOT_FOUND'));
  const found = await db.transaction().execute((trx) =>
    readAccountDetailsInTrx(trx, reader, account.id,
      { purpose: 'account-lookup', sourceAddress }, deps.clock.now()));
  return found === undefined ? err(failure('IDENTITY_ACCOUNT_NOT_FOUND')) : ok(found);
}
