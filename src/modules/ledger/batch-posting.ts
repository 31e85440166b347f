/**
 * Posting many entries in one go, for the busy paths (a batch of M-Pesa confirmations): the
 * same rules and the same idempotency as postEntryInTrx, entry by entry, in list order, in
 * two or three statements whatever the number of entries: lock the debited guarded accounts
 * (creating them if new), read the entries under the batch's keys with those accounts'
 * balances, insert every new entry with its lines. Corrections are posted one at a time
 * (postCorrectionInTrx).
 */
import assert from 'node:assert/strict';
import type { Transaction } from 'kysely';
import { err, failure, ok, type Result } from '#platform/errors/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { signedAmountMinor } from './balance-model.ts';
import { validateEntry, type Entry, type ValidEntry } from './entry-rules.ts';
import {
  createAndLockAccountsInTrx,
  findEntriesByKeysInTrx,
  insertEntriesInTrx,
  readEntriesAndNetsInTrx,
  type AccountInCurrency,
  type NewEntryWithLines,
} from './ledger-batch-repo.ts';
import { ledgerTransaction, type StoredEntry } from './ledger-repo.ts';
import { sameEntry, type PostFailure, type Posted } from './ledger-service.ts';
import type { LedgerTables } from './ledger-tables.ts';

export type BatchPostFailure = PostFailure & Readonly<{ index: number }>;

type Fresh = Readonly<{ index: number; valid: ValidEntry; id: string }>;

/**
 * Posts `entries` in the caller's transaction, in order: an entry may spend what an earlier
 * one in the list brought in.
 * @idempotent with each entry's idempotencyKey, as postEntryInTrx (a key twice in the list:
 *   the second is a replay of the first).
 * @returns one Posted per entry, in order; or the first failure with its index, and then
 *   nothing is posted. Throws (the caller's transaction is then lost) only when a concurrent
 *   transaction took one of the keys for a different entry between the checks and the insert.
 */
export async function postEntriesInTrx<DB>(
  transaction: Transaction<DB>,
  entries: readonly Entry[],
): Promise<Result<Posted[], BatchPostFailure>> {
  const trx = ledgerTransaction(transaction);
  // Entries after the first invalid one are never looked at, as if posted one by one.
  const valids: ValidEntry[] = [];
  let invalid: BatchPostFailure | undefined;
  for (const [index, entry] of entries.entries()) {
    const validation = validateEntry(entry);
    if (!validation.ok) {
      invalid = { ...validation.error, index };
      break;
    }
    valids.push(validation.value);
  }
  const keys = valids.map((valid) => valid.entry.idempotencyKey);
  // Guarded accounts of every entry, replays included (a needless lock is harmless): locked
  // first, so the entries and balances read next are the ones committed before us.
  const guarded = guardedAccounts(valids);
  let plan: Plan;
  if (guarded.length === 0) {
    plan = planBatch(valids, await findEntriesByKeysInTrx(trx, keys));
  } else {
    await createAndLockAccountsInTrx(trx, guarded);
    const { entries: stored, nets } = await readEntriesAndNetsInTrx(trx, keys,
      guarded.map(({ account, currency }) => ({ code: account.code, currency })));
    plan = planBatch(valids, stored);
    const short = firstOverdraft(plan.fresh, nets);
    if (short !== undefined) return err(short);
  }
  const stop = plan.refused ?? invalid;
  if (stop !== undefined) return err(stop);
  return ok(await insertFreshInTrx(trx, valids, plan));
}

type Plan = Readonly<{
  /** Replays (known now) and placeholders for the fresh entries, in list order. */
  posted: (Posted | undefined)[];
  /** The new entries before the first refused one. */
  fresh: Fresh[];
  /** The first key reused for a different entry: the batch stops there. */
  refused: BatchPostFailure | undefined;
}>;

/** Which entries are replays (of a stored entry or of an earlier one in the list). */
function planBatch(valids: readonly ValidEntry[], stored: ReadonlyMap<string, StoredEntry>):
  Plan {
  const posted: (Posted | undefined)[] = [];
  const fresh: Fresh[] = [];
  const firstOfKey = new Map<string, Fresh>();
  for (const [index, valid] of valids.entries()) {
    const key = valid.entry.idempotencyKey;
    const earlier = firstOfKey.get(key);
    const existing = stored.get(key) ?? (earlier === undefined ? undefined : asStored(earlier));
    if (existing !== undefined) {
      if (!sameEntry(existing, valid.entry, undefined)) {
        return { posted, fresh, refused: { ...failure('LEDGER_IDEMPOTENCY_KEY_REUSED',
          `${key} is entry ${existing.id}`), index } };
      }
      posted.push({ entryId: existing.id, alreadyPosted: true });
      continue;
    }
    const item = { index, valid, id: uuidv7() };
    firstOfKey.set(key, item);
    fresh.push(item);
    posted.push(undefined);
  }
  return { posted, fresh, refused: undefined };
}

