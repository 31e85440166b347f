/**
 * The steps of a generated money history, each run against the real app and the Daraja
 * emulator over HTTP (test/helpers/payments.ts), each updating the independent model
 * (test/helpers/money-history.ts) with what the platform should now hold. A step whose
 * target does not exist yet (a refund with no credited payment) does nothing.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import {
  cancelInvoice,
  decideSuspenseMatch,
  findPaymentByReceipt,
  payInvoiceFromCredit,
  proposeSuspenseMatch,
} from '#modules/payments/index.ts';
import {
  matchFromSuspense,
  modelTotals,
  paybillMinor,
  refundableMinor,
  spendCredit,
  takeIntoLedger,
  type Delivery,
  type ModelPayment,
} from '#test/helpers/money-history.ts';
import { c2bConfirmationBody, testCallbackToken } from '#test/helpers/payments.ts';
import {
  refundAgainstMatch,
  refundBill,
  refundCredit,
  refundSuspense,
  type AfterFailure,
} from './refund-steps.ts';
import { reconcileAndCheck, reconcileWhileConfirming } from './money-checks.ts';
import { settle, type BankAnswer } from './settlement-steps.ts';
import { codeOf, issueInvoice, openInvoices, type World } from './world.ts';

export type PayTarget = 'exact' | 'part' | 'over' | 'again' | 'mistyped' | 'cancelled';
export type PhoneBehaviour = 'plain' | 'spent' | 'double-result' | 'timeout-moved' |
  'timeout-lost';

export type Step =
  | Readonly<{ kind: 'pay'; target: PayTarget; service: number; payer: number;
    delivery: Exclude<Delivery, 'mismatch'>; phone: PhoneBehaviour; extra: number }>
  | Readonly<{ kind: 'mismatch'; service: number; payer: number; delta: number }>
  | Readonly<{ kind: 'refund-credit'; pick: number; after: AfterFailure; part: boolean }>
  | Readonly<{ kind: 'refund-suspense'; pick: number; after: AfterFailure }>
  | Readonly<{ kind: 'match'; pick: number; payer: number }>
  | Readonly<{ kind: 'sweep'; quarters: number }>
  | Readonly<{ kind: 'settle'; bank: BankAnswer }>
  | Readonly<{ kind: 'use-credit'; pick: number; service: number }>
  | Readonly<{ kind: 'late-callback'; pick: number; differ: boolean }>
  | Readonly<{ kind: 'reconcile' }>
  | Readonly<{ kind: 'race-late-callback'; pick: number }>
  | Readonly<{ kind: 'refund-bill'; pick: number }>
  | Readonly<{ kind: 'refund-against-match'; pick: number;
    first: 'refund' | 'match' | 'both-at-once' }>;

const payStep = fc.record({
  kind: fc.constant('pay' as const),
  target: fc.constantFrom<PayTarget>('exact', 'part', 'over', 'again', 'mistyped',
    'cancelled'),
  service: fc.integer({ min: 0, max: 1 }),
  payer: fc.integer({ min: 0, max: 2 }),
  delivery: fc.constantFrom<Exclude<Delivery, 'mismatch'>>('normal', 'normal', 'missing',
    'duplicate'),
  phone: fc.constantFrom<PhoneBehaviour>('plain', 'spent', 'double-result', 'timeout-moved',
    'timeout-lost'),
  extra: fc.integer({ min: 1, max: 400 }),
});

export const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: payStep },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mismatch' as const),
    service: fc.integer({ min: 0, max: 1 }), payer: fc.integer({ min: 0, max: 2 }),
    delta: fc.integer({ min: -40, max: 40 }).filter((delta) => delta !== 0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund-credit' as const),
    pick: fc.nat(), after: fc.constantFrom<AfterFailure>('retry', 'cancel', 'leave'),
    part: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund-suspense' as const),
    pick: fc.nat(), after: fc.constantFrom<AfterFailure>('cancel', 'leave') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('match' as const), pick: fc.nat(),
    payer: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const),
    quarters: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('use-credit' as const),
    pick: fc.nat(), service: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('late-callback' as const),
    pick: fc.nat(), differ: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reconcile' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('race-late-callback' as const),
    pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund-bill' as const),
    pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund-against-match' as const),
    pick: fc.nat(), first: fc.constantFrom('refund' as const, 'match' as const,
      'both-at-once' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('settle' as const),
    bank: fc.constantFrom<BankAnswer>('paid', 'later', 'one-returned') }) },
);

/** A history: a payment first (so every history adds statement lines), then anything. */
export const historyArbitrary: fc.Arbitrary<Step[]> = fc.tuple(payStep,
  fc.array(stepArbitrary, { minLength: 4, maxLength: 14 }))
  .map(([first, rest]) => [first, ...rest]);

