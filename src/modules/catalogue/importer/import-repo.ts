/**
 * SQL of the eCitizen import. Every function runs in the importer's one transaction (`InTrx`).
 * Upserts are keyed by source_id: a re-import updates rows in place (same id, same slug) and
 * only touches rows whose imported columns really changed.
 */
import assert from 'node:assert/strict';
import { sql, type Transaction } from 'kysely';
import type { CatalogueTables } from '../catalogue-tables.ts';
import type { ImportedRow, ImportTable } from './import-rows.ts';

export type ImportTransaction = Transaction<CatalogueTables>;

/** A row ready to write: its id and slug (used only when it is new) and its parents' ids. */
export type PreparedRow = ImportedRow & Readonly<{
  id: string;
  slug: string;
  ministryId: string | null;
  departmentId: string | null;
  agencyId: string | null;
}>;

/** source_id -> slug of the rows that already exist (a re-import keeps their slugs). */
export async function findExistingSlugsInTrx(
  trx: ImportTransaction,
  table: ImportTable,
  sourceIds: readonly string[],
): Promise<Map<string, string>> {
  if (sourceIds.length === 0) return new Map();
  const rows = await trx.selectFrom(table).select(['source_id', 'slug'])
    .where('source_id', 'in', sourceIds).execute();
  return new Map(rows.flatMap((row) => row.source_id === null ? [] : [[row.source_id, row.slug]]));
}

export async function findTakenSlugsInTrx(
  trx: ImportTransaction,
  table: ImportTable,
  slugs: readonly string[],
): Promise<Set<string>> {
  if (slugs.length === 0) return new Set();
  const rows = await trx.selectFrom(table).select('slug').where('slug', 'in', slugs).execute();
  return new Set(rows.map((row) => row.slug));
}

/** source_id -> id of the imported rows of a parent table (this run's and earlier runs'). */
export async function loadImportedIdsInTrx(
  trx: ImportTransaction,
  table: 'ministry' | 'department' | 'agency',
): Promise<Map<string, string>> {
  const rows = await trx.selectFrom(table).select(['source_id', 'id'])
    .where('origin', '=', 'ecitizen').where('source_id', 'is not', null).execute();
  return new Map(rows.map((row) => [row.source_id ?? '', row.id]));
}

/** Inserts new rows and updates changed ones; returns the source ids it wrote. */
export async function upsertRowsInTrx(
  trx: ImportTransaction,
  table: ImportTable,
  rows: readonly PreparedRow[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const written = await upsertStatement(trx, table, rows).execute();
  return new Set(written.flatMap((row) => row.source_id === null ? [] : [row.source_id]));
}

function parentId(value: string | null, parent: string): string {
  assert.ok(value !== null, `a row reached the database without its ${parent}`);
  return value;
}

const common = (row: PreparedRow) => ({
  id: row.id,
  source_id: row.sourceId,
  slug: row.slug,
  name_en: row.name,
  origin: 'ecitizen' as const,
});

/** `(t.a, t.b) is distinct from (excluded.a, excluded.b)`: only real changes are written. */
function changed(table: ImportTable, columns: readonly string[]) {
  const mine = columns.map((column) => sql.ref(`${table}.${column}`));
  const theirs = columns.map((column) => sql.ref(`excluded.${column}`));
  return sql<boolean>`(${sql.join(mine)}) is distinct from (${sql.join(theirs)})`;
}

function upsertStatement(trx: ImportTransaction, table: ImportTable, rows: readonly PreparedRow[]) {
  switch (table) {
    case 'ministry':
      return trx.insertInto('ministry').values(rows.map((row) => ({
        ...common(row), description_en: row.description, url: row.url,
      }))).onConflict((conflict) => conflict.column('source_id').doUpdateSet((eb) => ({
        name_en: eb.ref('excluded.name_en'),
        description_en: eb.ref('excluded.description_en'),
        url: eb.ref('excluded.url'),
        updated_at: sql`now()`,
      })).where(changed('ministry', ['name_en', 'description_en', 'url'])))
        .returning('source_id');
    case 'department':
      return trx.insertInto('department').values(rows.map((row) => ({
        ...common(row), ministry_id: parentId(row.ministryId, 'ministry'), url: row.url,
      }))).onConflict((conflict) => conflict.column('source_id').doUpdateSet((eb) => ({
        ministry_id: eb.ref('excluded.ministry_id'),
        name_en: eb.ref('excluded.name_en'),
        url: eb.ref('excluded.url'),
        updated_at: sql`now()`,
      })).where(changed('department', ['ministry_id', 'name_en', 'url'])))
        .returning('source_id');
    case 'agency':
      return trx.insertInto('agency').values(rows.map((row) => ({
        ...common(row),
        ministry_id: parentId(row.ministryId, 'ministry'),
        department_id: row.departmentId,
        description_en: row.description,
        url: row.url,
      }))).onConflict((conflict) => conflict.column('source_id').doUpdateSet((eb) => ({
        ministry_id: eb.ref('excluded.ministry_id'),
        department_id: eb.ref('excluded.department_id'),
        name_en: eb.ref('excluded.name_en'),
        description_en: eb.ref('excluded.description_en'),
        url: eb.ref('excluded.url'),
        updated_at: sql`now()`,
      })).where(changed('agency',
        ['ministry_id', 'department_id', 'name_en', 'description_en', 'url'])))
        .returning('source_id');
    case 'service':
      return trx.insertInto('service').values(rows.map((row) => ({
        ...common(row),
        agency_id: parentId(row.agencyId, 'agency'),
        description_en: row.description,
        requirements_en: [...row.requirements],
        service_url: row.url,
        onboarding_status: row.onboardingStatus,
        form_schema: null,
      }))).onConflict((conflict) => conflict.column('source_id').doUpdateSet((eb) => ({
        agency_id: eb.ref('excluded.agency_id'),
        name_en: eb.ref('excluded.name_en'),
        description_en: eb.ref('excluded.description_en'),
        requirements_en: eb.ref('excluded.requirements_en'),
        service_url: eb.ref('excluded.service_url'),
        onboarding_status: eb.ref('excluded.onboarding_status'),
        updated_at: sql`now()`,
      })).where(changed('service', ['agency_id', 'name_en', 'description_en', 'requirements_en',
        'service_url', 'onboarding_status'])))
        .returning('source_id');
  }
}
