/**
 * The names of accounts, for what payments tells the payer (receipts, the account pages): the
 * person's full name or the business's name. Identity owns the account table and exports no
 * name finder yet, so this reads the few name columns, as identity's contact finder reads
 * contacts for any module (contact-service.ts). One statement whatever the count.
 */
import { sql, type Kysely } from 'kysely';
import { isUuid } from '#platform/ids/index.ts';

type NameRow = Readonly<{
  id: string;
  first_name: string | null;
  middle_name: string | null;
  last_name: string | null;
  business_name: string | null;
}>;

/** The display name of each id that is an account; other ids are left out of the map. */
export async function findAccountNames(
  // Any module's handle or transaction: the account table is read with its own row type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  accountIds: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = [...new Set(accountIds.filter(isUuid))];
  if (ids.length === 0) return names;
  const rows = await sql<NameRow>`select id, first_name, middle_name, last_name, business_name
    from account where id in (${sql.join(ids.map((id) => sql`${id}::uuid`))})`.execute(db);
  for (const row of rows.rows) {
    const name = row.business_name ?? [row.first_name, row.middle_name, row.last_name]
      .filter((part) => part !== null && part !== '').join(' ');
    if (name !== '') names.set(row.id, name);
  }
  return names;
}
