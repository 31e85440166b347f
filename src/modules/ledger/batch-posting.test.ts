/**
 * postEntriesInTrx against its reference, postEntryInTrx one entry at a time, on both
 * databases: for random lists of receipts, coverages and uses of credit (with replays of
 * stored and of earlier entries, keys reused for other entries, and debits beyond a balance,
 * some covered by an earlier entry of the same list), the batch succeeds or fails exactly as
 * the entries posted in order in one transaction would (same failing entry, same code, and
 * nothing posted on failure), and moves every account by the same amount. Then two batches
 * racing for one payer's credit from two connections: one spends it, never both.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { accountCodes, type AccountCode } from './account-codes.ts';
import { postEntriesInTrx } from './batch-posting.ts';
import type { Entry } from './entry-rules.ts';
import { balanceOf, postEntryInTrx } from './ledger-service.ts';
import {
  creditUsed,
  invoiceCovered,
  receiptForClosedInvoice,
  receiptMatched,
  receiptUnmatched,
} from './receipt-postings.ts';

const kes = (amountMinor: bigint) => money(amountMinor, 'KES');
const occurredAt = new Date('2026-11-28T10:00:00Z');

type Command =
  | { kind: 'receipt'; invoice: number; receipt: number; amountMinor: bigint }
  | { kind: 'closed'; invoice: number; receipt: number; amountMinor: bigint }
  | { kind: 'unmatched'; receipt: number; amountMinor: bigint }
  | { kind: 'cover'; invoice: number; depositsMinor: bigint }
  | { kind: 'useCredit'; invoice: number; use: number; amountMinor: bigint };

const small = fc.nat({ max: 2 });
const receiptNo = fc.nat({ max: 5 });
const amount = fc.constantFrom(500n, 1_000n, 1_500n);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('receipt' as const), invoice: small,
    receipt: receiptNo, amountMinor: amount }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('closed' as const), invoice: small,
    receipt: receiptNo, amountMinor: amount }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unmatched' as const),
    receipt: receiptNo, amountMinor: amount }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cover' as const), invoice: small,
    depositsMinor: fc.constantFrom(1_000n, 1_500n, 2_000n) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('useCredit' as const), invoice: small,
    use: fc.nat({ max: 3 }), amountMinor: fc.constantFrom(100n, 300n, 600n) }) },
);

let universes = 0;

/** One set of ids: the same commands in two universes touch different accounts. */
class Universe {
  readonly shortcode = String(100_000 + (universes += 1));
  readonly tag = uuidv7();
  readonly invoices = [uuidv7(), uuidv7(), uuidv7()];
  readonly payer = uuidv7();
  readonly agency = uuidv7();

  entry(command: Command): Entry {
    const receipt = (number: number) => ({ channel: { kind: 'mpesa' as const,
      shortcode: this.shortcode }, receiptNumber: `R${this.tag.slice(-12)}N${number}` });
    const invoiceId = this.invoices[('invoice' in command ? command.invoice : 0)] ?? '';
    switch (command.kind) {
      case 'receipt':
        return receiptMatched({ receipt: receipt(command.receipt), invoiceId, occurredAt,
          amount: kes(command.amountMinor) });
      case 'closed':
        return receiptForClosedInvoice({ receipt: receipt(command.receipt), invoiceId,
          payerId: this.payer, occurredAt, amount: kes(command.amountMinor) });
      case 'unmatched':
        return receiptUnmatched({ receipt: receipt(command.receipt), occurredAt,
          amount: kes(command.amountMinor) });
      case 'cover': {
        const covered = invoiceCovered({ invoiceId, deposits: kes(command.depositsMinor),
          agencyFees: [{ agencyId: this.agency, amount: kes(900n) }], accessFee: kes(100n),
          payerId: this.payer, occurredAt });
        assert.ok(covered.ok);
        return covered.value;
      }
      case 'useCredit':
        return creditUsed({ payerId: this.payer, invoiceId, amount: kes(command.amountMinor),
          allocationId: `${this.tag}-${command.use}`, occurredAt });
    }
  }

  /** Every account these commands can move, the shared ones included. */
  accounts(): AccountCode[] {
    return [accountCodes.mpesaCollection(this.shortcode), accountCodes.payerCredit(this.payer),
      accountCodes.agencyPayable(this.agency), accountCodes.accessFeeRevenue(),
      accountCodes.suspense(), ...this.invoices.map((id) => accountCodes.invoiceDeposits(id))];
  }
}

type Outcome = Readonly<{ failed: { index: number; code: string } | undefined;
  alreadyPosted: boolean[]; moved: bigint[] }>;

