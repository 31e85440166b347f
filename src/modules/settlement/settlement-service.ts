/**
 * Settlement batches (docs/settlement.md): prepare (fix each payee's amount from ledger entries
 * up to a cut-off; an entry in at most one batch) -> approved by two different people, neither
 * the preparer (the second approval releases it: payable -> settlement-clearing, the bank file
 * is available) -> settled with the bank's reference (clearing -> Treasury bank), or a line
 * returned by the bank (clearing -> back to the payee's liability). Every step audited in its
 * own transaction with the money it moves.
 */
import assert from 'node:assert/strict';
import type { Transaction } from 'kysely';
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import { findAgencyById } from '#modules/catalogue/index.ts';
import {
  agencySettled,
  postEntryInTrx,
  settlementReleased,
  settlementReturned,
  type Entry,
  type SettlementPayee,
} from '#modules/ledger/index.ts';
import type { Database } from '#platform/db/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { money, type Currency } from '#platform/money/index.ts';
import type { SettlementErrorCode } from './settlement-errors.ts';
import type { SettlementTables } from './settlement-tables.ts';
import {
  findBatch,
  findBatchByScheduleKey,
  findLine,
  listApprovals,
  listLines,
  listProfiles,
  lockBatchInTrx,
  lockCurrencyInTrx,
  selectUnbatchedInTrx,
  settlementDb,
  type BatchRow,
  type LineRow,
  type ProfileRow,
  type SettlementDb,
  type UnbatchedEntry,
} from './settlement-repo.ts';

export type SettlementDeps = Readonly<{ db: Database }>;
export type SettlementFailure = Failure<SettlementErrorCode>;
export const treasuryPayee = 'treasury';
export const treasuryName = 'National Treasury (access fees)';

class Refused extends Error {
  readonly failure: SettlementFailure;
  constructor(refusal: SettlementFailure) {
    super(refusal.code);
    this.failure = refusal;
  }
}

const refuse = (code: SettlementErrorCode, detail?: string): never => {
  throw new Refused(failure(code, detail));
};

async function refusalsAsResults<T>(run: () => Promise<T>): Promise<Result<T, SettlementFailure>> {
  try {
    return ok(await run());
  } catch (error) {
    if (error instanceof Refused) return err(error.failure);
    throw error;
  }
}

/** The payee an account belongs to: an agency's id, or 'treasury' for access fees. */
export function payeeOfAccount(accountCode: string): string {
  return accountCode === 'revenue:access-fee' ? treasuryPayee
    : accountCode.slice('payable:agency:'.length);
}

export function ledgerPayee(payee: string): SettlementPayee {
  return payee === treasuryPayee ? { kind: 'treasury' } : { kind: 'agency', agencyId: payee };
}

function personOf(actor: AuditActor): string {
  return actor.id ?? actor.kind;
}

/** A payee with money to settle but no profile: listed, never silently skipped. */
export type SettlementProblem = Readonly<{ payee: string; amountMinor: bigint }>;

export type Prepared = Readonly<{
  batch: BatchRow | undefined;
  problems: readonly SettlementProblem[];
  /** True when the schedule key named a batch already prepared (nothing new). */
  existing: boolean;
}>;

type PlannedLine = Readonly<{ id: string; payee: string; accountCode: string;
  amountMinor: bigint; entries: readonly UnbatchedEntry[]; profile: ProfileRow }>;

function planLines(entries: readonly UnbatchedEntry[], profiles: readonly ProfileRow[]):
  { lines: PlannedLine[]; problems: SettlementProblem[] } {
  const byPayee = new Map<string, UnbatchedEntry[]>();
  for (const entry of entries) {
    const payee = payeeOfAccount(entry.accountCode);
    byPayee.set(payee, [...(byPayee.get(payee) ?? []), entry]);
  }
  const profileOf = new Map(profiles.map((profile) => [profile.payee, profile]));
  const lines: PlannedLine[] = [];
  const problems: SettlementProblem[] = [];
  for (const [payee, payeeEntries] of byPayee) {
    const amountMinor = payeeEntries.reduce((sum, entry) => sum + entry.amountMinor, 0n);
    // Nothing (or corrections only) to pay: the entries wait for the next batch.
    if (amountMinor <= 0n) continue;
    const profile = profileOf.get(payee);
    if (profile === undefined) {
      problems.push({ payee, amountMinor });
      continue;
    }
    const [first] = payeeEntries;
    assert.ok(first !== undefined);
    lines.push({ id: uuidv7(), payee, accountCode: first.accountCode, amountMinor,
      entries: payeeEntries, profile });
  }
  return { lines, problems };
}

