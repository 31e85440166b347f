/**
 * Property tests on both databases: random sequences of what payments does (partial, split and
 * over payments, receipts for closed invoices and unknown references, credit used, replays, a
 * key reused for another entry, corrections, and bursts of concurrent receipts from several
 * connections) keep every entry balanced and the trial balance at zero after every step; the
 * database's balances equal the pure model's (applyEntries); replays never post twice.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { accountCodes, describeAccount, type AccountCode, type Channel } from './account-codes.ts';
import { applyEntries, balanceIn, type Balances } from './balance-model.ts';
import { reversedLines, type Entry } from './entry-rules.ts';
import { checkLedger } from './ledger-check-service.ts';
import { trialBalance } from './ledger-report-service.ts';
import {
  balanceOf,
  balanceOfInTrx,
  postCorrectionInTrx,
  postEntryInTrx,
} from './ledger-service.ts';
import {
  creditUsed,
  invoiceCovered,
  receiptForClosedInvoice,
  receiptMatched,
  receiptUnmatched,
} from './receipt-postings.ts';

const runs = 50;
const kes = (amountMinor: bigint): Money => money(amountMinor, 'KES');
const occurredAt = new Date('2026-11-28T09:00:00Z');

type Invoice = {
  id: string;
  payerId: string;
  agencyFees: { agencyId: string; amount: Money }[];
  accessFee: Money;
  covered: boolean;
};

type Command =
  | { kind: 'pay'; invoice: number; amountMinor: bigint }
  | { kind: 'unmatched'; amountMinor: bigint }
  | { kind: 'replay'; pick: number }
  | { kind: 'reuse'; pick: number }
  | { kind: 'useCredit'; from: number; to: number; amountMinor: bigint }
  | { kind: 'correct'; pick: number }
  | { kind: 'burst'; payments: { invoice: number | undefined; amountMinor: bigint;
    copies: number }[] };

const amount = fc.bigInt({ min: 1n, max: 400_000n });
const index = fc.nat({ max: 20 });
const invoiceSpec = fc.record({
  fees: fc.array(fc.bigInt({ min: 1n, max: 300_000n }), { minLength: 1, maxLength: 2 }),
  accessFeeMinor: fc.bigInt({ min: 0n, max: 10_000n }),
});
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('pay' as const), invoice: index,
    amountMinor: amount }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unmatched' as const),
    amountMinor: amount }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reuse' as const), pick: index }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('useCredit' as const), from: index,
    to: index, amountMinor: amount }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('correct' as const), pick: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('burst' as const), payments: fc.array(
    fc.record({ invoice: fc.option(index, { nil: undefined }), amountMinor: amount,
      copies: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 5 }) }) },
);

/** One run: a fresh paybill, invoices, payers and agencies, and the model beside them. */
class Run {
  readonly channel: Channel;
  readonly invoices: Invoice[];
  model: Balances = new Map();
  readonly posted: { entryId: string; entry: Entry; isCorrection: boolean }[] = [];
  readonly corrected = new Set<string>();
  #receipts = 0;
  readonly db: Kysely<unknown>;

  constructor(db: Kysely<unknown>, shortcode: string,
    specs: readonly { fees: bigint[]; accessFeeMinor: bigint }[]) {
    this.db = db;
    this.channel = { kind: 'mpesa', shortcode };
    this.invoices = specs.map((spec) => ({
      id: uuidv7(), payerId: uuidv7(), covered: false, accessFee: kes(spec.accessFeeMinor),
      agencyFees: spec.fees.map((fee) => ({ agencyId: uuidv7(), amount: kes(fee) })),
    }));
  }

  receipt() {
    this.#receipts += 1;
    return { channel: this.channel, receiptNumber: `P${this.channel.kind === 'mpesa'
      ? this.channel.shortcode : ''}N${this.#receipts}` };
  }

  invoice(at: number): Invoice {
    const invoice = this.invoices[at % this.invoices.length];
    assert.ok(invoice !== undefined);
    return invoice;
  }

  record(entryId: string, entry: Entry, isCorrection = false): void {
    this.posted.push({ entryId, entry, isCorrection });
    this.model = applyEntries([entry], this.model);
  }

  balance(code: AccountCode): bigint {
    return balanceIn(this.model, code, 'KES').amountMinor;
  }

