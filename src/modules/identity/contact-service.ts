/**
 * Where to tell an account holder about their own affairs (a payment received, a credit on
 * their account): the contact they chose for codes, in their language. An account nobody signs
 * in to (a child, a business) is told through its representatives: a guardian or director with
 * a contact. Not a personal-data read by staff, so not audited as one: the details never leave
 * the notification sent to the person themselves.
 */
import { sql, type Kysely } from 'kysely';
import { isUuid } from '#platform/ids/index.ts';

export type AccountContact = Readonly<{
  channel: 'sms' | 'email';
  to: string;
  language: 'en' | 'sw';
}>;

type ContactRow = Readonly<{
  id: string;
  phone: string | null;
  email: string | null;
  code_channel: 'sms' | 'email';
  language: 'en' | 'sw';
}>;

/** The preferred channel if it has an address, else the other one; none without either. */
function contactOf(row: ContactRow): AccountContact | undefined {
  const preferred = row.code_channel === 'email' ? row.email : row.phone;
  if (preferred !== null) {
    return { channel: row.code_channel, to: preferred, language: row.language };
  }
  if (row.phone !== null) return { channel: 'sms', to: row.phone, language: row.language };
  if (row.email !== null) return { channel: 'email', to: row.email, language: row.language };
  return undefined;
}

/**
 * The contact of each account in `accountIds` that has one (its own, or its first
 * representative's, in the order they were confirmed), in one statement whatever the count.
 * Ids that are not accounts are left out of the map.
 */
export async function findAccountContactsInTrx(
  // Any module's transaction: the account table is read through identity's own types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  trx: Kysely<any>,
  accountIds: readonly string[],
): Promise<Map<string, AccountContact>> {
  const contacts = new Map<string, AccountContact>();
  const ids = [...new Set(accountIds.filter(isUuid))];
  if (ids.length === 0) return contacts;
  const list = sql.join(ids.map((id) => sql`${id}::uuid`));
  // The account itself first (rank 0), then its representatives by confirmation.
  const rows = await sql<ContactRow & { represented: string }>`
    select a.id as represented, a.id, a.phone, a.email, a.code_channel, a.language, 0 as rank,
        a.created_at as since
      from account a where a.id in (${list})
    union all
    select r.represented_account_id, a.id, a.phone, a.email, a.code_channel, a.language, 1,
        r.confirmed_at
      from account_representative r join account a on a.id = r.representative_account_id
      where r.represented_account_id in (${list})
    order by represented, rank, since, id`.execute(trx);
  for (const row of rows.rows) {
    if (contacts.has(row.represented)) continue;
    const contact = contactOf(row);
    if (contact !== undefined) contacts.set(row.represented, contact);
  }
  return contacts;
}
