/**
 * Refund steps of a generated money history: a finance officer asks, another approves (the
 * asker cannot), the outbox sends the B2C or reversal, the emulator answers, the Result is
 * processed; a reversal the payer spent (phone ending 9004) fails visibly and is retried by
 * B2C, cancelled or left payable; a Result sent twice (9007) pays once.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import {
  approveRefund,
  cancelRefund,
  decideSuspenseMatch,
  findPaymentByReceipt,
  paymentsModule,
  proposeSuspenseMatch,
  rejectRefund,
  requestRefund,
  retryRefund,
} from '#modules/payments/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money } from '#platform/money/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import {
  matchFromSuspense,
  modelTotals,
  paybillMinor,
  type ModelPayment,
  type ModelRefund,
} from '#test/helpers/money-history.ts';
import { codeOf, finance, issueInvoice, openInvoices, type World } from './world.ts';

export type AfterFailure = 'retry' | 'cancel' | 'leave';
export type CreditRefundStep = Readonly<{ pick: number; after: AfterFailure; part: boolean }>;

/**
 * The outbox's clock runs an hour ahead, so a status query delayed after a queue timeout is
 * due at once (the handlers keep the app's clock).
 */
const outboxClock = { now: () => new Date(Date.now() + 3_600_000) };

/**
 * Whether reversing this payer's receipt fails: spent (9004), or timed out without the money
 * moving (9005, and the status query says so). A timeout after the money moved (9006) pays.
 */
const reversalFails = (payment: ModelPayment) =>
  payment.msisdn.endsWith('9004') || payment.msisdn.endsWith('9005');

/** The fields of one statement CSV line (quoted fields may hold commas and quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  const pattern = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (const match of line.matchAll(pattern)) {
    const raw = match[1] ?? '';
    fields.push(raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw);
    if (match[2] === '') break;
  }
  return fields;
}

/** The provider's charge line for a B2C payout, as the model expects it (none at 0). */
function chargeOf(world: World, payoutReceipt: string): ModelRefund['charge'] {
  const chargeMinor = world.model.b2cChargeMinor;
  const lines = world.harness.daraja.emulator.statementCsv('222222').trimEnd().split('\r\n')
    .map(csvFields).filter((fields) => fields[9] === 'Business Payment Charge' &&
      fields[11] === payoutReceipt);
  assert.equal(lines.length, chargeMinor === 0n ? 0 : 1, 'one charge line per B2C payment');
  const [line] = lines;
  if (line === undefined) return undefined;
  assert.equal(line[6]?.replace(/^-/, ''), `${chargeMinor / 100n}.00`);
  return { receipt: line[0] ?? '', amountMinor: chargeMinor };
}

export async function drainRefunds(world: World): Promise<void> {
  const all = paymentsModule.outboxHandlers?.(world.harness.deps) ?? {};
  const handlers = Object.fromEntries(Object.entries(all)
    .filter(([topic]) => topic.startsWith('payments.refund')));
  for (let round = 0; round < 10; round += 1) {
    const report = await runOutboxBatch({ db: world.harness.deps.db, clock: outboxClock,
      logger: createLogger({ level: 'silent' }), handlers });
    await world.harness.daraja.emulator.idle();
    if (report.claimed === 0) return;
  }
}

type RefundState = Readonly<{ status: string; provider_receipt: string | null }>;

async function refundState(world: World, refundId: string): Promise<RefundState | undefined> {
  const result = await sql<RefundState>`select status, provider_receipt from refund
    where id = ${refundId}::uuid`.execute(world.harness.deps.db);
  return result.rows[0];
}

