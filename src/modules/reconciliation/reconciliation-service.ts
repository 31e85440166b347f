/**
 * Reconciling a statement, as a sequence of steps each safe to repeat:
 * 1. stage: read and check the lines in Node (one reader for both databases) and write them,
 *    classified where one look decides, in ONE transaction, so a bad line
 *    (StatementLineError) refuses the whole import and keeps nothing but the refused run;
 *    the same content (SHA-256) as a completed run of the shortcode is a repeat: nothing is
 *    kept but a run that says so;
 * 2. classify every line, set-based (matching-repo.ts);
 * 3. apply: missing callbacks become payments through payments (raw fact, notice, allocation,
 *    audit), sweeps and provider charges are posted (idempotent by receipt), in batches;
 * 4. prove: the ledger amount of each line, the balance proof, the findings; complete the run.
 */
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import { recordAuditsInTrx, type AuditEvent } from '#modules/audit/index.ts';
import {
  paybillSwept,
  postEntriesInTrx,
  providerCharged,
  type Entry,
} from '#modules/ledger/index.ts';
import {
  darajaClientFor,
  ingestContextFor,
  recordStatementPaymentsInTrx,
  type DarajaClient,
} from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import {
  balanceFindingsInTrx,
  classifiedRows,
  classifyRestInTrx,
  hasPlatformOnly,
  insertClassifiedLinesInTrx,
  lineFindingsInTrx,
  platformOnlyFindingsInTrx,
  recordLedgerAmountsInTrx,
  stagedLineColumns,
} from './matching-repo.ts';
import {
  countFindingsInTrx,
  findCompletedRunBySha,
  findRun,
  hasEarlierRuns,
  insertRun,
  linesToApply,
  reconciliationDb,
  runTotals,
  setLinePaymentsInTrx,
  updateRun,
  type ClassTotal,
  type LineToApply,
  type RunRow,
} from './run-repo.ts';
import {
  ImportRefusedError,
  readStatement,
  type StatementLine,
} from './statement-csv.ts';
import { readPulled } from './pull-source.ts';
import { copyLines, scratchSource } from './statement-copy.ts';
import { StagedFacts } from './staged-facts.ts';
import type { AnyKysely, RunSource } from './reconciliation-tables.ts';

const progressEvery = 50_000;
const insertBatchLines = 5_000;
const applyBatchSize = 500;

/**
 * Plans for whole runs: the scratch table and a run's fresh lines have no statistics yet, so
 * the planner would guess a few rows and probe indexes a million times instead of hashing;
 * hash joins of a million lines against a million payments stay in memory; no JIT.
 */
const bulkPlanSettings = ['set local enable_nestloop = off', 'set local jit = off',
  "set local work_mem = '256MB'"];

export type ImportInput = Readonly<{
  source: RunSource;
  shortcode: string;
  /** Who started it (staff id, or system:<job>). */
  startedBy: string;
  /** The checked lines, in order, a batch at a time. */
  batches: AsyncIterable<readonly StatementLine[]>;
  /** The content hash, complete once `batches` is exhausted. */
  sha256: () => string;
  /** PostgreSQL: the connection string the lines are COPYed through (statement-copy.ts). */
  copyTo?: string;
  /** The window asked for (Pull); a statement's window is its first and last line. */
  window?: Readonly<{ from: Date; to: Date }>;
  onProgress?: (progress: Readonly<{ step: string; lines: number }>) => void;
}>;

export type RunReport = Readonly<{
  run: RunRow;
  classes: ClassTotal[];
  findings: ClassTotal[];
}>;

class RepeatOf extends Error {
  readonly runId: string;
  readonly sha256: string;
  constructor(runId: string, sha256: string) {
    super('a repeat');
    this.runId = runId;
    this.sha256 = sha256;
  }
}

/**
 * Stages the lines in ONE transaction, so a bad line (StatementLineError) refuses the whole
 * import and keeps nothing but the refused run: on PostgreSQL they stream by COPY into the
 * scratch table while they are read, then are classified from it by a query whose rows are
 * COPYed into reconciliation_line (statement-copy.ts); otherwise (PGlite) they are classified
 * as they are written, a batch at a time.
 */
type Staged = Readonly<{ facts: StagedFacts;
  /** The scratch table emptied and its session ended (PostgreSQL), while the run goes on. */
  released: Promise<void> }>;

