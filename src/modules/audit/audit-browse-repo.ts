/**
 * The auditor's reads of the log: a page of records newest first, past a sequence (keyset: no
 * OFFSET, so page 10,000 costs what page 1 does), filtered by Kenya dates, actor, action and
 * subject; and one record by its sequence.
 */
import assert from 'node:assert/strict';
import type { AuditRecord } from './audit-chain.ts';
import { occurredAtMicros, toAuditRecord } from './audit-repo.ts';
import { withAuditTables, type AnyKysely } from './audit-tables.ts';

export const auditBrowsePageSizeMax = 100;

/** What the browser may filter by; every part optional, all parts together (AND). */
export type AuditFilter = Readonly<{
  /** Kenya dates (YYYY-MM-DD), both included: from 00:00 EAT on `from` to 24:00 EAT on `to`. */
  from?: string | undefined;
  to?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
}>;

export type AuditPage = Readonly<{
  records: readonly AuditRecord[];
  /** The cursor of the next (older) page, when there is one. */
  nextBefore: bigint | undefined;
}>;

/** Years 1900-2099: the log is younger, and PostgreSQL has no year 0 for a bad date. */
const kenyaDatePattern = /^(19|20)\d{2}-\d{2}-\d{2}$/;
const dayMs = 86_400_000;

/** The instant a Kenya date starts (East Africa Time is UTC+3 all year), if it is a date. */
export function kenyaDayStart(day: string): Date | undefined {
  if (!kenyaDatePattern.test(day)) return undefined;
  const start = new Date(`${day}T00:00:00.000+03:00`);
  if (!Number.isFinite(start.getTime())) return undefined;
  // Refuse dates the calendar lacks (2026-02-30 would roll over to March).
  const back = new Date(start.getTime() + 3 * 3_600_000).toISOString().slice(0, 10);
  return back === day ? start : undefined;
}

/**
 * Records matching `filter`, newest first, older than `before` (a sequence; none: from the
 * newest). `filter` must hold valid dates (checked by the caller with kenyaDayStart).
 */
export async function browseAuditRecords(
  db: AnyKysely,
  filter: AuditFilter,
  options: Readonly<{ before?: bigint | undefined; pageSize: number }>,
): Promise<AuditPage> {
  assert.ok(options.pageSize >= 1 && options.pageSize <= auditBrowsePageSizeMax);
  let query = withAuditTables(db).selectFrom('audit_record').selectAll()
    .select(occurredAtMicros);
  if (options.before !== undefined) query = query.where('sequence', '<', options.before);
  const from = filter.from === undefined ? undefined : kenyaDayStart(filter.from);
  const to = filter.to === undefined ? undefined : kenyaDayStart(filter.to);
  if (from !== undefined) query = query.where('occurred_at', '>=', from);
  if (to !== undefined) query = query.where('occurred_at', '<', new Date(to.getTime() + dayMs));
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.subjectType !== undefined) {
    query = query.where('subject_type', '=', filter.subjectType);
  }
  if (filter.subjectId !== undefined) query = query.where('subject_id', '=', filter.subjectId);
  const rows = await query.orderBy('sequence', 'desc').limit(options.pageSize + 1).execute();
  const records = rows.slice(0, options.pageSize).map(toAuditRecord);
  return {
    records,
    nextBefore: rows.length > options.pageSize ? records.at(-1)?.sequence : undefined,
  };
}

/** One record by its place in the chain. */
export async function findAuditRecord(
  db: AnyKysely,
  sequence: bigint,
): Promise<AuditRecord | undefined> {
  const row = await withAuditTables(db).selectFrom('audit_record').selectAll()
    .select(occurredAtMicros).where('sequence', '=', sequence).executeTakeFirst();
  return row === undefined ? undefined : toAuditRecord(row);
}

/** How many records the chain holds, by its head row (no count over millions of rows). */
export async function auditChainLength(db: AnyKysely): Promise<bigint> {
  const head = await withAuditTables(db).selectFrom('audit_chain_head').select('sequence')
    .executeTakeFirst();
  return head?.sequence ?? 0n;
}