/** Read in the caller's transaction (on PGlite nothing else may use the handle meanwhile). */
async function payeeName(trx: SettlementDb, payee: string): Promise<string> {
  if (payee === treasuryPayee) return treasuryName;
  return (await findAgencyById({ db: trx as unknown as Database }, payee))?.nameEn ?? payee;
}

async function insertBatchInTrx(trx: SettlementDb, batch: BatchRow,
  lines: readonly PlannedLine[]): Promise<void> {
  await trx.insertInto('settlement_batch').values(batch).execute();
  for (const line of lines) {
    await trx.insertInto('settlement_line').values({
      id: line.id, batch_id: batch.id, payee: line.payee, account_code: line.accountCode,
      amount_minor: line.amountMinor, currency: batch.currency,
      payee_name: await payeeName(trx, line.payee), bank_name: line.profile.bank_name,
      bank_code: line.profile.bank_code, account_number: line.profile.account_number,
      account_name: line.profile.account_name, state: 'prepared', returned_reason: null,
    }).execute();
    // A plain insert: an entry already in another batch is a unique violation (never twice).
    await trx.insertInto('settlement_entry').values(line.entries.map((entry) => ({
      entry_id: entry.entryId, account_code: entry.accountCode, batch_id: batch.id,
      line_id: line.id, amount_minor: entry.amountMinor, occurred_at: entry.occurredAt,
    }))).execute();
  }
}

function batchReference(id: string, now: Date, currency: Currency): string {
  return `STL-${currency}-${now.toISOString().slice(0, 10).replaceAll('-', '')}-` +
    id.slice(-8).toUpperCase();
}

/**
 * Prepares a batch in one currency: every payee's entries up to the cut-off (less the payee's
 * schedule beyond T+1) that are in no batch. Payees with money and no profile come back as
 * problems (their entries wait). With a schedule key (the daily job), a second run returns the
 * batch of the first. Two preparations at once take turns on the currency's lock.
 */
export async function prepareBatch(
  deps: SettlementDeps,
  input: Readonly<{ currency: Currency; cutoff: Date; actor: AuditActor; now: Date;
    scheduleKey?: string | undefined }>,
): Promise<Prepared> {
  return settlementDb(deps.db).transaction().execute(async (trx) => {
    await lockCurrencyInTrx(trx, input.currency);
    if (input.scheduleKey !== undefined) {
      const existing = await findBatchByScheduleKey(trx, input.scheduleKey);
      if (existing !== undefined) return { batch: existing, problems: [], existing: true };
    }
    const entries = await selectUnbatchedInTrx(trx, input);
    const { lines, problems } = planLines(entries, await listProfiles(trx));
    if (lines.length === 0) return { batch: undefined, problems, existing: false };
    const id = uuidv7(input.now.getTime());
    const batch: BatchRow = {
      id, reference: batchReference(id, input.now, input.currency), currency: input.currency,
      cutoff: input.cutoff, schedule_key: input.scheduleKey ?? null,
      prepared_by: personOf(input.actor), prepared_at: input.now, state: 'prepared',
      released_at: null, settled_at: null, settled_by: null, bank_reference: null,
      cancelled_at: null, cancelled_by: null,
    };
    await insertBatchInTrx(trx, batch, lines);
    await recordAuditInTrx(trx, {
      action: 'SETTLEMENT_BATCH_PREPARED', actor: input.actor,
      subject: { type: 'settlement-batch', id },
      detail: { reference: batch.reference, currency: input.currency, lines: lines.length,
        cutoff: input.cutoff.toISOString(), problems: problems.length,
        amountMinor: lines.reduce((sum, line) => sum + line.amountMinor, 0n).toString() },
    }, input.now);
    return { batch, problems, existing: false };
  });
}