async function stage(deps: ModuleDeps, runId: string, input: ImportInput): Promise<Staged> {
  const facts = new StagedFacts();
  const observed = observe(input, facts);
  if (input.copyTo === undefined) {
    await deps.db.transaction().execute(async (trx) => {
      // A statement per 5,000 lines: a stream chunk holds a few hundred.
      let pending: StatementLine[] = [];
      for await (const batch of observed) {
        pending = pending.concat(batch);
        if (pending.length < insertBatchLines) continue;
        await insertClassifiedLinesInTrx(trx, runId, input.shortcode, pending);
        pending = [];
      }
      await insertClassifiedLinesInTrx(trx, runId, input.shortcode, pending);
      await finishStagingInTrx(trx, runId, input, facts);
    });
    return { facts, released: Promise.resolve() };
  }
  const session = await copyLines(input.copyTo, observed);
  try {
    await session.transaction(async () => {
      // A repeat is known before the million lines are classified.
      await finishStagingInTrx(session.db, runId, input, facts, async () => {
        const written = await session.copySelect(classifiedRows(runId, input.shortcode,
          scratchSource()).compile(deps.db),
        `reconciliation_line (${stagedLineColumns.join(', ')})`, bulkPlanSettings);
        // Every line read is written once (the scratch table held this import's alone).
        if (written !== facts.count) {
          throw new Error(`${facts.count} lines read but ${written} staged`);
        }
      });
    });
  } catch (error) {
    await session.release();
    throw error;
  }
  // Emptying the scratch table (0.1 s a million lines) overlaps the run's next steps; it
  // fails harmlessly (the next import empties it first; the session's end frees the lock).
  const released = session.release().catch((error: unknown) => {
    deps.logger.warn({ err: error }, 'the reconciliation scratch table was not emptied');
  });
  return { facts, released };
}

/** The batches as they pass, counted and reported. */
async function* observe(input: ImportInput, facts: StagedFacts):
  AsyncGenerator<readonly StatementLine[]> {
  let reported = 0;
  for await (const batch of input.batches) {
    facts.add(batch);
    yield batch;
    if (facts.count - reported >= progressEvery) {
      reported = facts.count;
      input.onProgress?.({ step: 'stage', lines: facts.count });
    }
  }
}

/** Refuses a repeat (RepeatOf), writes the lines if not yet written, and the run's window. */
async function finishStagingInTrx(trx: AnyKysely, runId: string, input: ImportInput,
  facts: StagedFacts, write?: () => Promise<void>): Promise<void> {
  const sha256 = input.sha256();
  const repeat = await findCompletedRunBySha(reconciliationDb(trx), input.shortcode, sha256);
  if (repeat !== undefined) throw new RepeatOf(repeat, sha256);
  await write?.();
  await updateRun(reconciliationDb(trx), runId, { contentSha256: sha256,
    lineAmountMinor: facts.amountMinor, ...facts.window(input.window) });
}

/** Plans for whole runs (bulkPlanSettings). */
async function forBulkInTrx(trx: AnyKysely): Promise<void> {
  for (const setting of bulkPlanSettings) await sql.raw(setting).execute(trx);
}

/** Imports and reconciles one statement; a refused or repeated import is a run too. */
export async function reconcileStatement(deps: ModuleDeps, input: ImportInput):
  Promise<RunReport> {
  const db = reconciliationDb(deps.db);
  const runId = uuidv7(deps.clock.now().getTime());
  await insertRun(db, { id: runId, source: input.source, shortcode: input.shortcode,
    startedBy: input.startedBy, startedAt: deps.clock.now() });
  let staged: Staged;
  try {
    staged = await stage(deps, runId, input);
  } catch (error) {
    if (error instanceof RepeatOf) {
      await updateRun(db, runId, { status: 'repeated', repeatOf: error.runId,
        contentSha256: error.sha256, finishedAt: deps.clock.now(),
        ...(input.window === undefined ? {}
          : { windowFrom: input.window.from, windowTo: input.window.to }) });
      return reportOf(deps, runId);
    }
    if (!(error instanceof ImportRefusedError)) throw error;
    await updateRun(db, runId, { status: 'rejected', rejection: error.message,
      finishedAt: deps.clock.now() });
    return reportOf(deps, runId);
  }
  try {
    await reconcileStaged(deps, runId, input, staged.facts);
  } finally {
    await staged.released;
  }
  return reportOf(deps, runId);
}

