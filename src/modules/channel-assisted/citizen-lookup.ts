/**
 * Finding the citizen an agent serves, by phone or ID number, on the identity module's account
 * table (read only). Businesses are not served this way: their directors act for them.
 */
import type { Kysely } from 'kysely';
import type { CitizenQuery } from './consent-rules.ts';
import type { AssistedTables } from './assisted-tables.ts';

export type Citizen = Readonly<{
  id: string;
  documentNumber: string;
  firstName: string | null;
  lastName: string | null;
  businessName: string | null;
  phone: string | null;
  language: 'en' | 'sw';
}>;

export type CitizenMatch =
  | Readonly<{ kind: 'found'; citizen: Citizen }>
  | Readonly<{ kind: 'none' }>
  | Readonly<{ kind: 'many' }>;

const columns = ['id', 'document_number', 'first_name', 'last_name', 'business_name', 'phone',
  'language'] as const;

export async function findCitizen(db: Kysely<AssistedTables>, query: CitizenQuery):
  Promise<CitizenMatch> {
  let select = db.selectFrom('account').select(columns).where('kind', '<>', 'business');
  select = query.kind === 'phone' ? select.where('phone', '=', query.phone)
    : select.where('document_number', '=', query.documentNumber);
  const rows = await select.limit(2).execute();
  const [row] = rows;
  if (row === undefined) return { kind: 'none' };
  if (rows.length > 1) return { kind: 'many' };
  return { kind: 'found', citizen: citizenOf(row) };
}

export async function findCitizenById(db: Kysely<AssistedTables>, id: string):
  Promise<Citizen | undefined> {
  const row = await db.selectFrom('account').select(columns).where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : citizenOf(row);
}

function citizenOf(row: Readonly<{ id: string; document_number: string; first_name: string | null;
  last_name: string | null; business_name: string | null; phone: string | null;
  language: 'en' | 'sw' }>): Citizen {
  return { id: row.id, documentNumber: row.document_number, firstName: row.first_name,
    lastName: row.last_name, businessName: row.business_name, phone: row.phone,
    language: row.language };
}