/** Request (maker), approve (checker; the maker cannot), pay; returns the refund's state. */
async function refundOnce(world: World, payment: ModelPayment, reason:
  'double_payment' | 'suspense_unclaimed'): Promise<Readonly<{ id: string; state: RefundState }>> {
  const deps = world.harness.deps;
  const found = await findPaymentByReceipt(deps, payment.receipt);
  assert.ok(found !== undefined);
  const asked = await requestRefund(deps, { paymentId: found.id, reason, note: '',
    actor: world.maker, scope: finance, now: new Date() });
  assert.ok(asked.ok, `the refund is requested: ${codeOf(asked as never)}`);
  const own = await approveRefund(deps, { refundId: asked.value.id, actor: world.maker,
    scope: finance, now: new Date() });
  assert.equal(codeOf(own as never), 'PAY_REFUND_SAME_PERSON');
  const approved = await approveRefund(deps, { refundId: asked.value.id, actor: world.checker,
    scope: finance, now: new Date() });
  assert.ok(approved.ok, `the refund is approved: ${codeOf(approved as never)}`);
  await drainRefunds(world);
  const state = await refundState(world, asked.value.id);
  assert.ok(state !== undefined);
  return { id: asked.value.id, state };
}

/** Refunds a payment credited to its payer (paid twice) whole: a reversal of its receipt. */
export async function refundCredit(world: World, step: CreditRefundStep): Promise<void> {
  if (step.part) return refundPartOfCredit(world, step);
  const credits = modelTotals(world.model).creditByPayer;
  const candidates: ModelPayment[] = [];
  for (const payment of world.model.payments) {
    if (!payment.inLedger || payment.refunded || payment.delivery === 'mismatch' ||
      payment.payerId === undefined) continue;
    if ((credits.get(payment.payerId) ?? 0n) < payment.platformMinor) continue;
    const found = await findPaymentByReceipt(world.harness.deps, payment.receipt);
    if (found?.disposition === 'credited') candidates.push(payment);
  }
  const payment = candidates[step.pick % Math.max(candidates.length, 1)];
  if (payment === undefined) return;
  const { id, state } = await refundOnce(world, payment, 'double_payment');
  payment.refunded = true;
  const refund: ModelRefund = { id, source: 'payer-credit', payerId: payment.payerId,
    amountMinor: payment.platformMinor, status: 'payable', payoutReceipt: undefined,
    charge: undefined };
  world.model.refunds.push(refund);
  let final = state;
  if (reversalFails(payment)) {
    // The payer spent the money, or it timed out and never happened: visible; nothing moved.
    assert.equal(state.status, 'failed');
    if (step.after === 'retry') {
      const retried = await retryRefund(world.harness.deps, { refundId: id,
        actor: world.checker, scope: finance, method: 'mpesa_b2c', now: new Date() });
      assert.ok(retried.ok);
      await drainRefunds(world);
      final = await refundState(world, id) ?? state;
    } else if (step.after === 'cancel') {
      const cancelled = await cancelRefund(world.harness.deps, { refundId: id,
        actor: world.checker, scope: finance, now: new Date() });
      assert.ok(cancelled.ok);
      refund.status = 'cancelled';
      return;
    } else {
      return;
    }
  }
  assert.equal(final.status, 'paid');
  assert.ok(final.provider_receipt !== null);
  refund.status = 'paid';
  refund.payoutReceipt = final.provider_receipt;
  // A retry went by B2C, which the provider charges for; a reversal is free.
  if (final !== state) refund.charge = chargeOf(world, final.provider_receipt);
}

/** Refunds a receipt held in suspense by reversal; a spent one is cancelled or left. */
export async function refundSuspense(world: World, step: Readonly<{ pick: number;
  after: AfterFailure }>): Promise<void> {
  const held = world.model.payments.filter((payment) => payment.inLedger &&
    payment.suspense === 'held');
  const payment = held[step.pick % Math.max(held.length, 1)];
  if (payment === undefined) return;
  const { id, state } = await refundOnce(world, payment, 'suspense_unclaimed');
  payment.suspense = 'refund';
  const refund: ModelRefund = { id, source: 'suspense', payerId: undefined,
    amountMinor: payment.platformMinor, status: 'payable', payoutReceipt: undefined,
    charge: undefined };
  world.model.refunds.push(refund);
  if (reversalFails(payment)) {
    assert.equal(state.status, 'failed');
    if (step.after === 'cancel') {
      const cancelled = await cancelRefund(world.harness.deps, { refundId: id,
        actor: world.checker, scope: finance, now: new Date() });
      assert.ok(cancelled.ok);
      refund.status = 'cancelled';
      payment.suspense = 'held';
    }
    return;
  }
  assert.equal(state.status, 'paid');
  refund.status = 'paid';
  refund.payoutReceipt = state.provider_receipt ?? undefined;
}