/** Classifies the rest, applies what the statement shows, proves: the run is completed. */
async function reconcileStaged(deps: ModuleDeps, runId: string, input: ImportInput,
  facts: StagedFacts): Promise<void> {
  input.onProgress?.({ step: 'classify', lines: 0 });
  const platformOnlyAsked = askPlatformOnly(deps, runId, input.shortcode);
  const earlierRuns = await hasEarlierRuns(reconciliationDb(deps.db), runId, input.shortcode);
  await deps.db.transaction().execute(async (trx) => {
    await forBulkInTrx(trx);
    await classifyRestInTrx(trx, runId, input.shortcode, { earlierRuns,
      mayRepeat: facts.mayRepeat, withdrawals: facts.withdrawals });
  });
  await applyMissingCallbacks(deps, runId, input);
  await applyWithdrawals(deps, runId, input.shortcode, input.onProgress);
  await prove(deps, runId, input, facts, platformOnlyAsked);
}

/**
 * On PostgreSQL, whether the statement misses any platform payment of its window, asked on a
 * session of its own as soon as the lines are staged, while the run goes on: the usual
 * answer, none, saves that search (a pass over the window's payments and the run's lines)
 * inside the proof's transaction. The platform as it was when the lines were staged is the
 * one compared (a payment this run records is in the statement). PGlite: asked in the proof.
 */
function askPlatformOnly(deps: ModuleDeps, runId: string, shortcode: string): Promise<boolean> {
  if (deps.databaseKind !== 'postgres') return Promise.resolve(true);
  const asked = deps.db.transaction().execute(async (trx) => {
    await forBulkInTrx(trx);
    return hasPlatformOnly(trx, runId, shortcode);
  });
  // Awaited by the proof; a failure before that must not be left unhandled.
  asked.catch(() => undefined);
  return asked;
}

/**
 * The ledger amounts, the balance proof and the findings (platform-only ones only if
 * `platformOnlyAsked` says there may be some); completes the run.
 */
async function prove(deps: ModuleDeps, runId: string, input: ImportInput, facts: StagedFacts,
  platformOnlyAsked: Promise<boolean>): Promise<void> {
  input.onProgress?.({ step: 'prove', lines: 0 });
  await deps.db.transaction().execute(async (trx) => {
    const now = deps.clock.now();
    // The few lines without a ledger amount yet are found through the partial index.
    await recordLedgerAmountsInTrx(trx, runId, input.shortcode);
    // The balance proof's window over every line sorts in memory.
    await forBulkInTrx(trx);
    await balanceFindingsInTrx(trx, runId, input.shortcode, now,
      facts.balanceSteps(facts.window().newestFirst));
    await lineFindingsInTrx(trx, runId, now);
    if (await platformOnlyAsked) await platformOnlyFindingsInTrx(trx, runId, input.shortcode, now);
    const findings = await countFindingsInTrx(reconciliationDb(trx), runId);
    await reconciliationDb(trx).updateTable('reconciliation_run')
      .set({ status: 'completed', finding_count: findings, finished_at: now })
      .where('id', '=', runId).execute();
    await recordAuditsInTrx(trx, [{ action: 'RECONCILIATION_RUN_COMPLETED',
      actor: actorOf(input.startedBy), subject: { type: 'reconciliation_run', id: runId },
      agencyId: null, detail: { shortcode: input.shortcode, source: input.source,
        findings } }], now);
  });
}

function actorOf(startedBy: string): AuditEvent['actor'] {
  return startedBy.startsWith('system:')
    ? { kind: 'system', id: startedBy.slice('system:'.length) }
    : { kind: 'staff', id: startedBy };
}

async function reportOf(deps: ModuleDeps, runId: string): Promise<RunReport> {
  const db = reconciliationDb(deps.db);
  const run = await findRun(db, runId);
  if (run === undefined) throw new Error('the run just written is gone');
  return { run, ...await runTotals(db, runId) };
}

