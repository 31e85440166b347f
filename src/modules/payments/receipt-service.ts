/**
 * Recording money received, exactly once per provider receipt, in the caller's transaction,
 * for a whole batch of notices with a few statements per batch: read the payments already
 * recorded under the batch's keys -> lock the batch's invoices (one statement, id order) ->
 * read again what a concurrent batch may have committed meanwhile -> plan every notice in
 * memory (receipt-plan.ts) -> insert the new payments (the unique receipt makes a concurrent
 * twin a no-op) -> post all their ledger entries in one batch (postEntriesInTrx) -> write
 * allocations and events in one statement. A repeat appends an event only.
 * The audit records and notifications are returned to the caller, which writes them late in
 * its transaction (the audit lock is held to commit: one hold per batch, not per payment).
 */
import assert from 'node:assert/strict';
import type { Transaction } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import { enqueueOutboxEventInTrx } from '#platform/outbox/index.ts';
import type { AuditEvent } from '#modules/audit/index.ts';
import {
  postEntriesInTrx,
  receiptForClosedInvoice,
  receiptMatched,
  receiptUnmatched,
  type Entry,
  type ProviderReceipt,
} from '#modules/ledger/index.ts';
import {
  planAllocation,
  plannedCoverageEntry,
  type AllocationPlan,
} from './allocation-service.ts';
import { noWrites, writeBatchInTrx, type BatchWrites } from './batch-writes-repo.ts';
import { expiryReapplyTopic } from './expiry-reapply-service.ts';
import {
  lockInvoicesInTrx,
  paymentsDb,
  type InvoiceRow,
  type PaymentsDb,
} from './invoice-repo.ts';
import { eventKindOf, providerOf, type PaymentNotice } from './payment-notices.ts';
import {
  completePaymentKeysInTrx,
  findPaymentsByKeys,
  insertPaymentsInTrx,
  type NewPayment,
  type NewPaymentEvent,
} from './payment-repo.ts';
import type { PaymentDisposition } from './payments-tables.ts';
import { invoiceKeyOf, planReceipts, type ItemPlan, type NoticeItem } from './receipt-plan.ts';

export type { NoticeItem } from './receipt-plan.ts';

/** A message for the payer, sent if the transaction commits (wired to notifications). */
export type PayerNotice = Readonly<{
  template: 'payments.payment-received' | 'payments.credit-available';
  payerAccountId: string;
  amount: Money;
  billReference: string;
  /** For payment-received: the M-Pesa receipt ('' when not yet known). */
  receiptNumber: string;
}>;

export type ReceiptOutcome = Readonly<{
  kind: 'payment_recorded' | 'duplicate';
  paymentId: string;
  disposition: PaymentDisposition;
  invoiceId: string | null;
  /** For a new payment: what to audit and whom to tell. */
  audit: AuditEvent | undefined;
  payerNotices: readonly PayerNotice[];
}>;

export type ReceiptContext = Readonly<{
  now: Date;
  /** The invoice an STK push was for (STK notices), else the typed reference decides. */
  stkInvoiceId?: string;
}>;

/**
 * Records one payment notice (a batch of one). @idempotent with (receipt number | checkout
 * request): any number of deliveries, in any order, from any source, move the money once.
 */
export async function recordNoticeInTrx<DB>(
  trx: Transaction<DB>,
  notice: PaymentNotice,
  context: ReceiptContext,
): Promise<ReceiptOutcome> {
  const item: NoticeItem = context.stkInvoiceId === undefined ? { notice }
    : { notice, stkInvoiceId: context.stkInvoiceId };
  const { outcomes, writes } = await recordNoticesInTrx(trx, [item], context);
  await writeBatchInTrx(trx, writes, []);
  const [outcome] = outcomes;
  assert.ok(outcome !== undefined);
  return outcome;
}

export type RecordedNotices = Readonly<{
  outcomes: ReceiptOutcome[];
  /** Rows to write before the transaction ends (writeBatchInTrx), in one statement. */
  writes: BatchWrites;
}>;

/**
 * Records a batch of notices; one outcome per notice, in order, and the rows to write.
 * @idempotent as above.
 */
export async function recordNoticesInTrx<DB>(
  trx: Transaction<DB>,
  items: readonly NoticeItem[],
  context: Readonly<{ now: Date }>,
): Promise<RecordedNotices> {
  if (items.length === 0) return { outcomes: [], writes: noWrites };
  const db = paymentsDb(trx);
  const keys = keysOf(items);
  const targets = { ids: new Set<string>(), references: new Set<string>() };
  for (const item of items) {
    const key = invoiceKeyOf(item);
    if (key !== undefined && 'id' in key) targets.ids.add(key.id);
    if (key !== undefined && 'reference' in key) targets.references.add(key.reference);
  }
  // Lock first, then read what is recorded: a twin delivery committed while we waited for
  // the locks is seen. The same money only by its keys (receipt, checkout request): never by
  // invoice and amount, so the invoices' other payments need not be read (receipt-plan.ts).
  const invoices = await lockInvoicesInTrx(db,
    { ids: [...targets.ids], references: [...targets.references] });
  const recorded = await findPaymentsByKeys(db, keys, { lock: true });
  const plans = await settleConflictsInTrx(db,
    planReceipts({ items, recorded, invoices, now: context.now }), items, keys);
  return applyPlansInTrx(trx, items, plans, context.now);
}

