/**
 * After a history: reconcile the emulator's statement, then prove (1) every line once, in
 * the class its event calls for, (2) the ledger, books and settlement checks clean, (3)
 * collected = settled + awaiting settlement + suspense + refunded + customer credits, per
 * currency, from the ledger (balances by account kind, sums by entry code) and from the model.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import {
  accountCodes,
  balanceOf,
  balancesByPrefix,
  checkLedger,
  entryCodes,
  receiptEntryCodes,
  trialBalance,
  type CurrencyTrialBalance,
} from '#modules/ledger/index.ts';
import { checkBooks } from '#modules/payments/index.ts';
import { reconcileStatementCsv, type RunReport } from '#modules/reconciliation/index.ts';
import { checkSettlement } from '#modules/settlement/index.ts';
import type { Currency } from '#platform/money/index.ts';
import {
  expectedClasses,
  modelTotals,
  paybillMinor,
  takeIntoLedger,
  type MoneyModel,
} from '#test/helpers/money-history.ts';
import type { World } from './world.ts';

const shortcode = '222222';

/** The sides of the identity, in minor units, for one currency. */
type Sides = Readonly<{
  collected: bigint;
  settled: bigint;
  awaiting: bigint;
  suspense: bigint;
  refunded: bigint;
  /** The part of refunded not yet paid out (still owed). */
  refundsPayable: bigint;
  credits: bigint;
  charges: bigint;
  /** Money the platform holds: the paybill and the Treasury bank account. */
  held: bigint;
}>;

function kindBalance(currency: CurrencyTrialBalance, kind: string,
  part: 'balance' | 'debits' | 'credits' = 'balance'): bigint {
  return currency.kinds.find((row) => row.kind === kind)?.[part].amountMinor ?? 0n;
}

async function sumOfEntries(world: World, codes: readonly string[], currency: Currency,
  side: 'debit' | 'credit'): Promise<bigint> {
  const result = await sql<{ total: string | null }>`select sum(l.amount_minor)::text as total
    from ledger_line l join ledger_entry e on e.id = l.entry_id
    where e.code in (${sql.join(codes)}) and l.currency = ${currency} and l.side = ${side}`
    .execute(world.harness.deps.db);
  return BigInt(result.rows[0]?.total ?? '0');
}

/** The sides as the ledger holds them: balances by account kind, and sums by entry code. */
async function ledgerSides(world: World, currency: CurrencyTrialBalance): Promise<Sides> {
  const collectedByKind = ['collection:mpesa', 'collection:card', 'collection:bank']
    .reduce((total, kind) => total + kindBalance(currency, kind, 'debits'), 0n);
  const collected = await sumOfEntries(world, receiptEntryCodes, currency.currency, 'debit');
  assert.equal(collectedByKind, collected, 'every debit of a collection account is a receipt');
  const refundsPaid = await sumOfEntries(world, [entryCodes.refundPaidOut], currency.currency,
    'debit');
  return {
    collected,
    settled: kindBalance(currency, 'collection:treasury-bank', 'credits'),
    awaiting: ['deposits:invoice', 'payable:agency', 'revenue:access-fee', 'settlement-clearing']
      .reduce((total, kind) => total + kindBalance(currency, kind), 0n),
    suspense: kindBalance(currency, 'suspense'),
    refunded: kindBalance(currency, 'refunds-payable') + refundsPaid,
    refundsPayable: kindBalance(currency, 'refunds-payable'),
    credits: kindBalance(currency, 'credit:payer'),
    charges: kindBalance(currency, 'expense:provider-charges'),
    held: ['collection:mpesa', 'collection:card', 'collection:bank', 'collection:treasury-bank']
      .reduce((total, kind) => total + kindBalance(currency, kind), 0n),
  };
}