async function applyMissingCallbacks(deps: ModuleDeps, runId: string, input: ImportInput):
  Promise<void> {
  const db = reconciliationDb(deps.db);
  const context = ingestContextFor(deps);
  let after = 0;
  for (;;) {
    const lines = await linesToApply(db, runId, 'missing_callback', after, applyBatchSize);
    if (lines.length === 0) return;
    after = lines.at(-1)?.lineNumber ?? after;
    await deps.db.transaction().execute(async (trx) => {
      const outcomes = await recordStatementPaymentsInTrx(trx, lines.map((line) => ({
        receiptNumber: line.receipt, amount: money(line.amountMinor, 'KES'),
        accountReference: line.accountReference, paidAt: line.completedAt,
        shortcode: input.shortcode, raw: line.raw,
        rawKind: input.source === 'pull_api'
          ? 'mpesa_pull_transaction' as const : 'mpesa_statement_line' as const,
      })), context());
      await setLinePaymentsInTrx(trx, runId, outcomes.map((outcome, i) => ({
        lineNumber: lines[i]?.lineNumber ?? 0, paymentId: outcome.paymentId,
        // Recorded meanwhile by a late callback: then it is simply matched.
        class: outcome.kind === 'duplicate' ? 'matched' as const : 'missing_callback' as const,
      })));
    });
    input.onProgress?.({ step: 'missing callbacks', lines: after });
  }
}

function withdrawalEntry(shortcode: string, lineClass: 'sweep' | 'charge',
  line: LineToApply): Entry {
  const amount = money(line.amountMinor, 'KES');
  return lineClass === 'sweep'
    ? paybillSwept({ sweepId: line.receipt, shortcode, amount, occurredAt: line.completedAt })
    : providerCharged({ chargeId: `mpesa:${line.receipt}`,
      channel: { kind: 'mpesa', shortcode }, amount, occurredAt: line.completedAt });
}

/** Posts the sweeps and charges the statement shows (idempotent by receipt), audited. */
async function applyWithdrawals(deps: ModuleDeps, runId: string, shortcode: string,
  onProgress: ImportInput['onProgress']): Promise<void> {
  const db = reconciliationDb(deps.db);
  for (const lineClass of ['sweep', 'charge'] as const) {
    let after = 0;
    for (;;) {
      const lines = await linesToApply(db, runId, lineClass, after, applyBatchSize);
      if (lines.length === 0) break;
      after = lines.at(-1)?.lineNumber ?? after;
      await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const entries = lines.map((line) => withdrawalEntry(shortcode, lineClass, line));
        const posted = await postEntriesInTrx(trx, entries);
        if (!posted.ok) {
          throw new Error(`ledger refused a ${lineClass}: ${posted.error.code}`);
        }
        await recordAuditsInTrx(trx, posted.value.flatMap((result, index) =>
          result.alreadyPosted ? [] : [{
            action: lineClass === 'sweep' ? 'PAYBILL_SWEEP_RECORDED' : 'PROVIDER_CHARGE_RECORDED',
            actor: { kind: 'system' as const, id: 'reconciliation' },
            subject: { type: 'ledger_entry', id: result.entryId }, agencyId: null,
            detail: { runId, receipt: lines[index]?.receipt ?? '',
              amountMinor: (lines[index]?.amountMinor ?? 0n).toString() },
          }]), now);
      });
      onProgress?.({ step: `${lineClass}s`, lines: after });
    }
  }
}


/**
 * Imports a statement CSV (streamed) and reconciles it: on PostgreSQL with a connection
 * string, through COPY (statement-copy.ts); otherwise parsed here, line by line.
 */
export async function reconcileStatementCsv(deps: ModuleDeps, input: Readonly<{
  csv: Readable;
  shortcode: string;
  startedBy: string;
  onProgress?: ImportInput['onProgress'];
}>): Promise<RunReport> {
  const url = deps.config.databaseUrl;
  const reader = readStatement(input.csv);
  return reconcileStatement(deps, { source: 'statement_csv', shortcode: input.shortcode,
    startedBy: input.startedBy, batches: reader.batches, sha256: reader.sha256,
    ...(deps.databaseKind === 'postgres' && url !== undefined ? { copyTo: url } : {}),
    ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }) });
}

/** Imports the paybill's transactions in a window through Pull Transactions and reconciles. */
export async function reconcilePull(deps: ModuleDeps, input: Readonly<{
  from: Date;
  to: Date;
  startedBy: string;
  client?: DarajaClient;
  onProgress?: ImportInput['onProgress'];
}>): Promise<RunReport> {
  const window = { from: input.from, to: input.to };
  const reader = readPulled(input.client ?? darajaClientFor(deps), window);
  return reconcileStatement(deps, { source: 'pull_api', shortcode: deps.config.mpesa.shortcode,
    startedBy: input.startedBy, batches: reader.batches, sha256: reader.sha256, window,
    ...(input.onProgress === undefined ? {} : { onProgress: input.onProgress }) });
}