  /** Posts in trx and expects a fresh post, recorded once the transaction commits. */
  async postNew(trx: Transaction<unknown>, entry: Entry,
    pending: [string, Entry][]): Promise<void> {
    const result = await postEntryInTrx(trx, entry);
    assert.ok(result.ok, result.ok ? '' : `${entry.code}: ${result.error.code}`);
    assert.equal(result.value.alreadyPosted, false);
    pending.push([result.value.entryId, entry]);
  }

  /** Money onto an open invoice; then, if it is now covered, the coverage entry. */
  async fund(trx: Transaction<unknown>, invoice: Invoice, entry: Entry,
    pending: [string, Entry][]): Promise<boolean> {
    await this.postNew(trx, entry, pending);
    const code = accountCodes.invoiceDeposits(invoice.id);
    const deposits = await balanceOfInTrx(trx, code, 'KES');
    const expected = applyEntries(pending.map(([, item]) => item), this.model);
    assert.deepEqual(deposits, balanceIn(expected, code, 'KES'));
    const covered = invoiceCovered({ invoiceId: invoice.id, deposits,
      agencyFees: invoice.agencyFees, accessFee: invoice.accessFee, payerId: invoice.payerId,
      occurredAt });
    if (!covered.ok) return false;
    await this.postNew(trx, covered.value, pending);
    return true;
  }

  async transaction(work: (trx: Transaction<unknown>, pending: [string, Entry][]) =>
    Promise<boolean | void>): Promise<void> {
    const pending: [string, Entry][] = [];
    await this.db.transaction().execute((trx) => work(trx, pending));
    for (const [entryId, entry] of pending) this.record(entryId, entry);
  }
}

async function pay(run: Run, at: number, amountMinor: bigint): Promise<void> {
  const invoice = run.invoice(at);
  await run.transaction(async (trx, pending) => {
    const input = { receipt: run.receipt(), invoiceId: invoice.id, amount: kes(amountMinor),
      occurredAt };
    if (invoice.covered) {
      await run.postNew(trx, receiptForClosedInvoice({ ...input, payerId: invoice.payerId }),
        pending);
    } else if (await run.fund(trx, invoice, receiptMatched(input), pending)) {
      invoice.covered = true;
    }
  });
}

async function useCredit(run: Run, command: Extract<Command, { kind: 'useCredit' }>) {
  const from = run.invoice(command.from);
  const to = run.invoice(command.to);
  if (to.covered) return;
  const entry = creditUsed({ payerId: from.payerId, invoiceId: to.id,
    amount: kes(command.amountMinor), allocationId: uuidv7(), occurredAt });
  if (run.balance(accountCodes.payerCredit(from.payerId)) < command.amountMinor) {
    const refused = await run.db.transaction().execute((trx) => postEntryInTrx(trx, entry));
    assert.equal(refused.ok ? 'posted' : refused.error.code, 'LEDGER_BALANCE_WOULD_GO_NEGATIVE');
    return;
  }
  await run.transaction(async (trx, pending) => {
    if (await run.fund(trx, to, entry, pending)) to.covered = true;
  });
}

async function correct(run: Run, pick: number): Promise<void> {
  const target = run.posted[pick % run.posted.length];
  if (target === undefined) return;
  const reversal = reversedLines(target.entry.lines);
  const short = reversal.some((line) => line.side === 'debit' &&
    describeAccount(line.accountCode as AccountCode).definition.mustNotGoNegative &&
    run.balance(line.accountCode as AccountCode) < line.amount.amountMinor);
  const expected = run.corrected.has(target.entryId) ? 'LEDGER_ENTRY_ALREADY_CORRECTED'
    : short ? 'LEDGER_BALANCE_WOULD_GO_NEGATIVE' : 'posted';
  const idempotencyKey = `test:correct:${uuidv7()}`;
  const result = await run.db.transaction().execute((trx) =>
    postCorrectionInTrx(trx, { entryId: target.entryId, idempotencyKey, occurredAt }));
  assert.equal(result.ok ? 'posted' : result.error.code, expected);
  if (!result.ok) return;
  run.corrected.add(target.entryId);
  run.record(result.value.entryId, { code: 'ENTRY_CORRECTED', idempotencyKey, occurredAt,
    lines: reversal, reference: target.entry.reference }, true);
}