function mistype(reference: string): string {
  const at = 1;
  const wrong = reference[at] === '7' ? '8' : '7';
  return `${reference.slice(0, at)}${wrong}${reference.slice(at + 1)}`;
}

function msisdnFor(delivery: Delivery, phone: PhoneBehaviour): string {
  if (delivery === 'missing' || delivery === 'mismatch') return '254711009001';
  if (delivery === 'duplicate') return '254711009002';
  if (phone === 'spent') return '254711009004';
  if (phone === 'timeout-lost') return '254711009005';
  if (phone === 'timeout-moved') return '254711009006';
  return phone === 'double-result' ? '254711009007' : '254708374149';
}

async function paymentsWithReceipt(world: World, receipt: string): Promise<number> {
  const result = await sql<{ count: number }>`select count(*)::int as count from payment
    where provider_reference = ${receipt}`.execute(world.harness.deps.db);
  return result.rows[0]?.count ?? 0;
}

async function pay(world: World, step: Extract<Step, { kind: 'pay' }>): Promise<void> {
  const open = openInvoices(world.model);
  const paid = [...world.model.invoices.values()]
    .filter((invoice) => invoice.receivedMinor >= invoice.totalMinor && !invoice.withdrawn);
  const invoice = step.target === 'part' && open.length > 0 ? open[step.extra % open.length]
    : step.target === 'again' && paid.length > 0 ? paid[step.extra % paid.length]
      : await issueInvoice(world, step.service, step.payer);
  assert.ok(invoice !== undefined);
  if (step.target === 'cancelled' && invoice.receivedMinor === 0n) {
    // Cancelled unpaid, then paid all the same: the money is the payer's credit.
    const cancelled = await cancelInvoice(world.harness.deps, { reference: invoice.reference,
      actor: { kind: 'account', id: invoice.payerId }, now: new Date() });
    assert.ok(cancelled.ok, `the invoice is cancelled: ${codeOf(cancelled as never)}`);
    invoice.cancelled = true;
  }
  const dueShillings = (invoice.totalMinor - invoice.receivedMinor) / 100n;
  const shillings = step.target === 'over' ? invoice.totalMinor / 100n + BigInt(step.extra)
    : step.target === 'part' ? (dueShillings > 1n ? dueShillings / 2n : 1n)
      : invoice.totalMinor / 100n;
  const mistyped = step.target === 'mistyped';
  const outcome = await world.harness.daraja.emulator.simulateC2b({ amountShillings: shillings,
    msisdn: msisdnFor(step.delivery, step.phone),
    billReference: mistyped ? mistype(invoice.reference) : invoice.reference });
  assert.equal(outcome.status, 'completed');
  await world.harness.daraja.emulator.idle();
  const payment: ModelPayment = { receipt: outcome.transactionId,
    statementMinor: shillings * 100n, platformMinor: shillings * 100n, delivery: step.delivery,
    reference: mistyped ? mistype(invoice.reference) : invoice.reference,
    invoiceId: mistyped ? undefined : invoice.id, payerId: mistyped ? undefined : invoice.payerId,
    msisdn: msisdnFor(step.delivery, step.phone), inLedger: false, reconciled: false,
    suspense: undefined, refunded: false };
  world.model.payments.push(payment);
  // A confirmation delivered twice is one payment; a missing one is none (yet).
  assert.equal(await paymentsWithReceipt(world, payment.receipt),
    step.delivery === 'missing' ? 0 : 1);
  if (step.delivery !== 'missing') takeIntoLedger(world.model, payment);
}

