/**
 * Imports the eCitizen catalogue dataset (a folder of CSV files, CC BY 4.0) into the
 * catalogue: streaming, in ONE transaction (a failure leaves nothing half-imported),
 * idempotent (rows are keyed by the dataset's ids; a re-import updates, never duplicates).
 * Bad rows are skipped and reported with file:line; a malformed file aborts the import.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { catalogueUuid } from '../catalogue-ids.ts';
import type { CatalogueDeps } from '../catalogue-service.ts';
import type { CatalogueTables } from '../catalogue-tables.ts';
import { CsvFileError, readCsvRecords } from './csv-records.ts';
import {
  findExistingSlugsInTrx,
  findTakenSlugsInTrx,
  loadImportedIdsInTrx,
  upsertRowsInTrx,
  type ImportTransaction,
  type PreparedRow,
} from './import-repo.ts';
import {
  checkRecord,
  importFiles,
  importTables,
  slugCandidates,
  type ImportedRow,
  type ImportTable,
} from './import-rows.ts';

export type TableCounts = { inserted: number; updated: number; unchanged: number; skipped: number };
export type ImportProblem = Readonly<{ file: string; line: number; reason: string }>;
export type ImportReport = Readonly<{
  tables: Readonly<Record<ImportTable, Readonly<TableCounts>>>;
  /** The first problems (at most problemsKeptMax); problemCount counts them all. */
  problems: readonly ImportProblem[];
  problemCount: number;
}>;
export type ImportOptions = Readonly<{
  onProgress?: (bytesRead: number, bytesTotal: number) => void;
}>;
export type ImportFailureCode = 'CATALOGUE_IMPORT_FILE_UNREADABLE' |
  'CATALOGUE_IMPORT_FILE_MALFORMED';

/** Rows per INSERT statement: well under PostgreSQL's 65,535 parameters at 12 per row. */
export const importBatchSize = 500;
const problemsKeptMax = 1_000;

class ImportAborted extends Error {
  readonly failure: Failure<ImportFailureCode>;
  constructor(abortFailure: Failure<ImportFailureCode>) {
    super(abortFailure.detail);
    this.failure = abortFailure;
  }
}

type ImportState = {
  readonly report: { tables: Record<ImportTable, TableCounts>; problems: ImportProblem[];
    problemCount: number };
  readonly parentIds: Map<'ministry' | 'department' | 'agency', Map<string, string>>;
  readonly bytesTotal: number;
  bytesBefore: number;
  readonly onProgress: (bytesRead: number, bytesTotal: number) => void;
};

/**
 * @returns err CATALOGUE_IMPORT_FILE_UNREADABLE (a file is missing or unreadable) or
 *   CATALOGUE_IMPORT_FILE_MALFORMED (a header lacks a column, or the quoting is broken);
 *   either way nothing was written.
 */
export async function importCatalogue(
  deps: CatalogueDeps,
  folder: string,
  options: ImportOptions = {},
): Promise<Result<ImportReport, Failure<ImportFailureCode>>> {
  let bytesTotal = 0;
  for (const table of importTables) {
    const file = path.join(folder, importFiles[table].file);
    try {
      bytesTotal += (await stat(file)).size;
    } catch (error) {
      return err(failure('CATALOGUE_IMPORT_FILE_UNREADABLE',
        `${file}: ${error instanceof Error ? error.message : String(error)}`));
    }
  }
  const state: ImportState = {
    report: { tables: emptyCounts(), problems: [], problemCount: 0 },
    parentIds: new Map(),
    bytesTotal,
    bytesBefore: 0,
    onProgress: options.onProgress ?? (() => undefined),
  };
  try {
    await deps.db.withTables<CatalogueTables>().transaction().execute(async (trx) => {
      for (const table of importTables) {
        await importTableInTrx(trx, table, path.join(folder, importFiles[table].file), state);
        if (table !== 'service') state.parentIds.set(table, await loadImportedIdsInTrx(trx, table));
      }
    });
  } catch (error) {
    if (error instanceof ImportAborted) return err(error.failure);
    throw error;
  }
  return ok(state.report);
}

function emptyCounts(): Record<ImportTable, TableCounts> {
  const counts = () => ({ inserted: 0, updated: 0, unchanged: 0, skipped: 0 });
  return { ministry: counts(), department: counts(), agency: counts(), service: counts() };
}

type PendingRow = Readonly<{ row: ImportedRow; parents: ParentIds }>;
type ParentIds = Readonly<{
  ministryId: string | null;
  departmentId: string | null;
  agencyId: string | null;
}>;