function keysOf(items: readonly NoticeItem[]) {
  const receipts = new Set<string>();
  const checkouts = new Set<string>();
  const providers = new Set<string>();
  for (const { notice } of items) {
    providers.add(providerOf(notice));
    if (notice.receiptNumber !== undefined) receipts.add(notice.receiptNumber);
    if (notice.checkoutRequestId !== undefined) checkouts.add(notice.checkoutRequestId);
  }
  return { receipts: [...receipts], checkouts: [...checkouts], providers: [...providers] };
}

/**
 * Inserts the new payments. One a concurrent batch recorded first (possible only for money
 * matching no invoice: the others were read under the invoice lock) becomes a repeat.
 */
async function settleConflictsInTrx(
  db: PaymentsDb,
  plans: ItemPlan[],
  items: readonly NoticeItem[],
  keys: ReturnType<typeof keysOf>,
): Promise<ItemPlan[]> {
  const news = plans.flatMap((plan) => plan.kind === 'new' ? [plan.payment] : []);
  const inserted = await insertPaymentsInTrx(db, news);
  if (inserted.size === news.length) return plans;
  const after = await findPaymentsByKeys(db, keys);
  return plans.map((plan, index) => {
    if (plan.kind !== 'new' || inserted.has(plan.payment.id)) return plan;
    assert.equal(plan.invoice, undefined, 'a payment of a locked invoice conflicted');
    const notice = items[index]?.notice;
    const winner = after.find((payment) => notice !== undefined &&
      (payment.receiptNumber === (notice.receiptNumber ?? '') ||
        payment.checkoutRequestId === (notice.checkoutRequestId ?? '')));
    assert.ok(winner !== undefined, 'a payment insert conflicted with no payment found');
    return { kind: 'repeat', paymentId: winner.id, disposition: winner.disposition,
      invoiceId: winner.invoiceId, learnReceipt: undefined, learnCheckout: undefined,
      disagreed: winner.amount.amountMinor !== plan.payment.amount.amountMinor };
  });
}

async function applyPlansInTrx<DB>(
  trx: Transaction<DB>,
  items: readonly NoticeItem[],
  plans: readonly ItemPlan[],
  now: Date,
): Promise<RecordedNotices> {
  const allocations: AllocationPlan[] = [];
  const events: NewPaymentEvent[] = [];
  const outcomes: ReceiptOutcome[] = [];
  const entries: Entry[] = [];
  for (const [index, plan] of plans.entries()) {
    const notice = items[index]?.notice;
    assert.ok(notice !== undefined);
    const paymentId = plan.kind === 'new' ? plan.payment.id : plan.paymentId;
    const event = (kind: NewPaymentEvent['kind']): NewPaymentEvent => ({
      id: uuidv7(now.getTime()), paymentId, kind, rawId: notice.rawId, amount: notice.amount,
      accountReference: notice.accountReference, recordedAt: now });
    events.push(event(eventKindOf(notice)));
    if (plan.kind === 'repeat') {
      if (plan.disagreed) events.push(event('DELIVERY_DISAGREED'));
      await learnKeysInTrx(paymentsDb(trx), plan);
      if (plan.learnReceipt !== undefined) events.push(event('RECEIPT_NUMBER_LEARNT'));
      if (plan.learnCheckout !== undefined) events.push(event('CHECKOUT_REQUEST_LEARNT'));
      outcomes.push({ kind: 'duplicate', paymentId, disposition: plan.disposition,
        invoiceId: plan.invoiceId, audit: undefined, payerNotices: [] });
      continue;
    }
    const moved = moveMoney(plan, notice, now);
    entries.push(...moved.entries);
    if (moved.allocation !== undefined) allocations.push(moved.allocation);
    outcomes.push({
      kind: 'payment_recorded', paymentId, disposition: plan.payment.disposition,
      invoiceId: plan.invoice?.id ?? null, payerNotices: moved.payerNotices,
      audit: paymentAudit(plan.payment, notice, plan.invoice),
    });
  }
  await postAllOrFailInTrx(trx, entries);
  await scheduleReapplyInTrx(trx, plans, now);
  return { outcomes, writes: { allocations: allocations.map((plan) => plan.allocation), events } };
}

/**
 * An invoice that had lapsed with nothing paid and now receives a payment made in time may
 * hold payments made after its expiry as credit (they arrived first): the outbox applies them
 * as in-order delivery would have (expiry-reapply-service.ts). Rare, so one event each.
 */
