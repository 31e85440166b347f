/**
 * Pure rules of the eCitizen import: which columns each file needs, how a CSV record becomes
 * a catalogue row or a reason to skip it, slugs, requirement lists and on-boarding status.
 */
import type { OnboardingStatus } from '../catalogue-tables.ts';

export const importTables = ['ministry', 'department', 'agency', 'service'] as const;
export type ImportTable = (typeof importTables)[number];

/** The dataset's file for each table, in import order (parents first), and its columns. */
export const importFiles: Readonly<Record<ImportTable, Readonly<{
  file: string;
  columns: readonly string[];
}>>> = {
  ministry: {
    file: 'ministries.csv',
    columns: ['ministry_id', 'ministry_name', 'ministry_description', 'ministry_url'],
  },
  department: {
    file: 'departments.csv',
    columns: ['department_id', 'ministry_id', 'department_name', 'ministry_departments_url'],
  },
  agency: {
    file: 'agencies.csv',
    columns: ['agency_id', 'ministry_id', 'department_id', 'agency_name', 'agency_description',
      'agency_url'],
  },
  service: {
    file: 'services.csv',
    columns: ['service_id', 'agency_id', 'service_name', 'service_url', 'service_description',
      'requirements'],
  },
};

/** The dataset's ids are 12 hex digits; anything id-like is accepted, nothing else. */
const sourceIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const nameLengthMax = 300;
const slugLengthMax = 80;
const requirementsCountMax = 50;
const requirementLengthMax = 1_000;

export type Fields = Readonly<Record<string, string>>;

export type ImportedRow = Readonly<{
  sourceId: string;
  /** Source ids of the parents: ministry, department, agency (as the table needs). */
  parents: Readonly<{ ministry?: string; department?: string; agency?: string }>;
  name: string;
  description: string | null;
  url: string | null;
  requirements: readonly string[];
  onboardingStatus: OnboardingStatus;
}>;

export type RowCheck = Readonly<{ ok: true; row: ImportedRow } | { ok: false; reason: string }>;

const text = (fields: Fields, column: string): string => (fields[column] ?? '').trim();
const optionalText = (fields: Fields, column: string): string | null =>
  text(fields, column) === '' ? null : text(fields, column);

/** Turns one record of a table's file into a row, or says why it cannot be imported. */
export function checkRecord(table: ImportTable, fields: Fields): RowCheck {
  const idColumn = importFiles[table].columns[0] ?? '';
  const sourceId = text(fields, idColumn);
  if (sourceId === '') return { ok: false, reason: `${idColumn} is empty` };
  if (!sourceIdPattern.test(sourceId)) return { ok: false, reason: `${idColumn} is malformed` };
  const name = text(fields, `${table}_name`).replaceAll(/\s+/g, ' ');
  if (name === '') return { ok: false, reason: `${table}_name is empty` };
  if (name.length > nameLengthMax) {
    return { ok: false, reason: `${table}_name is longer than ${nameLengthMax} characters` };
  }
  const parents: { ministry?: string; department?: string; agency?: string } = {};
  for (const parent of parentsOf(table)) {
    const value = text(fields, `${parent.table}_id`);
    if (value === '' && parent.required) {
      return { ok: false, reason: `${parent.table}_id is empty` };
    }
    if (value !== '') parents[parent.table] = value;
  }
  const url = httpUrl(text(fields, urlColumn(table)));
  return {
    ok: true,
    row: {
      sourceId,
      parents,
      name,
      description: optionalText(fields, `${table}_description`),
      url,
      requirements: table === 'service' ? splitRequirements(text(fields, 'requirements')) : [],
      onboardingStatus: onboardingStatusFor(url),
    },
  };
}

function parentsOf(
  table: ImportTable,
): ReadonlyArray<Readonly<{ table: 'ministry' | 'department' | 'agency'; required: boolean }>> {
  if (table === 'department') return [{ table: 'ministry', required: true }];
  if (table === 'agency') {
    return [{ table: 'ministry', required: true }, { table: 'department', required: false }];
  }
  if (table === 'service') return [{ table: 'agency', required: true }];
  return [];
}

function urlColumn(table: ImportTable): string {
  if (table === 'department') return 'ministry_departments_url';
  return table === 'service' ? 'service_url' : `${table}_url`;
}

/** An http(s) address, or null: a malformed address is dropped, not the row. */
export function httpUrl(value: string): string | null {
  if (value === '') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/** A service already paid through eCitizen is live; anything else has not started on-boarding. */
export function onboardingStatusFor(url: string | null): OnboardingStatus {
  if (url === null) return 'not_started';
  const host = new URL(url).hostname.toLowerCase();
  return host === 'ecitizen.go.ke' || host.endsWith('.ecitizen.go.ke') ? 'live' : 'not_started';
}

/**
 * A requirements cell as a list: one item per line, or per ';' or '•' when it is one line;
 * bullets and numbering are dropped.
 */
export function splitRequirements(cell: string): string[] {
  const trimmed = cell.trim();
  if (trimmed === '') return [];
  const lines = trimmed.split(/\r?\n/);
  const parts = lines.length > 1 ? lines : trimmed.split(/[;•]/);
  return parts
    .map((part) => part.replace(/^\s*(?:[-*•·–]|\d{1,2}[.)])\s*/, '').trim())
    .filter((part) => part !== '')
    .slice(0, requirementsCountMax)
    .map((part) => part.slice(0, requirementLengthMax));
}

/** 'Ministry Of Roads & Transport' -> 'ministry-of-roads-transport'; at most 80 characters. */
export function slugify(name: string): string {
  const slug = name.normalize('NFKD').replaceAll(/[\u0300-\u036f]/g, '').toLowerCase()
    .replaceAll(/[^a-z0-9]+/g, '-').replaceAll(/^-+|-+$/g, '');
  if (slug.length <= slugLengthMax) return slug;
  const cut = slug.slice(0, slugLengthMax);
  const lastHyphen = cut.lastIndexOf('-');
  return lastHyphen > slugLengthMax / 2 ? cut.slice(0, lastHyphen) : cut;
}

/**
 * Slugs to try for a new row, best first: the name's slug, then with a short suffix from the
 * source id, then with the whole source id (unique, since source ids are).
 */
export function slugCandidates(table: ImportTable, name: string, sourceId: string): string[] {
  const base = slugify(name) || table;
  const lowerId = sourceId.toLowerCase();
  return [...new Set([base, `${base}-${lowerId.slice(0, 6)}`, `${base}-${lowerId}`])];
}