/** Part of a payer's credit, by B2C to their registered phone. */
async function refundPartOfCredit(world: World, step: CreditRefundStep): Promise<void> {
  const credits = [...modelTotals(world.model).creditByPayer]
    .filter(([, amount]) => amount >= 2_00n);
  const chosen = credits[step.pick % Math.max(credits.length, 1)];
  if (chosen === undefined) return;
  const [payerId, credit] = chosen;
  const amountMinor = credit / 2n / 100n * 100n;
  const deps = world.harness.deps;
  const asked = await requestRefund(deps, { payerAccountId: payerId,
    amount: money(amountMinor, 'KES'), reason: 'wrong_service', note: '', actor: world.maker,
    scope: finance, now: new Date() });
  assert.ok(asked.ok, `the refund is requested: ${codeOf(asked as never)}`);
  const approved = await approveRefund(deps, { refundId: asked.value.id, actor: world.checker,
    scope: finance, now: new Date() });
  assert.ok(approved.ok, `the refund is approved: ${codeOf(approved as never)}`);
  await drainRefunds(world);
  const state = await refundState(world, asked.value.id);
  assert.equal(state?.status, 'paid');
  assert.ok(state.provider_receipt !== null);
  const refund: ModelRefund = { id: asked.value.id, source: 'payer-credit', payerId,
    amountMinor, status: 'paid', payoutReceipt: state.provider_receipt,
    charge: chargeOf(world, state.provider_receipt) };
  world.model.refunds.push(refund);
}

/**
 * Two outflows of one suspense receipt at once: a match to an invoice proposed and a refund
 * requested, both waiting for their checker. The first approved wins; the second is refused,
 * and the money leaves suspense once.
 */
export async function refundAgainstMatch(world: World, step: Readonly<{ pick: number;
  first: 'refund' | 'match' | 'both-at-once' }>): Promise<void> {
  const held = world.model.payments.filter((payment) => payment.inLedger &&
    payment.suspense === 'held');
  const payment = held[step.pick % Math.max(held.length, 1)];
  if (payment === undefined) return;
  const deps = world.harness.deps;
  const found = await findPaymentByReceipt(deps, payment.receipt);
  assert.ok(found !== undefined);
  const invoice = openInvoices(world.model)[step.pick % 7] ?? await issueInvoice(world, 1, 0);
  const proposed = await proposeSuspenseMatch(deps, { paymentId: found.id,
    billReference: invoice.reference, note: 'the payer mistyped the reference',
    actor: world.maker, now: new Date() });
  assert.ok(proposed.ok, `the match is proposed: ${codeOf(proposed as never)}`);
  const asked = await requestRefund(deps, { paymentId: found.id, reason: 'suspense_unclaimed',
    note: '', actor: world.maker, scope: finance, now: new Date() });
  assert.ok(asked.ok, `the refund is requested: ${codeOf(asked as never)}`);
  const approveMatch = () => decideSuspenseMatch(deps, { matchId: proposed.value.id,
    decision: 'approved', note: '', actor: world.checker, now: new Date() });
  const approveTheRefund = () => approveRefund(deps, { refundId: asked.value.id,
    actor: world.checker, scope: finance, now: new Date() });
  let refundFirst = step.first === 'refund';
  if (step.first === 'both-at-once') {
    // Two checkers' transactions at once, each locking the same payment by its own row.
    const [match, refunded] = await Promise.all([approveMatch(), approveTheRefund()]);
    assert.equal([match.ok, refunded.ok].filter(Boolean).length, 1,
      `one approval wins: ${codeOf(match as never)}, ${codeOf(refunded as never)}`);
    if (match.ok) {
      matchFromSuspense(world.model, payment, invoice);
      assert.ok((await rejectRefund(deps, { refundId: asked.value.id, actor: world.checker,
        scope: finance, now: new Date() })).ok);
      return;
    }
    refundFirst = true;
  }
  if (!refundFirst) {
    assert.ok((await approveMatch()).ok, 'the match is approved');
    matchFromSuspense(world.model, payment, invoice);
    const late = await approveTheRefund();
    assert.ok(['PAY_REFUND_NOT_REFUNDABLE', 'PAY_REFUND_CREDIT_INSUFFICIENT']
      .includes(codeOf(late as never)), `the refund is refused: ${codeOf(late as never)}`);
    assert.ok((await rejectRefund(deps, { refundId: asked.value.id, actor: world.checker,
      scope: finance, now: new Date() })).ok);
    return;
  }
  if (step.first === 'refund') assert.ok((await approveTheRefund()).ok, 'refund approved');
  payment.suspense = 'refund';
  const refund: ModelRefund = { id: asked.value.id, source: 'suspense', payerId: undefined,
    amountMinor: payment.platformMinor, status: 'payable', payoutReceipt: undefined,
    charge: undefined };
  world.model.refunds.push(refund);
  assert.equal(codeOf(await approveMatch() as never), 'PAY_SUSPENSE_PAYMENT_NOT_HELD');
  await drainRefunds(world);
  const state = await refundState(world, asked.value.id);
  assert.equal(state?.status, reversalFails(payment) ? 'failed' : 'paid');
  if (state.status === 'paid') {
    refund.status = 'paid';
    refund.payoutReceipt = state.provider_receipt ?? undefined;
  }
}