async function postOrFailInTrx(trx: Transaction<SettlementTables>, entry: Entry): Promise<void> {
  const posted = await postEntryInTrx(trx, entry);
  assert.ok(posted.ok, `ledger refused ${entry.code}: ${posted.ok ? '' : posted.error.code}`);
}

function lineEntryInput(line: LineRow, now: Date) {
  return { lineId: line.id, batchId: line.batch_id, payee: ledgerPayee(line.payee),
    amount: money(line.amount_minor, line.currency), occurredAt: now };
}

/**
 * The second approval: every line released to the bank (payable -> clearing). A payee owed
 * less than its line now (a reversal posted since the batch was prepared) refuses the release:
 * the batch stays prepared, to be cancelled and prepared again.
 */
async function releaseInTrx(trx: Transaction<SettlementTables>, batch: BatchRow,
  now: Date): Promise<void> {
  for (const line of await listLines(trx, batch.id)) {
    const posted = await postEntryInTrx(trx, settlementReleased(lineEntryInput(line, now)));
    if (!posted.ok && posted.error.code === 'LEDGER_BALANCE_WOULD_GO_NEGATIVE') {
      refuse('SETTLEMENT_PAYABLE_SHORT', line.payee);
    }
    assert.ok(posted.ok, `ledger refused the release: ${posted.ok ? '' : posted.error.code}`);
  }
  await trx.updateTable('settlement_line').set({ state: 'released' })
    .where('batch_id', '=', batch.id).where('state', '=', 'prepared').execute();
  await trx.updateTable('settlement_batch').set({ state: 'released', released_at: now })
    .where('id', '=', batch.id).execute();
}

/**
 * Approves a prepared batch as one person; the second different approval (neither the
 * preparer) releases it. Fails with SETTLEMENT_BATCH_NOT_FOUND, SETTLEMENT_BATCH_NOT_PREPARED,
 * SETTLEMENT_PREPARER_CANNOT_APPROVE, SETTLEMENT_ALREADY_APPROVED_BY_YOU,
 * SETTLEMENT_PAYABLE_SHORT (nothing recorded: cancel the batch and prepare another).
 */
export async function approveBatch(
  deps: SettlementDeps,
  input: Readonly<{ batchId: string; actor: AuditActor; now: Date }>,
): Promise<Result<BatchRow, SettlementFailure>> {
  if (!isUuid(input.batchId)) return err(failure('SETTLEMENT_BATCH_NOT_FOUND'));
  const approver = personOf(input.actor);
  const done = await refusalsAsResults(() =>
    settlementDb(deps.db).transaction().execute(async (trx) => {
      const batch = await lockBatchInTrx(trx, input.batchId);
      if (batch === undefined) return refuse('SETTLEMENT_BATCH_NOT_FOUND');
      if (batch.state !== 'prepared') return refuse('SETTLEMENT_BATCH_NOT_PREPARED');
      if (batch.prepared_by === approver) return refuse('SETTLEMENT_PREPARER_CANNOT_APPROVE');
      const approvals = await listApprovals(trx, batch.id);
      if (approvals.some((approval) => approval.approvedBy === approver)) {
        return refuse('SETTLEMENT_ALREADY_APPROVED_BY_YOU');
      }
      await trx.insertInto('settlement_approval').values({ batch_id: batch.id,
        approved_by: approver, approved_at: input.now }).execute();
      const released = approvals.length + 1 >= 2;
      if (released) await releaseInTrx(trx, batch, input.now);
      await recordAuditInTrx(trx, {
        action: released ? 'SETTLEMENT_BATCH_RELEASED' : 'SETTLEMENT_BATCH_APPROVED',
        actor: input.actor, subject: { type: 'settlement-batch', id: batch.id },
        detail: { reference: batch.reference, preparedBy: batch.prepared_by,
          firstApprover: approvals[0]?.approvedBy ?? approver,
          secondApprover: released ? approver : null },
      }, input.now);
      return batch.id;
    }));
  if (!done.ok) return done;
  const batch = await findBatch(settlementDb(deps.db), done.value);
  assert.ok(batch !== undefined);
  return ok(batch);
}

const bankReferencePattern = /^(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9-]{3,39}$/;