async function replayOrReuse(run: Run, pick: number, reuse: boolean): Promise<void> {
  const candidates = run.posted.filter((item) => !item.isCorrection);
  const target = candidates[pick % Math.max(candidates.length, 1)];
  if (target === undefined) return;
  const entry: Entry = reuse ? { ...target.entry, lines: target.entry.lines.map((line) =>
    ({ ...line, amount: kes(line.amount.amountMinor * 2n) })) } : target.entry;
  const result = await run.db.transaction().execute((trx) => postEntryInTrx(trx, entry));
  if (reuse) {
    assert.equal(result.ok ? 'posted' : result.error.code, 'LEDGER_IDEMPOTENCY_KEY_REUSED');
  } else {
    assert.deepEqual(result, { ok: true, value: { entryId: target.entryId,
      alreadyPosted: true } });
  }
}

/** Receipts on several connections at once, some sent more than once: each posts once. */
async function burst(run: Run, payments: Extract<Command, { kind: 'burst' }>['payments']) {
  const entries = payments.map((payment) => {
    const input = { receipt: run.receipt(), amount: kes(payment.amountMinor), occurredAt };
    if (payment.invoice === undefined) return receiptUnmatched(input);
    const invoice = run.invoice(payment.invoice);
    return invoice.covered
      ? receiptForClosedInvoice({ ...input, invoiceId: invoice.id, payerId: invoice.payerId })
      : receiptMatched({ ...input, invoiceId: invoice.id });
  });
  const sends = entries.flatMap((entry, at) =>
    Array.from({ length: payments[at]?.copies ?? 1 }, () => entry));
  const results = await Promise.all(sends.map((entry) =>
    run.db.transaction().execute((trx) => postEntryInTrx(trx, entry))));
  for (const entry of entries) {
    const mine = results.filter((_, at) => sends[at] === entry);
    const fresh = mine.filter((result) => result.ok && !result.value.alreadyPosted);
    assert.equal(fresh.length, 1, `${entry.idempotencyKey} posted ${fresh.length} times`);
    const ids = new Set(mine.map((result) => result.ok ? result.value.entryId : 'failed'));
    assert.equal(ids.size, 1);
    const [entryId] = ids;
    run.record(entryId ?? '', entry);
  }
}

async function step(run: Run, command: Command): Promise<void> {
  switch (command.kind) {
    case 'pay': return pay(run, command.invoice, command.amountMinor);
    case 'unmatched': return run.transaction(async (trx, pending) => {
      await run.postNew(trx, receiptUnmatched({ receipt: run.receipt(),
        amount: kes(command.amountMinor), occurredAt }), pending);
    });
    case 'replay': return replayOrReuse(run, command.pick, false);
    case 'reuse': return replayOrReuse(run, command.pick, true);
    case 'useCredit': return useCredit(run, command);
    case 'correct': return correct(run, command.pick);
    case 'burst': return burst(run, command.payments);
  }
}

describeOnDatabases('ledger properties', (database) => {
  it('keeps every entry balanced and the model\'s balances, whatever payments do', async () => {
    const db = () => database().db as unknown as Kysely<unknown>;
    let shortcode = 300_000;
    await fc.assert(fc.asyncProperty(
      fc.array(invoiceSpec, { minLength: 1, maxLength: 3 }),
      fc.array(command, { minLength: 1, maxLength: 12 }),
      async (specs, commands) => {
        shortcode += 1;
        const shared = [accountCodes.suspense(), accountCodes.accessFeeRevenue()];
        const baseline = await Promise.all(shared.map((code) =>
          balanceOf(db(), code, 'KES')));
        const run = new Run(db(), String(shortcode), specs);
        for (const item of commands) {
          await step(run, item);
          assert.equal((await trialBalance(db())).balanced, true, `after ${item.kind}`);
        }
        for (const [key, expected] of run.model) {
          const code = key.slice(key.indexOf(' ') + 1) as AccountCode;
          const at = shared.indexOf(code);
          const start = at === -1 ? 0n : baseline[at]?.amountMinor ?? 0n;
          const actual = await balanceOf(db(), code, 'KES');
          assert.equal(actual.amountMinor - start, expected.amountMinor, code);
        }
        const report = await checkLedger(db());
        assert.deepEqual(report.findings, []);
      },
    ), { numRuns: runs });
  });
});
