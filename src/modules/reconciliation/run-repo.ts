/**
 * Runs and their staged lines: creating a run, writing lines in batches (one statement per
 * batch: a JSON record set, since parameters per statement are limited), finishing a run, and
 * the reads the pages and reports use. Functions ending in InTrx run in the caller's
 * transaction.
 */
import { sql, type Kysely } from 'kysely';
import type {
  AnyKysely,
  FindingKind,
  LineClass,
  ReconciliationTables,
  RunSource,
  RunStatus,
} from './reconciliation-tables.ts';

export type ReconciliationDb = Kysely<ReconciliationTables>;

export function reconciliationDb(db: AnyKysely): ReconciliationDb {
  return db as ReconciliationDb;
}

export type NewRun = Readonly<{
  id: string;
  source: RunSource;
  shortcode: string;
  startedBy: string;
  startedAt: Date;
}>;

export async function insertRun(db: ReconciliationDb, run: NewRun): Promise<void> {
  await db.insertInto('reconciliation_run').values({
    id: run.id, source: run.source, shortcode: run.shortcode, status: 'importing',
    content_sha256: null, repeat_of: null, window_from: null, window_to: null,
    newest_first: false, line_count: 0, line_amount_minor: null, finding_count: 0,
    rejection: null,
    started_by: run.startedBy, started_at: run.startedAt, finished_at: null,
  }).execute();
}

/** A completed run of the same shortcode with the same content, if any. */
export async function findCompletedRunBySha(db: ReconciliationDb, shortcode: string,
  sha256: string): Promise<string | undefined> {
  const row = await db.selectFrom('reconciliation_run').select('id')
    .where('shortcode', '=', shortcode).where('content_sha256', '=', sha256)
    .where('status', '=', 'completed').orderBy('started_at').executeTakeFirst();
  return row?.id;
}

export async function updateRun(db: ReconciliationDb, runId: string, changes: Readonly<{
  status?: RunStatus;
  contentSha256?: string;
  repeatOf?: string;
  windowFrom?: Date;
  windowTo?: Date;
  newestFirst?: boolean;
  lineCount?: number;
  lineAmountMinor?: bigint;
  rejection?: string;
  finishedAt?: Date;
}>): Promise<void> {
  await db.updateTable('reconciliation_run').set({
    ...(changes.status === undefined ? {} : { status: changes.status }),
    ...(changes.contentSha256 === undefined ? {} : { content_sha256: changes.contentSha256 }),
    ...(changes.repeatOf === undefined ? {} : { repeat_of: changes.repeatOf }),
    ...(changes.windowFrom === undefined ? {} : { window_from: changes.windowFrom }),
    ...(changes.windowTo === undefined ? {} : { window_to: changes.windowTo }),
    ...(changes.newestFirst === undefined ? {} : { newest_first: changes.newestFirst }),
    ...(changes.lineCount === undefined ? {} : { line_count: changes.lineCount }),
    ...(changes.lineAmountMinor === undefined ? {}
      : { line_amount_minor: changes.lineAmountMinor }),
    ...(changes.rejection === undefined ? {} : { rejection: changes.rejection.slice(0, 500) }),
    ...(changes.finishedAt === undefined ? {} : { finished_at: changes.finishedAt }),
  }).where('id', '=', runId).execute();
}

export async function countFindingsInTrx(db: ReconciliationDb, runId: string):
  Promise<number> {
  const row = await db.selectFrom('reconciliation_finding')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('run_id', '=', runId).executeTakeFirstOrThrow();
  return Number(row.count);
}

export type LineToApply = Readonly<{
  lineNumber: number;
  receipt: string;
  completedAt: Date;
  amountMinor: bigint;
  accountReference: string;
  raw: string;
}>;

/** Lines of one class after `afterLine`, in line order (keyset paging). */
export async function linesToApply(db: ReconciliationDb, runId: string, lineClass: LineClass,
  afterLine: number, limit: number): Promise<LineToApply[]> {
  const rows = await db.selectFrom('reconciliation_line')
    .select(['line_number', 'receipt', 'completed_at', 'paid_in_minor', 'withdrawn_minor',
      'account_reference', 'raw'])
    .where('run_id', '=', runId).where('class', '=', lineClass)
    .where('line_number', '>', afterLine).orderBy('line_number').limit(limit).execute();
  return rows.map((row) => ({
    lineNumber: row.line_number, receipt: row.receipt, completedAt: row.completed_at,
    amountMinor: BigInt(row.paid_in_minor) + BigInt(row.withdrawn_minor),
    accountReference: row.account_reference, raw: row.raw ?? '',
  }));
}