function modelSides(model: MoneyModel): Sides {
  const totals = modelTotals(model);
  // The paybill as the emulator moved it (and the platform was told), plus the bank.
  const claimedBeyond = model.payments.reduce((total, payment) =>
    total + payment.platformMinor - payment.statementMinor, 0n);
  const swept = [...model.sweeps.values()].reduce((total, amount) => total + amount, 0n);
  return {
    held: paybillMinor(model) + claimedBeyond + swept - totals.settled,
    collected: totals.collected,
    settled: totals.settled,
    awaiting: totals.deposits + totals.payableAndFees + totals.clearing,
    suspense: totals.suspense,
    refunded: totals.refundsPayable + totals.refundsPaid,
    refundsPayable: totals.refundsPayable,
    credits: totals.credits,
    charges: totals.charges,
  };
}

/**
 * collected = settled + awaiting settlement + suspense + refunded + customer credits. The
 * provider's charges for B2C payouts are not a term: they are paid out of the paybill, which
 * holds only money owed to others, and booked as the platform's expense with nothing funding
 * it; so what the platform holds falls short of what it still owes by exactly the charges
 * (LEDGER.md invariant 5 lists them as a term too: it cannot hold with charges in a balanced
 * ledger).
 */
function assertIdentity(sides: Sides, what: string): void {
  assert.equal(sides.collected, sides.settled + sides.awaiting + sides.suspense +
    sides.refunded + sides.credits,
  `${what}: collected = settled + awaiting + suspense + refunded + credits`);
  const owed = sides.awaiting + sides.suspense + sides.credits + sides.refundsPayable;
  assert.equal(sides.held, owed - sides.charges, `${what}: held = still owed - provider charges`);
}

/** The statement each world last reconciled. */
const lastStatement = new WeakMap<World, string>();

/** 1. Every line once, in the class its event calls for; findings as the events imply. */
async function checkLines(world: World, report: RunReport): Promise<void> {
  const { harness, model } = world;
  assert.equal(report.run.status, 'completed', report.run.rejection ?? '');
  const expected = expectedClasses(model);
  assert.equal(report.run.lineCount, expected.size);
  assert.equal(report.classes.reduce((total, row) => total + row.count, 0),
    report.run.lineCount);
  const lines = await sql<{ receipt: string; class: string | null }>`select receipt, class
    from reconciliation_line where run_id = ${report.run.id}::uuid`.execute(harness.deps.db);
  const got = new Map(lines.rows.map((line) => [line.receipt, line.class ?? 'none']));
  assert.equal(got.size, lines.rows.length, 'a receipt is in one line');
  assert.deepEqual([...got].sort(), [...expected].sort());
  // Findings: each missing callback once (then it is a payment), each mismatch every time.
  const findings = Object.fromEntries(report.findings.filter((row) => row.count > 0)
    .map((row) => [row.name, row.count]));
  const count = (kind: string) => [...expected.values()].filter((name) => name === kind).length;
  assert.equal(findings['missing_callback'] ?? 0, count('missing_callback'));
  assert.equal(findings['mismatch'] ?? 0, count('mismatch'));
  for (const none of ['duplicate', 'unknown_withdrawal', 'platform_only']) {
    assert.equal(findings[none], undefined, `no ${none} finding`);
  }
}

/**
 * A late confirmation races a reconciliation that finds its line missing: whichever records
 * the payment first, it is recorded once and the other sees a repeat. Lines other than the
 * raced one keep their classes; the raced one is matched or missing_callback.
 */
export async function reconcileWhileConfirming(world: World, receipt: string,
  late: () => Promise<void>): Promise<void> {
  const { harness, model } = world;
  const response = await fetch(`${harness.daraja.baseUrl}/_statement.csv?ShortCode=${shortcode}`);
  const text = await response.text();
  const [report] = await Promise.all([reconcileStatementCsv(harness.deps,
    { csv: Readable.from([text]), shortcode, startedBy: 'system:money-property' }), late()]);
  assert.equal(report.run.status, 'completed', report.run.rejection ?? '');
  lastStatement.set(world, text);
  const expected = expectedClasses(model);
  assert.equal(report.run.lineCount, expected.size);
  const lines = await sql<{ receipt: string; class: string | null }>`select receipt, class
    from reconciliation_line where run_id = ${report.run.id}::uuid`.execute(harness.deps.db);
  const raced = lines.rows.find((line) => line.receipt === receipt);
  assert.ok(raced?.class === 'matched' || raced?.class === 'missing_callback', raced?.class ?? '');
  assert.deepEqual(lines.rows.filter((line) => line.receipt !== receipt)
    .map((line) => [line.receipt, line.class ?? 'none']).sort(),
  [...expected].filter(([line]) => line !== receipt).sort());
  for (const payment of model.payments) {
    takeIntoLedger(model, payment);
    payment.reconciled = true;
  }
}