/**
 * A paid bill refunded for the wrong service (a bill with no subject needs no release): the
 * approval withdraws its coverage (the agency payable and the access fee give the money back,
 * the excess comes back from the credit), all it received becomes the payer's credit, and the
 * bill's total is paid by B2C. Refused by name when the payable (released to the bank) or the
 * credit no longer holds it.
 */
export async function refundBill(world: World, step: Readonly<{ pick: number }>):
  Promise<void> {
  const pending = new Set(world.model.payments.filter((payment) => !payment.inLedger)
    .map((payment) => payment.invoiceId));
  const paid = [...world.model.invoices.values()].filter((invoice) => !invoice.withdrawn &&
    !invoice.cancelled && invoice.receivedMinor >= invoice.totalMinor && !pending.has(invoice.id));
  const invoice = paid[step.pick % Math.max(paid.length, 1)];
  if (invoice === undefined) return;
  // The bill's money was never refundable, so the paybill need not hold it (swept, or only just
  // enough without the B2C charge): M-Pesa would refuse the payout for want of funds, which
  // the B2C failure steps cover. This step refunds only what the paybill can pay.
  if (paybillMinor(world.model) < invoice.totalMinor + world.model.b2cChargeMinor) return;
  const totals = modelTotals(world.model);
  const holds = totals.agencyUnreleased >= invoice.agencyMinor &&
    totals.accessUnreleased >= invoice.accessMinor &&
    (totals.creditByPayer.get(invoice.payerId) ?? 0n) >= invoice.coveredExcessMinor;
  const deps = world.harness.deps;
  const asked = await requestRefund(deps, { invoiceId: invoice.id, reason: 'wrong_service',
    note: '', actor: world.maker, scope: finance, now: new Date() });
  assert.ok(asked.ok, `the refund is requested: ${codeOf(asked as never)}`);
  const approved = await approveRefund(deps, { refundId: asked.value.id, actor: world.checker,
    scope: finance, now: new Date() });
  if (!holds) {
    assert.equal(codeOf(approved as never), 'PAY_REFUND_INVOICE_SETTLED');
    assert.ok((await rejectRefund(deps, { refundId: asked.value.id, actor: world.checker,
      scope: finance, now: new Date() })).ok);
    return;
  }
  assert.ok(approved.ok, `the refund is approved: ${codeOf(approved as never)}`);
  invoice.withdrawn = true;
  await drainRefunds(world);
  const state = await refundState(world, asked.value.id);
  assert.equal(state?.status, 'paid');
  assert.ok(state.provider_receipt !== null);
  world.model.refunds.push({ id: asked.value.id, source: 'payer-credit',
    payerId: invoice.payerId, amountMinor: invoice.totalMinor, status: 'paid',
    payoutReceipt: state.provider_receipt, charge: chargeOf(world, state.provider_receipt) });
}