class Rollback extends Error {}

async function balances(db: Kysely<unknown>, universe: Universe): Promise<bigint[]> {
  const all = [];
  for (const code of universe.accounts()) {
    all.push((await balanceOf(db, code, 'KES')).amountMinor);
  }
  return all;
}

/** Stored beforehand, each on its own (failures ignored): what replays may meet. */
async function postEach(db: Kysely<unknown>, entries: readonly Entry[]): Promise<void> {
  for (const entry of entries) {
    await db.transaction().execute((trx) => postEntryInTrx(trx, entry));
  }
}

async function run(db: Kysely<unknown>, universe: Universe, entries: readonly Entry[],
  batch: boolean): Promise<Outcome> {
  const before = await balances(db, universe);
  let failed: Outcome['failed'];
  let alreadyPosted: boolean[] = [];
  try {
    await db.transaction().execute(async (trx) => {
      if (batch) {
        const posted = await postEntriesInTrx(trx, entries);
        if (!posted.ok) {
          failed = { index: posted.error.index, code: posted.error.code };
          throw new Rollback();
        }
        alreadyPosted = posted.value.map((item) => item.alreadyPosted);
        return;
      }
      for (const [index, entry] of entries.entries()) {
        const posted = await postEntryInTrx(trx, entry);
        if (!posted.ok) {
          failed = { index, code: posted.error.code };
          throw new Rollback();
        }
        alreadyPosted.push(posted.value.alreadyPosted);
      }
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    alreadyPosted = [];
  }
  const after = await balances(db, universe);
  const moved = after.map((value, index) => value - (before[index] ?? 0n));
  return { failed, alreadyPosted, moved };
}

describeOnDatabases('posting a batch of entries', (database, kind) => {
  it('does what posting them one by one in one transaction does', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(command, { maxLength: 6 }), fc.array(command, { minLength: 1, maxLength: 12 }),
      async (stored, list) => {
        const db = database().db as Kysely<unknown>;
        const one = new Universe();
        const many = new Universe();
        await postEach(db, stored.map((item) => one.entry(item)));
        await postEach(db, stored.map((item) => many.entry(item)));
        const expected = await run(db, one, list.map((item) => one.entry(item)), false);
        const actual = await run(db, many, list.map((item) => many.entry(item)), true);
        assert.deepEqual(actual, expected);
      }), { numRuns: kind === 'pglite' ? 40 : 60 });
  });

  it('stops at an invalid entry, naming it, as posting one by one would', async () => {
    const db = database().db as Kysely<unknown>;
    const list = (universe: Universe): Entry[] => [
      universe.entry({ kind: 'unmatched', receipt: 1, amountMinor: 500n }),
      { ...universe.entry({ kind: 'unmatched', receipt: 2, amountMinor: 500n }),
        code: 'not a code' },
      universe.entry({ kind: 'unmatched', receipt: 3, amountMinor: 500n }),
    ];
    const one = new Universe();
    const many = new Universe();
    const expected = await run(db, one, list(one), false);
    const actual = await run(db, many, list(many), true);
    assert.deepEqual(actual, expected);
    assert.deepEqual(actual.failed, { index: 1, code: 'LEDGER_ENTRY_CODE_INVALID' });
    assert.ok(actual.moved.every((amount) => amount === 0n), 'nothing posted');
  });

  it('lets one of two racing batches spend a credit, never both', async () => {
    const db = database().db as Kysely<unknown>;
    for (let round = 0; round < 5; round += 1) {
      const universe = new Universe();
      await postEach(db, [universe.entry({ kind: 'closed', invoice: 0, receipt: 1,
        amountMinor: 1_000n })]);
      const spend = (use: number) => db.transaction().execute((trx) => postEntriesInTrx(trx, [
        universe.entry({ kind: 'receipt', invoice: 1, receipt: 10 + use, amountMinor: 500n }),
        universe.entry({ kind: 'useCredit', invoice: 2, use, amountMinor: 600n }),
      ]));
      const results = await Promise.all([spend(1), spend(2)]);
      assert.deepEqual(results.map((result) => result.ok).sort(), [false, true]);
      const refused = results.find((result) => !result.ok);
      assert.equal(refused?.ok === false ? refused.error.code : '',
        'LEDGER_BALANCE_WOULD_GO_NEGATIVE');
      assert.equal(refused?.ok === false ? refused.error.index : -1, 1);
      const credit = await balanceOf(db, accountCodes.payerCredit(universe.payer), 'KES');
      assert.equal(credit.amountMinor, 400n);
    }
  });
});