/**
 * The bank confirmed the batch paid: every released line settled (clearing -> Treasury bank),
 * naming the bank's reference. Fails with SETTLEMENT_BATCH_NOT_FOUND,
 * SETTLEMENT_BATCH_NOT_RELEASED, SETTLEMENT_BANK_REFERENCE_INVALID.
 */
export async function recordBatchSettled(
  deps: SettlementDeps,
  input: Readonly<{ batchId: string; bankReference: string; actor: AuditActor; now: Date }>,
): Promise<Result<BatchRow, SettlementFailure>> {
  const bankReference = input.bankReference.trim().toUpperCase();
  if (!bankReferencePattern.test(bankReference)) {
    return err(failure('SETTLEMENT_BANK_REFERENCE_INVALID'));
  }
  if (!isUuid(input.batchId)) return err(failure('SETTLEMENT_BATCH_NOT_FOUND'));
  const done = await refusalsAsResults(() =>
    settlementDb(deps.db).transaction().execute(async (trx) => {
      const batch = await lockBatchInTrx(trx, input.batchId);
      if (batch === undefined) return refuse('SETTLEMENT_BATCH_NOT_FOUND');
      if (batch.state !== 'released') return refuse('SETTLEMENT_BATCH_NOT_RELEASED');
      const lines = (await listLines(trx, batch.id)).filter((line) => line.state === 'released');
      for (const line of lines) {
        await postOrFailInTrx(trx, agencySettled({ ...lineEntryInput(line, input.now),
          bankReference }));
      }
      await trx.updateTable('settlement_line').set({ state: 'settled' })
        .where('batch_id', '=', batch.id).where('state', '=', 'released').execute();
      await trx.updateTable('settlement_batch').set({ state: 'settled', settled_at: input.now,
        settled_by: personOf(input.actor), bank_reference: bankReference })
        .where('id', '=', batch.id).execute();
      await recordAuditInTrx(trx, {
        action: 'SETTLEMENT_BATCH_SETTLED', actor: input.actor,
        subject: { type: 'settlement-batch', id: batch.id },
        detail: { reference: batch.reference, bankReference, lines: lines.length },
      }, input.now);
      return batch.id;
    }));
  if (!done.ok) return done;
  const batch = await findBatch(settlementDb(deps.db), done.value);
  assert.ok(batch !== undefined);
  return ok(batch);
}

/**
 * The bank returned one line (closed account, wrong details): its money goes back to the
 * payee's liability, to be settled in a later batch. Fails with SETTLEMENT_LINE_NOT_FOUND,
 * SETTLEMENT_LINE_NOT_RELEASED.
 */
export async function returnLine(
  deps: SettlementDeps,
  input: Readonly<{ lineId: string; reason: string; actor: AuditActor; now: Date }>,
): Promise<Result<LineRow, SettlementFailure>> {
  if (!isUuid(input.lineId)) return err(failure('SETTLEMENT_LINE_NOT_FOUND'));
  const done = await refusalsAsResults(() =>
    settlementDb(deps.db).transaction().execute(async (trx) => {
      const line = await findLine(trx, input.lineId);
      if (line === undefined) return refuse('SETTLEMENT_LINE_NOT_FOUND');
      const batch = await lockBatchInTrx(trx, line.batch_id);
      const current = await findLine(trx, input.lineId);
      if (batch?.state !== 'released' || current?.state !== 'released') {
        return refuse('SETTLEMENT_LINE_NOT_RELEASED');
      }
      await postOrFailInTrx(trx, settlementReturned(lineEntryInput(current, input.now)));
      await trx.updateTable('settlement_line').set({ state: 'returned',
        returned_reason: input.reason.trim().slice(0, 500) }).where('id', '=', line.id).execute();
      await recordAuditInTrx(trx, {
        action: 'SETTLEMENT_LINE_RETURNED', actor: input.actor,
        subject: { type: 'settlement-line', id: line.id },
        detail: { batchId: line.batch_id, payee: line.payee,
          amountMinor: line.amount_minor.toString() },
      }, input.now);
      return line.id;
    }));
  if (!done.ok) return done;
  const line = await findLine(settlementDb(deps.db), done.value);
  assert.ok(line !== undefined);
  return ok(line);
}