async function scheduleReapplyInTrx<DB>(
  trx: Transaction<DB>,
  plans: readonly ItemPlan[],
  now: Date,
): Promise<void> {
  const revived = new Set<string>();
  for (const plan of plans) {
    if (plan.kind === 'new' && plan.decision?.kind === 'allocate' &&
      plan.allocatedBeforeMinor === 0n && plan.invoice !== undefined &&
      plan.invoice.expiresAt <= now) revived.add(plan.invoice.id);
  }
  for (const invoiceId of revived) {
    await enqueueOutboxEventInTrx(trx, expiryReapplyTopic, { invoiceId }, now);
  }
}

async function learnKeysInTrx(db: PaymentsDb, plan: Extract<ItemPlan, { kind: 'repeat' }>):
  Promise<void> {
  if (plan.learnReceipt === undefined && plan.learnCheckout === undefined) return;
  await completePaymentKeysInTrx(db, plan.paymentId, {
    ...(plan.learnReceipt === undefined ? {} : { receiptNumber: plan.learnReceipt }),
    ...(plan.learnCheckout === undefined ? {} : { checkoutRequestId: plan.learnCheckout }),
  });
}

type Movement = Readonly<{
  /** To post, in order, with the batch's other entries. */
  entries: readonly Entry[];
  allocation: AllocationPlan | undefined;
  payerNotices: readonly PayerNotice[];
}>;

/** The batch's entries in one posting; a refusal here is a bug, not an input error. */
async function postAllOrFailInTrx<DB>(trx: Transaction<DB>, entries: readonly Entry[]):
  Promise<void> {
  const posted = await postEntriesInTrx(trx, entries);
  assert.ok(posted.ok, posted.ok ? '' : `ledger refused ${entries[posted.error.index]?.code}: ` +
    `${posted.error.code} ${posted.error.detail ?? ''}`);
}

/** The ledger entries of a new payment (LEDGER posting rules); its allocation, to write. */
function moveMoney(
  plan: Extract<ItemPlan, { kind: 'new' }>,
  notice: PaymentNotice,
  now: Date,
): Movement {
  const { invoice, decision, payment } = plan;
  const receipt: ProviderReceipt = {
    channel: notice.cardProvider === undefined
      ? { kind: 'mpesa', shortcode: notice.shortcode }
      : { kind: 'card', provider: notice.cardProvider },
    receiptNumber: notice.receiptNumber ?? notice.checkoutRequestId ?? '',
  };
  const base = { receipt, amount: notice.amount, occurredAt: notice.paidAt,
    paymentId: payment.id };
  if (invoice === undefined || decision === undefined) {
    return { entries: [receiptUnmatched(base)], allocation: undefined, payerNotices: [] };
  }
  const input = { invoice, allocatedBeforeMinor: plan.allocatedBeforeMinor,
    amount: notice.amount, source: 'payment' as const, paymentId: payment.id,
    depositsReceived: decision.kind === 'allocate', occurredAt: notice.paidAt, now };
  if (decision.kind === 'credit_payer') {
    return {
      entries: [receiptForClosedInvoice(
        { ...base, invoiceId: invoice.id, payerId: invoice.payerAccountId })],
      allocation: decision.recordAllocation ? planAllocation(input) : undefined,
      payerNotices: [creditNotice(invoice, notice.amount.amountMinor)],
    };
  }
  const allocation = planAllocation(input);
  const coverage = plannedCoverageEntry(input, allocation);
  const entries = [receiptMatched({ ...base, invoiceId: invoice.id }),
    ...(coverage === undefined ? [] : [coverage])];
  const payerNotices: PayerNotice[] = [{
    template: 'payments.payment-received', payerAccountId: invoice.payerAccountId,
    amount: notice.amount, billReference: invoice.reference,
    receiptNumber: notice.receiptNumber ?? '',
  }];
  if (allocation.excess.amountMinor > 0n) {
    payerNotices.push(creditNotice(invoice, allocation.excess.amountMinor));
  }
  return { entries, allocation, payerNotices };
}

function creditNotice(invoice: InvoiceRow, amountMinor: bigint): PayerNotice {
  return {
    template: 'payments.credit-available', payerAccountId: invoice.payerAccountId,
    amount: money(amountMinor, invoice.currency), billReference: invoice.reference,
    receiptNumber: '',
  };
}

function paymentAudit(payment: NewPayment, notice: PaymentNotice,
  invoice: InvoiceRow | undefined): AuditEvent {
  return {
    action: payment.disposition === 'suspense' ? 'PAYMENT_HELD_IN_SUSPENSE'
      : payment.disposition === 'credited' ? 'PAYMENT_CREDITED_TO_PAYER'
        : 'PAYMENT_ALLOCATED_TO_INVOICE',
    actor: { kind: 'system', id: providerOf(notice) },
    subject: { type: 'payment', id: payment.id },
    agencyId: invoice?.agencyId ?? null,
    detail: {
      receipt: notice.receiptNumber ?? null,
      checkoutRequestId: notice.checkoutRequestId ?? null,
      source: notice.source,
      amountMinor: notice.amount.amountMinor.toString(),
      currency: notice.amount.currency,
      invoiceId: invoice?.id ?? null,
    },
  };
}