/** Posts a C2B confirmation to the app as M-Pesa would; the app must answer 200. */
async function confirm(world: World, receipt: string, shillings: bigint, reference: string):
  Promise<void> {
  const answer = await fetch(
    `${world.harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`,
    { method: 'POST', headers: { 'content-type': 'application/json' },
      body: c2bConfirmationBody({ receipt, shillings, billReference: reference }) });
  assert.equal(answer.status, 200);
}

/**
 * The confirmation of a payment whose callback went missing arrives after all: before
 * reconciliation it is an ordinary delivery; after it (the statement made the payment) it is
 * a repeat that moves nothing.
 */
async function lateCallback(world: World, step: Extract<Step, { kind: 'late-callback' }>):
  Promise<void> {
  const missing = world.model.payments.filter((payment) => payment.delivery === 'missing');
  const payment = missing[step.pick % Math.max(missing.length, 1)];
  if (payment === undefined) return;
  // After reconciliation made the payment, even a confirmation that disagrees moves nothing.
  const differ = step.differ && payment.inLedger ? 1n : 0n;
  await confirm(world, payment.receipt, payment.statementMinor / 100n + differ,
    payment.reference);
  assert.equal(await paymentsWithReceipt(world, payment.receipt), 1);
  if (!payment.inLedger) {
    takeIntoLedger(world.model, payment);
    payment.delivery = 'normal';
  }
}

/** A missing callback's confirmation arrives while a reconciliation finds its line missing. */
async function raceLateCallback(world: World,
  step: Extract<Step, { kind: 'race-late-callback' }>): Promise<void> {
  const missing = world.model.payments.filter((payment) => payment.delivery === 'missing' &&
    !payment.inLedger);
  const payment = missing[step.pick % Math.max(missing.length, 1)];
  if (payment === undefined) return;
  await reconcileWhileConfirming(world, payment.receipt, () =>
    confirm(world, payment.receipt, payment.statementMinor / 100n, payment.reference));
  assert.equal(await paymentsWithReceipt(world, payment.receipt), 1);
  payment.delivery = 'normal';
}

/** The emulator moves X; the platform is told X + delta (a confirmation that disagrees). */
async function mismatch(world: World, step: Extract<Step, { kind: 'mismatch' }>):
  Promise<void> {
  const invoice = await issueInvoice(world, step.service, step.payer);
  const shillings = invoice.totalMinor / 100n;
  const outcome = await world.harness.daraja.emulator.simulateC2b({ amountShillings: shillings,
    msisdn: msisdnFor('mismatch', 'plain'), billReference: invoice.reference });
  await world.harness.daraja.emulator.idle();
  const told = shillings + BigInt(step.delta);
  await confirm(world, outcome.transactionId, told, invoice.reference);
  const payment: ModelPayment = { receipt: outcome.transactionId,
    statementMinor: shillings * 100n, platformMinor: told * 100n, delivery: 'mismatch',
    reference: invoice.reference,
    invoiceId: invoice.id, payerId: invoice.payerId, msisdn: msisdnFor('mismatch', 'plain'),
    inLedger: false, reconciled: false, suspense: undefined, refunded: false };
  world.model.payments.push(payment);
  takeIntoLedger(world.model, payment);
}

