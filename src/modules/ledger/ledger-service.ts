/**
 * Posting to the ledger. Every write takes the caller's transaction (InTrx), so a payment, its
 * entries and its audit row commit together or not at all (DESIGN invariant 5).
 * Run these at READ COMMITTED (the default): a replay that waited on a concurrent insert of
 * the same key must see that insert once it commits.
 */
import assert from 'node:assert/strict';
import type { Kysely, Transaction } from 'kysely';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { money, type Currency, type Money } from '#platform/money/index.ts';
import { describeAccount, type AccountCode } from './account-codes.ts';
import { signedAmountMinor } from './balance-model.ts';
import { entryCodes } from './entry-codes.ts';
import {
  reversedLines,
  validateEntry,
  type Entry,
  type EntryLine,
  type EntryReference,
  type EntryRuleCode,
  type ValidEntry,
} from './entry-rules.ts';
import {
  findCorrectionOf,
  findEntryById,
  findEntryByIdempotencyKey,
  insertAccountsInTrx,
  insertEntryInTrx,
  ledgerDatabase,
  ledgerTransaction,
  lockAccountsInTrx,
  netDebitMinor,
  type StoredEntry,
} from './ledger-repo.ts';
import type { LedgerTables } from './ledger-tables.ts';

export type Posted = Readonly<{ entryId: string; alreadyPosted: boolean }>;

export type PostFailure = Failure<EntryRuleCode | 'LEDGER_IDEMPOTENCY_KEY_REUSED' |
  'LEDGER_BALANCE_WOULD_GO_NEGATIVE' | 'LEDGER_ENTRY_ALREADY_CORRECTED'>;

/**
 * Posts an entry in the caller's transaction.
 * @idempotent with (entry.idempotencyKey): the same entry again (same code, lines and
 *   reference; occurredAt may differ) returns the first one's id with alreadyPosted: true.
 * @returns err(LEDGER_...) for the first broken entry rule (entryRuleCodes);
 *   err(LEDGER_IDEMPOTENCY_KEY_REUSED) when the key was used for a different entry;
 *   err(LEDGER_BALANCE_WOULD_GO_NEGATIVE) when a debited liability (deposits, credit,
 *   suspense, payables) would go below zero. On err nothing is posted.
 */
export async function postEntryInTrx<DB>(
  trx: Transaction<DB>,
  entry: Entry,
): Promise<Result<Posted, PostFailure>> {
  const validation = validateEntry(entry);
  if (!validation.ok) return validation;
  return postValidInTrx(ledgerTransaction(trx), validation.value, undefined);
}

export type CorrectionInput = Readonly<{
  /** The entry to reverse. */
  entryId: string;
  /** Names this correction, so a retry posts once: e.g. 'mpesa:<receipt>:reversal'. */
  idempotencyKey: string;
  occurredAt: Date;
  /** What happened: ENTRY_CORRECTED unless a more exact code applies. */
  code?: string;
  /** Defaults to the corrected entry's reference. */
  reference?: EntryReference;
}>;

/**
 * Reverses an entry with a new entry (every line on the other side) that names it.
 * @idempotent with (input.idempotencyKey), as postEntryInTrx.
 * @returns err(LEDGER_ENTRY_NOT_FOUND); err(LEDGER_ENTRY_ALREADY_CORRECTED) when another
 *   correction of the entry stands; any failure of postEntryInTrx.
 */
export async function postCorrectionInTrx<DB>(
  trx: Transaction<DB>,
  input: CorrectionInput,
): Promise<Result<Posted, PostFailure | Failure<'LEDGER_ENTRY_NOT_FOUND'>>> {
  const ledger = ledgerTransaction(trx);
  // A malformed id would make PostgreSQL abort the caller's whole transaction.
  const original = isUuid(input.entryId)
    ? await findEntryById(ledger, input.entryId) : undefined;
  if (original === undefined) {
    return err(failure('LEDGER_ENTRY_NOT_FOUND', input.entryId));
  }
  const validation = validateEntry({
    code: input.code ?? entryCodes.entryCorrected,
    idempotencyKey: input.idempotencyKey,
    occurredAt: input.occurredAt,
    lines: reversedLines(original.lines),
    reference: input.reference ?? original.reference,
  });
  if (!validation.ok) return validation;
  return postValidInTrx(ledger, validation.value, original.id);
}

async function postValidInTrx(
  trx: Transaction<LedgerTables>,
  valid: ValidEntry,
  correctsEntryId: string | undefined,
): Promise<Result<Posted, PostFailure>> {
  const guarded = guardedDebits(valid);
  // The busy path (a receipt: no guarded debit, no correction) is one statement; a replay
  // shows as a conflict and is read back below.
  if (guarded.length > 0 || correctsEntryId !== undefined) {
    const refusal = await checkBeforeInsertInTrx(trx, valid, correctsEntryId, guarded);
    if (refusal !== undefined) return refusal;
  }
  const entryId = uuidv7();
  const inserted = await insertEntryInTrx(trx, {
    id: entryId,
    code: valid.entry.code,
    currency: valid.currency,
    idempotencyKey: valid.entry.idempotencyKey,
    correctsEntryId,
    reference: valid.entry.reference,
    occurredAt: valid.entry.occurredAt,
  }, valid.entry.lines, valid.accounts);
  if (inserted) return ok({ entryId, alreadyPosted: false });
  // Lost a race: a concurrent transaction took the key (or corrected the same entry) first.
  const after = await replayOutcome(trx, valid, correctsEntryId);
  if (after !== undefined) return after;
  assert.ok(correctsEntryId !== undefined, 'an entry insert was skipped for no known conflict');
  return err(failure('LEDGER_ENTRY_ALREADY_CORRECTED', correctsEntryId));
}