/**
 * Reconciles the emulator's whole statement and checks the three claims (and a repeat of the
 * same statement); the model then holds every missing callback as the payment it became.
 */
export async function reconcileAndCheck(world: World): Promise<void> {
  const { harness, model } = world;
  const response = await fetch(`${harness.daraja.baseUrl}/_statement.csv?ShortCode=${shortcode}`);
  const text = await response.text();
  const report = await reconcileStatementCsv(harness.deps, { csv: Readable.from([text]),
    shortcode, startedBy: 'system:money-property' });
  if (report.run.status === 'repeated') {
    // Nothing new since the last run: the same content is a repeat and classifies nothing.
    assert.equal(text, lastStatement.get(world));
  } else {
    assert.equal(report.run.status, 'completed', report.run.rejection ?? '');
    await checkLines(world, report);
  }
  for (const payment of model.payments) {
    takeIntoLedger(model, payment);
    payment.reconciled = true;
  }
  // The paybill holds what the model says moved.
  const balances = text.trimEnd().split('\r\n').slice(1)
    .map((line) => line.split(',').at(7) ?? '');
  assert.equal(BigInt((balances.at(-1) ?? '0').replace('.', '')), paybillMinor(model));
  // The collection account is the paybill, but for what mismatched confirmations claimed.
  const claimedBeyond = model.payments.reduce((total, payment) =>
    total + payment.platformMinor - payment.statementMinor, 0n);
  const collection = await balanceOf(harness.deps.db, accountCodes.mpesaCollection(shortcode),
    'KES');
  assert.equal(collection.amountMinor, paybillMinor(model) + claimedBeyond);
  // The same statement again is a repeat and changes nothing.
  const before = await trialBalance(harness.deps.db);
  const again = await reconcileStatementCsv(harness.deps, { csv: Readable.from([text]),
    shortcode, startedBy: 'system:money-property' });
  assert.equal(again.run.status, 'repeated');
  assert.deepEqual(await trialBalance(harness.deps.db), before);
  lastStatement.set(world, text);
  // 2. The ledger balances; the books check finds nothing.
  const ledger = await checkLedger(harness.deps.db);
  assert.deepEqual(ledger.findings, []);
  assert.ok(ledger.ok);
  const books = await checkBooks(harness.deps.db);
  assert.deepEqual(books.findings, []);
  assert.deepEqual(await checkSettlement(harness.deps.db), []);
  // 3. The identity, per currency, from the ledger and from the model, term by term.
  const trial = await trialBalance(harness.deps.db);
  assert.ok(trial.balanced);
  for (const currency of trial.currencies) {
    const fromLedger = await ledgerSides(world, currency);
    assertIdentity(fromLedger, `ledger ${currency.currency}`);
    const fromModel = currency.currency === 'KES' ? modelSides(model)
      : { collected: 0n, settled: 0n, awaiting: 0n, suspense: 0n, refunded: 0n,
        refundsPayable: 0n, credits: 0n, charges: 0n, held: 0n };
    assertIdentity(fromModel, `model ${currency.currency}`);
    assert.deepEqual(fromLedger, fromModel, `ledger and model agree (${currency.currency})`);
  }
  const credits = await balancesByPrefix(harness.deps.db, 'credit:payer:', { limit: 1000 });
  assert.ok(credits.ok);
  const creditsByPayer = new Map(credits.value.items
    .filter((row) => row.balance.amountMinor !== 0n)
    .map((row) => [row.accountCode.slice('credit:payer:'.length), row.balance.amountMinor]));
  const modelCredits = [...modelTotals(model).creditByPayer].filter(([, amount]) => amount !== 0n);
  assert.deepEqual([...creditsByPayer].sort(), modelCredits.sort());
}
