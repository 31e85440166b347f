/** SQL for public accounts and who may act for whom. */
import type { Kysely, Selectable } from 'kysely';
import type {
  AccountDocumentType,
  AccountKind,
  AccountTable,
  CodeChannel,
  IdentityTables,
} from './identity-tables.ts';

export type AccountRow = Selectable<AccountTable>;

export type NewAccount = Readonly<{
  id: string;
  kind: AccountKind;
  documentType: AccountDocumentType;
  documentNumber: string;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  birthDate: string | null;
  businessName: string | null;
  passwordHash: string | null;
  phone: string | null;
  email: string | null;
  codeChannel: CodeChannel;
  language: 'en' | 'sw';
}>;

/**
 * Inserts the account unless its document is already registered.
 * @idempotent with (documentType, documentNumber): returns false when it already existed.
 */
export async function insertAccountInTrx(
  trx: Kysely<IdentityTables>,
  account: NewAccount,
  now: Date,
): Promise<boolean> {
  const inserted = await trx.insertInto('account').values({
    id: account.id,
    kind: account.kind,
    document_type: account.documentType,
    document_number: account.documentNumber,
    first_name: account.firstName,
    middle_name: account.middleName,
    last_name: account.lastName,
    birth_date: account.birthDate,
    business_name: account.businessName,
    password_hash: account.passwordHash,
    phone: account.phone,
    email: account.email,
    code_channel: account.codeChannel,
    language: account.language,
    created_at: now,
    updated_at: now,
  }).onConflict((conflict) => conflict.constraint('account_document_key').doNothing())
    .returning('id').executeTakeFirst();
  return inserted !== undefined;
}

export async function findAccountById(
  db: Kysely<IdentityTables>,
  id: string,
): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAccountByDocument(
  db: Kysely<IdentityTables>,
  documentType: AccountDocumentType,
  documentNumber: string,
): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll()
    .where('document_type', '=', documentType)
    .where('document_number', '=', documentNumber)
    .executeTakeFirst();
}

export async function updatePasswordHashInTrx(
  trx: Kysely<IdentityTables>,
  accountId: string,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await trx.updateTable('account').set({ password_hash: passwordHash, updated_at: now })
    .where('id', '=', accountId).execute();
}

export async function updateContactInTrx(
  trx: Kysely<IdentityTables>,
  accountId: string,
  change: Readonly<{ phone: string } | { email: string }>,
  now: Date,
): Promise<void> {
  await trx.updateTable('account').set({ ...change, updated_at: now })
    .where('id', '=', accountId).execute();
}

/** Records (or re-confirms) that `representative` may act for `represented`. */
export async function upsertRepresentativeInTrx(
  trx: Kysely<IdentityTables>,
  link: Readonly<{
    representedAccountId: string;
    representativeAccountId: string;
    relationship: 'guardian' | 'director';
  }>,
  now: Date,
): Promise<void> {
  await trx.insertInto('account_representative').values({
    represented_account_id: link.representedAccountId,
    representative_account_id: link.representativeAccountId,
    relationship: link.relationship,
    confirmed_at: now,
  }).onConflict((conflict) => conflict.constraint('account_representative_pkey')
    .doUpdateSet({ confirmed_at: now, relationship: link.relationship }))
    .execute();
}

export type RepresentedAccount = Readonly<{
  account: AccountRow;
  relationship: 'guardian' | 'director';
}>;

/** The accounts `representativeAccountId` may act for, confirmed at or after `since`. */
export async function listRepresentedAccounts(
  db: Kysely<IdentityTables>,
  representativeAccountId: string,
  since: Date,
): Promise<RepresentedAccount[]> {
  const rows = await db.selectFrom('account_representative')
    .innerJoin('account', 'account.id', 'account_representative.represented_account_id')
    .selectAll('account')
    .select('account_representative.relationship')
    .where('account_representative.representative_account_id', '=', representativeAccountId)
    .where('account_representative.confirmed_at', '>=', since)
    .orderBy('account.kind').orderBy('account.first_name').orderBy('account.business_name')
    .execute();
  return rows.map(({ relationship, ...account }) => ({ account, relationship }));
}