/**
 * For entries that debit a guarded account or correct another: answers a replay, refuses a
 * second correction, then locks the guarded accounts and checks their balances. undefined
 * when the entry may go in. Replays are answered first, so a replay of an entry that spent a
 * balance is not mistaken for a new debit of it.
 */
async function checkBeforeInsertInTrx(
  trx: Transaction<LedgerTables>,
  valid: ValidEntry,
  correctsEntryId: string | undefined,
  guarded: readonly EntryLine[],
): Promise<Result<Posted, PostFailure> | undefined> {
  const replay = await replayOutcome(trx, valid, correctsEntryId);
  if (replay !== undefined) return replay;
  if (correctsEntryId !== undefined &&
    await findCorrectionOf(trx, correctsEntryId) !== undefined) {
    return err(failure('LEDGER_ENTRY_ALREADY_CORRECTED', correctsEntryId));
  }
  if (guarded.length === 0) return undefined;
  await insertAccountsInTrx(trx, valid.accounts, valid.currency);
  await lockAccountsInTrx(trx, guarded.map((line) => line.accountCode), valid.currency);
  // While we waited for the locks, the same event may have been posted and committed.
  const replayAfterLock = await replayOutcome(trx, valid, correctsEntryId);
  if (replayAfterLock !== undefined) return replayAfterLock;
  const short = await firstOverdrawnAccount(trx, guarded);
  return short === undefined ? undefined
    : err(failure('LEDGER_BALANCE_WOULD_GO_NEGATIVE', short));
}

/** undefined when the key is new; else the outcome of the replay. */
async function replayOutcome(
  trx: Transaction<LedgerTables>,
  valid: ValidEntry,
  correctsEntryId: string | undefined,
): Promise<Result<Posted, PostFailure> | undefined> {
  const existing = await findEntryByIdempotencyKey(trx, valid.entry.idempotencyKey);
  if (existing === undefined) return undefined;
  if (!sameEntry(existing, valid.entry, correctsEntryId)) {
    return err(failure('LEDGER_IDEMPOTENCY_KEY_REUSED',
      `${valid.entry.idempotencyKey} is entry ${existing.id}`));
  }
  return ok({ entryId: existing.id, alreadyPosted: true });
}

/** The same event: code, lines (in any order), reference and corrected entry agree. */
export function sameEntry(
  stored: StoredEntry,
  entry: Entry,
  correctsEntryId: string | undefined,
): boolean {
  const lineKey = (line: EntryLine) =>
    `${line.accountCode} ${line.side} ${line.amount.amountMinor} ${line.amount.currency}`;
  const lines = (items: readonly EntryLine[]) => items.map(lineKey).sort().join('\n');
  const reference = (value: EntryReference) =>
    JSON.stringify(Object.entries(value).sort(([left], [right]) => left.localeCompare(right)));
  return stored.code === entry.code &&
    stored.correctsEntryId === correctsEntryId &&
    lines(stored.lines) === lines(entry.lines) &&
    reference(stored.reference) === reference(entry.reference);
}

/** Lines that debit an account that must not go negative. */
function guardedDebits(valid: ValidEntry): EntryLine[] {
  return valid.entry.lines.filter((line, index) => line.side === 'debit' &&
    valid.accounts[index]?.definition.mustNotGoNegative === true);
}

async function firstOverdrawnAccount(
  trx: Transaction<LedgerTables>,
  debits: readonly EntryLine[],
): Promise<string | undefined> {
  for (const line of debits) {
    const balance = await balanceOfInTrx(trx, line.accountCode as AccountCode,
      line.amount.currency);
    if (balance.amountMinor < line.amount.amountMinor) {
      return `${line.accountCode} holds ${balance.amountMinor}, debit ${line.amount.amountMinor}`;
    }
  }
  return undefined;
}

/**
 * The account's balance, signed by its normal side (an asset's debits, a liability's credits
 * count up); zero for an account never used. Sees the caller's uncommitted entries.
 */
export async function balanceOfInTrx<DB>(
  trx: Transaction<DB>,
  accountCode: AccountCode,
  currency: Currency,
): Promise<Money> {
  return balanceOf<LedgerTables>(ledgerTransaction(trx), accountCode, currency);
}

/** balanceOfInTrx outside a transaction (for reports and pages). */
export async function balanceOf<DB>(
  db: Kysely<DB>,
  accountCode: AccountCode,
  currency: Currency,
): Promise<Money> {
  const normalSide = describeAccount(accountCode).definition.normalSide;
  const netDebit = await netDebitMinor(ledgerDatabase(db), accountCode, currency);
  return money(signedAmountMinor(normalSide, 'debit', netDebit), currency);
}

export type { StoredEntry };

/** An entry as stored, or undefined. */
export async function findEntry<DB>(
  db: Kysely<DB>,
  entryId: string,
): Promise<StoredEntry | undefined> {
  return isUuid(entryId) ? findEntryById(ledgerDatabase(db), entryId) : undefined;
}