async function importTableInTrx(
  trx: ImportTransaction,
  table: ImportTable,
  file: string,
  state: ImportState,
): Promise<void> {
  const fileName = path.basename(file);
  const counts = state.report.tables[table];
  const skip = (line: number, reason: string) => {
    counts.skipped += 1;
    state.report.problemCount += 1;
    if (state.report.problems.length < problemsKeptMax) {
      state.report.problems.push({ file: fileName, line, reason });
    }
  };
  const firstLineOf = new Map<string, number>();
  const usedSlugs = new Set<string>();
  let batch: PendingRow[] = [];
  let bytesRead = 0;
  try {
    for await (const record of readCsvRecords(file, importFiles[table].columns)) {
      bytesRead = record.bytesRead;
      state.onProgress(state.bytesBefore + bytesRead, state.bytesTotal);
      if (record.problem !== undefined) {
        skip(record.line, record.problem);
        continue;
      }
      const check = checkRecord(table, record.fields);
      if (!check.ok) {
        skip(record.line, check.reason);
        continue;
      }
      const first = firstLineOf.get(check.row.sourceId);
      if (first !== undefined) {
        skip(record.line, `duplicate id ${check.row.sourceId} (first on line ${first})`);
        continue;
      }
      firstLineOf.set(check.row.sourceId, record.line);
      const parents = resolveParents(check.row, state);
      if (typeof parents === 'string') {
        skip(record.line, parents);
        continue;
      }
      batch.push({ row: check.row, parents });
      if (batch.length >= importBatchSize) {
        await writeBatchInTrx(trx, table, batch, usedSlugs, counts);
        batch = [];
      }
    }
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    const where = error.line === undefined ? fileName : `${fileName}:${error.line}`;
    throw new ImportAborted(failure('CATALOGUE_IMPORT_FILE_MALFORMED',
      `${where}: ${error.message}`));
  }
  await writeBatchInTrx(trx, table, batch, usedSlugs, counts);
  state.bytesBefore += bytesRead;
}

/** The parents' ids, or why the row cannot be imported (a parent the import does not know). */
function resolveParents(row: ImportedRow, state: ImportState): ParentIds | string {
  const resolved: Record<'ministry' | 'department' | 'agency', string | null> = {
    ministry: null, department: null, agency: null,
  };
  for (const parent of ['ministry', 'department', 'agency'] as const) {
    const sourceId = row.parents[parent];
    if (sourceId === undefined) continue;
    const id = state.parentIds.get(parent)?.get(sourceId);
    if (id === undefined) return `unknown ${parent}_id ${sourceId}`;
    resolved[parent] = id;
  }
  return {
    ministryId: resolved.ministry,
    departmentId: resolved.department,
    agencyId: resolved.agency,
  };
}

async function writeBatchInTrx(
  trx: ImportTransaction,
  table: ImportTable,
  batch: readonly PendingRow[],
  usedSlugs: Set<string>,
  counts: TableCounts,
): Promise<void> {
  if (batch.length === 0) return;
  const existing = await findExistingSlugsInTrx(trx, table, batch.map((p) => p.row.sourceId));
  const fresh = batch.filter((pending) => !existing.has(pending.row.sourceId));
  const candidates = new Map(fresh.map((pending) =>
    [pending.row.sourceId, slugCandidates(table, pending.row.name, pending.row.sourceId)]));
  const taken = await findTakenSlugsInTrx(trx, table, [...candidates.values()].flat());
  const prepared: PreparedRow[] = batch.map((pending) => {
    const slug = existing.get(pending.row.sourceId) ??
      chooseSlug(candidates.get(pending.row.sourceId) ?? [], taken, usedSlugs);
    usedSlugs.add(slug);
    return {
      ...pending.row,
      ...pending.parents,
      id: catalogueUuid(`ecitizen:${table}:${pending.row.sourceId}`),
      slug,
    };
  });
  const written = await upsertRowsInTrx(trx, table, prepared);
  const updated = [...existing.keys()].filter((sourceId) => written.has(sourceId)).length;
  counts.inserted += fresh.length;
  counts.updated += updated;
  counts.unchanged += existing.size - updated;
}

function chooseSlug(
  candidates: readonly string[],
  taken: ReadonlySet<string>,
  usedSlugs: ReadonlySet<string>,
): string {
  const free = (slug: string) => !taken.has(slug) && !usedSlugs.has(slug);
  const found = candidates.find(free);
  if (found !== undefined) return found;
  // Only two source ids differing in letter case can get here; a counter settles it.
  const last = candidates.at(-1) ?? 'row';
  for (let counter = 2; ; counter += 1) {
    if (free(`${last}-${counter}`)) return `${last}-${counter}`;
  }
}