export async function setLinePaymentsInTrx(db: AnyKysely, runId: string,
  updates: readonly Readonly<{ lineNumber: number; paymentId: string; class: LineClass }>[]):
  Promise<void> {
  if (updates.length === 0) return;
  const rows = JSON.stringify(updates.map((update) =>
    ({ n: update.lineNumber, p: update.paymentId, c: update.class })));
  await sql`update reconciliation_line l set payment_id = j.p, class = j.c
    from jsonb_to_recordset(${rows}::jsonb) as j (n int, p uuid, c text)
    where l.run_id = ${runId} and l.line_number = j.n`.execute(db);
}

export type RunRow = Readonly<{
  id: string;
  source: RunSource;
  shortcode: string;
  status: RunStatus;
  repeatOf: string | null;
  windowFrom: Date | null;
  windowTo: Date | null;
  lineCount: number;
  findingCount: number;
  rejection: string | null;
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
}>;

const runColumns = ['id', 'source', 'shortcode', 'status', 'repeat_of', 'window_from',
  'window_to', 'line_count', 'finding_count', 'rejection', 'started_by', 'started_at',
  'finished_at'] as const;

function runRow(row: Readonly<Record<(typeof runColumns)[number], unknown>>): RunRow {
  return {
    id: row.id as string, source: row.source as RunSource, shortcode: row.shortcode as string,
    status: row.status as RunStatus, repeatOf: row.repeat_of as string | null,
    windowFrom: row.window_from as Date | null, windowTo: row.window_to as Date | null,
    lineCount: row.line_count as number, findingCount: row.finding_count as number,
    rejection: row.rejection as string | null, startedBy: row.started_by as string,
    startedAt: row.started_at as Date, finishedAt: row.finished_at as Date | null,
  };
}

export async function findRun(db: ReconciliationDb, runId: string): Promise<RunRow | undefined> {
  const row = await db.selectFrom('reconciliation_run').select(runColumns)
    .where('id', '=', runId).executeTakeFirst();
  return row === undefined ? undefined : runRow(row);
}

export async function listRuns(db: ReconciliationDb, page: Readonly<{ limit: number;
  offset: number }>): Promise<RunRow[]> {
  const rows = await db.selectFrom('reconciliation_run').select(runColumns)
    .orderBy('started_at', 'desc').orderBy('id', 'desc')
    .limit(page.limit).offset(page.offset).execute();
  return rows.map(runRow);
}

export type ClassTotal = Readonly<{ name: string; count: number; amountMinor: bigint }>;

/**
 * Lines per class (count, amount) and findings per kind, of one run. The lines that are not
 * matched are counted through the partial class index; the matched ones are the run's total
 * (reconciliation_run.line_amount_minor, set at staging) less them, or counted in full for a
 * run staged without it.
 */
export async function runTotals(db: ReconciliationDb, runId: string): Promise<Readonly<{
  classes: ClassTotal[]; findings: ClassTotal[] }>> {
  const run = await db.selectFrom('reconciliation_run')
    .select(['line_count', 'line_amount_minor']).where('id', '=', runId).executeTakeFirst();
  const whole = run?.line_amount_minor ?? null;
  const classes = await db.selectFrom('reconciliation_line')
    .select((eb) => [eb.ref('class').as('name'), eb.fn.countAll<string>().as('count'),
      sql<string>`sum(paid_in_minor + withdrawn_minor)`.as('amount')])
    .where('run_id', '=', runId)
    // The partial index's own predicate, written as it is (not with a parameter).
    .$if(whole !== null, (query) => query.where(sql<boolean>`(class is null
      or class <> 'matched')`))
    .groupBy('class').orderBy('class').execute();
  const findings = await db.selectFrom('reconciliation_finding')
    .select((eb) => [eb.ref('kind').as('name'), eb.fn.countAll<string>().as('count'),
      sql<string>`coalesce(sum(abs(amount_minor)), 0)`.as('amount')])
    .where('run_id', '=', runId).groupBy('kind').orderBy('kind').execute();
  const total = (row: { name: string | null; count: string | number; amount: string | bigint }):
    ClassTotal => ({ name: row.name ?? 'unclassified', count: Number(row.count),
    amountMinor: BigInt(row.amount) });
  const totals = classes.map(total);
  return { classes: whole === null || run === undefined ? totals
    : withMatched(totals, run.line_count, whole), findings: findings.map(total) };
}

/**
 * The other classes' totals with the matched lines' (the rest of the run's) where the query's
 * order (by class, lines without one last) puts them.
 */
function withMatched(others: readonly ClassTotal[], lineCount: number, amountMinor: bigint):
  ClassTotal[] {
  const count = lineCount - others.reduce((sum, row) => sum + row.count, 0);
  const amount = others.reduce((sum, row) => sum - row.amountMinor, amountMinor);
  if (count === 0) return [...others];
  const after = others.findIndex((row) => row.name > 'matched');
  const at = after === -1 ? others.length : after;
  return [...others.slice(0, at), { name: 'matched', count, amountMinor: amount },
    ...others.slice(at)];
}

/**
 * Lines per class on a Kenya calendar day across completed runs, each statement line counted
 * once (the latest import of it), and the findings raised about that day's lines.
 */