/** Runs the refund outbox until it is empty; every Result the emulator sends is processed. */
async function match(world: World, step: Extract<Step, { kind: 'match' }>): Promise<void> {
  const held = world.model.payments.filter((payment) => payment.inLedger &&
    payment.suspense === 'held');
  const payment = held[step.pick % Math.max(held.length, 1)];
  if (payment === undefined) return;
  const open = openInvoices(world.model);
  const invoice = open[step.pick % Math.max(open.length, 1)] ??
    await issueInvoice(world, 0, step.payer);
  const deps = world.harness.deps;
  const found = await findPaymentByReceipt(deps, payment.receipt);
  assert.ok(found !== undefined);
  const proposed = await proposeSuspenseMatch(deps, { paymentId: found.id,
    billReference: invoice.reference, note: 'the payer mistyped the reference',
    actor: world.maker, now: new Date() });
  assert.ok(proposed.ok, `the match is proposed: ${codeOf(proposed as never)}`);
  const own = await decideSuspenseMatch(deps, { matchId: proposed.value.id,
    decision: 'approved', note: '', actor: world.maker, now: new Date() });
  assert.equal(codeOf(own as never), 'PAY_SUSPENSE_MATCH_SAME_PERSON');
  const approved = await decideSuspenseMatch(deps, { matchId: proposed.value.id,
    decision: 'approved', note: '', actor: world.checker, now: new Date() });
  assert.ok(approved.ok, `the match is approved: ${codeOf(approved as never)}`);
  matchFromSuspense(world.model, payment, invoice);
}

/** Sweeps part of what the paybill holds beyond what payers could ask back. */
async function sweep(world: World, step: Extract<Step, { kind: 'sweep' }>): Promise<void> {
  const model = world.model;
  const unsure = model.payments.reduce((total, payment) => total +
    (payment.inLedger ? 0n : payment.statementMinor) +
    (payment.statementMinor > payment.platformMinor ? payment.statementMinor
      : payment.platformMinor) - payment.statementMinor, 0n);
  // Kept back beyond that: the provider's charges for refunds to come.
  const spare = paybillMinor(model) - refundableMinor(modelTotals(model)) - unsure - 100_00n;
  const shillings = spare * BigInt(step.quarters) / 4n / 100n;
  if (shillings < 1n) return;
  const answer = await fetch(`${world.harness.daraja.baseUrl}/_sweep`, { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ShortCode: '222222', Amount: Number(shillings) }) });
  assert.equal(answer.status, 200);
  const body = await answer.json() as { TransactionID: string };
  model.sweeps.set(body.TransactionID, shillings * 100n);
}

/** A payer's credit pays an open invoice of theirs (a new one when they have none). */
async function useCredit(world: World, step: Extract<Step, { kind: 'use-credit' }>):
  Promise<void> {
  const credits = [...modelTotals(world.model).creditByPayer].filter(([, amount]) => amount > 0n);
  const chosen = credits[step.pick % Math.max(credits.length, 1)];
  if (chosen === undefined) return;
  const [payerId, credit] = chosen;
  const invoice = openInvoices(world.model).find((open) => open.payerId === payerId) ??
    await issueInvoice(world, step.service, world.payers.indexOf(payerId));
  const paid = await payInvoiceFromCredit(world.harness.deps, {
    invoiceReference: invoice.reference, payerAccountId: payerId, now: new Date() });
  assert.ok(paid.ok, `the credit pays the invoice: ${codeOf(paid as never)}`);
  const due = invoice.totalMinor - invoice.receivedMinor;
  spendCredit(world.model, invoice, credit < due ? credit : due);
}

export async function runStep(world: World, step: Step): Promise<void> {
  switch (step.kind) {
    case 'pay': return pay(world, step);
    case 'mismatch': return mismatch(world, step);
    case 'refund-credit': return refundCredit(world, step);
    case 'refund-suspense': return refundSuspense(world, step);
    case 'match': return match(world, step);
    case 'sweep': return sweep(world, step);
    case 'settle': return settle(world, step);
    case 'use-credit': return useCredit(world, step);
    case 'late-callback': return lateCallback(world, step);
    case 'reconcile': return reconcileAndCheck(world);
    case 'race-late-callback': return raceLateCallback(world, step);
    case 'refund-against-match': return refundAgainstMatch(world, step);
    case 'refund-bill': return refundBill(world, step);
  }
}