function asStored(item: Fresh): StoredEntry {
  const { entry, currency } = item.valid;
  return { id: item.id, code: entry.code, currency, idempotencyKey: entry.idempotencyKey,
    correctsEntryId: undefined, reference: entry.reference, occurredAt: entry.occurredAt,
    recordedAt: entry.occurredAt, lines: entry.lines };
}

/** The accounts the entries debit that must not go negative, each once. */
function guardedAccounts(valids: readonly ValidEntry[]): AccountInCurrency[] {
  const accounts = new Map<string, AccountInCurrency>();
  for (const valid of valids) {
    for (const [index, line] of valid.entry.lines.entries()) {
      const account = valid.accounts[index];
      if (line.side !== 'debit' || account?.definition.mustNotGoNegative !== true) continue;
      accounts.set(`${line.accountCode} ${valid.currency}`,
        { account, currency: valid.currency });
    }
  }
  return [...accounts.values()];
}

/**
 * Walks the fresh entries in order over the guarded accounts' balances: the first debit of one
 * beyond what it holds (counting the earlier entries of the list) is refused.
 */
function firstOverdraft(
  fresh: readonly Fresh[],
  nets: ReadonlyMap<string, bigint>,
): BatchPostFailure | undefined {
  const balances = new Map<string, bigint>();
  for (const { valid, index } of fresh) {
    for (const [lineNumber, line] of valid.entry.lines.entries()) {
      const account = valid.accounts[lineNumber];
      const key = `${line.accountCode} ${valid.currency}`;
      const net = nets.get(key);
      if (net === undefined || account === undefined) continue;
      const normal = account.definition.normalSide;
      const before = balances.get(key) ?? signedAmountMinor(normal, 'debit', net);
      if (line.side === 'debit' && account.definition.mustNotGoNegative &&
        before < line.amount.amountMinor) {
        return { ...failure('LEDGER_BALANCE_WOULD_GO_NEGATIVE',
          `${line.accountCode} holds ${before}, debit ${line.amount.amountMinor}`), index };
      }
      balances.set(key, before + signedAmountMinor(normal, line.side, line.amount.amountMinor));
    }
  }
  return undefined;
}

async function insertFreshInTrx(
  trx: Transaction<LedgerTables>,
  valids: readonly ValidEntry[],
  plan: Plan,
): Promise<Posted[]> {
  const items: NewEntryWithLines[] = plan.fresh.map(({ valid, id }) => ({
    entry: { id, code: valid.entry.code, currency: valid.currency,
      idempotencyKey: valid.entry.idempotencyKey, correctsEntryId: undefined,
      reference: valid.entry.reference, occurredAt: valid.entry.occurredAt },
    lines: valid.entry.lines, accounts: valid.accounts,
  }));
  const inserted = await insertEntriesInTrx(trx, items);
  const posted = [...plan.posted];
  assert.equal(posted.length, valids.length);
  const lost = plan.fresh.filter((item) => !inserted.has(item.id));
  // Lost races: a concurrent transaction committed the same keys first.
  const winners = lost.length === 0 ? new Map<string, StoredEntry>()
    : await findEntriesByKeysInTrx(trx, lost.map((item) => item.valid.entry.idempotencyKey));
  for (const item of plan.fresh) {
    if (inserted.has(item.id)) {
      posted[item.index] = { entryId: item.id, alreadyPosted: false };
      continue;
    }
    const winner = winners.get(item.valid.entry.idempotencyKey);
    if (winner === undefined || !sameEntry(winner, item.valid.entry, undefined)) {
      throw new Error(`ledger key ${item.valid.entry.idempotencyKey} was taken concurrently ` +
        'by a different entry');
    }
    posted[item.index] = { entryId: winner.id, alreadyPosted: true };
  }
  // Replays of an earlier entry in the list take its final id.
  for (const [index, valid] of valids.entries()) {
    const first = plan.fresh.find((item) =>
      item.valid.entry.idempotencyKey === valid.entry.idempotencyKey);
    const current = posted[index];
    if (first !== undefined && first.index !== index && current !== undefined) {
      posted[index] = { entryId: posted[first.index]?.entryId ?? current.entryId,
        alreadyPosted: true };
    }
  }
  return posted.map((item) => {
    if (item === undefined) throw new Error('an entry of the batch has no outcome');
    return item;
  });
}