export async function dayTotals(db: ReconciliationDb, day: string): Promise<Readonly<{
  classes: ClassTotal[]; findings: ClassTotal[] }>> {
  const classes = await sql<{ name: string; count: string; amount: string }>`
    with latest as (
      select distinct on (r.shortcode, l.receipt, l.completed_at, l.paid_in_minor,
          l.withdrawn_minor) l.class, l.paid_in_minor + l.withdrawn_minor as amount
      from reconciliation_line l join reconciliation_run r on r.id = l.run_id
      where r.status = 'completed'
        and (l.completed_at at time zone 'Africa/Nairobi')::date = ${day}::date
      order by r.shortcode, l.receipt, l.completed_at, l.paid_in_minor, l.withdrawn_minor,
        r.started_at desc, l.line_number)
    select class as name, count(*) as count, sum(amount) as amount from latest
    group by class order by class`.execute(db);
  const findings = await sql<{ name: string; count: string; amount: string }>`
    select f.kind as name, count(*) as count, coalesce(sum(abs(f.amount_minor)), 0) as amount
    from reconciliation_finding f join reconciliation_run r on r.id = f.run_id
    left join reconciliation_line l on l.run_id = f.run_id and l.line_number = f.line_number
    left join payment p on p.id = f.payment_id and f.line_number is null
    where r.status = 'completed' and (coalesce(l.completed_at, p.paid_at)
      at time zone 'Africa/Nairobi')::date = ${day}::date
    group by f.kind order by f.kind`.execute(db);
  const total = (row: { name: string; count: string; amount: string }): ClassTotal =>
    ({ name: row.name, count: Number(row.count), amountMinor: BigInt(row.amount) });
  return { classes: classes.rows.map(total), findings: findings.rows.map(total) };
}

export type LineRow = Readonly<{
  lineNumber: number;
  receipt: string;
  completedAt: Date;
  paidInMinor: bigint;
  withdrawnMinor: bigint;
  balanceMinor: bigint | null;
  reasonType: string;
  accountReference: string;
  class: LineClass | null;
  paymentId: string | null;
  ledgerMinor: bigint | null;
  note: string | null;
}>;

/** A run's lines (of one class, or all), in line order, after `afterLine`. */
export async function listLines(db: AnyKysely, runId: string, options: Readonly<{
  lineClass?: LineClass | undefined; afterLine: number; limit: number; day?: string }>):
  Promise<LineRow[]> {
  const rows = await sql<Record<string, unknown>>`select l.line_number, l.receipt,
      l.completed_at, l.paid_in_minor, l.withdrawn_minor, l.balance_minor, l.reason_type,
      l.account_reference, l.class, l.payment_id, l.ledger_minor, l.note
    from reconciliation_line l where l.run_id = ${runId} and l.line_number > ${options.afterLine}
      ${options.lineClass === undefined ? sql`` : sql`and l.class = ${options.lineClass}`}
    order by l.line_number limit ${options.limit}`.execute(db);
  return rows.rows.map((row) => ({
    lineNumber: row.line_number as number, receipt: row.receipt as string,
    completedAt: row.completed_at as Date, paidInMinor: BigInt(row.paid_in_minor as bigint),
    withdrawnMinor: BigInt(row.withdrawn_minor as bigint),
    balanceMinor: row.balance_minor === null ? null : BigInt(row.balance_minor as bigint),
    reasonType: row.reason_type as string, accountReference: row.account_reference as string,
    class: row.class as LineClass | null, paymentId: row.payment_id as string | null,
    ledgerMinor: row.ledger_minor === null ? null : BigInt(row.ledger_minor as bigint),
    note: row.note as string | null,
  }));
}

export type FindingRow = Readonly<{
  kind: FindingKind;
  lineNumber: number | null;
  receipt: string | null;
  amountMinor: bigint | null;
  detail: string;
}>;

export async function listFindings(db: ReconciliationDb, runId: string, limit: number):
  Promise<FindingRow[]> {
  const rows = await db.selectFrom('reconciliation_finding')
    .select(['kind', 'line_number', 'receipt', 'amount_minor', 'detail'])
    .where('run_id', '=', runId).orderBy('kind').orderBy('line_number').orderBy('id')
    .limit(limit).execute();
  return rows.map((row) => ({ kind: row.kind, lineNumber: row.line_number,
    receipt: row.receipt, detail: row.detail,
    amountMinor: row.amount_minor === null ? null : BigInt(row.amount_minor) }));
}

/** Whether the shortcode has a completed run other than this one. */
export async function hasEarlierRuns(db: ReconciliationDb, runId: string, shortcode: string):
  Promise<boolean> {
  const row = await db.selectFrom('reconciliation_run').select('id')
    .where('shortcode', '=', shortcode).where('status', '=', 'completed')
    .where('id', '<>', runId).executeTakeFirst();
  return row !== undefined;
}
