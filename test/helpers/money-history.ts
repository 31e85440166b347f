/**
 * An independent model of the money after collection, for property tests over generated
 * histories (test/money): what the platform should hold, per invoice, payer and account kind,
 * written from LEDGER.md's posting rules and not from the code under test. All amounts are
 * KES minor units (bigint): M-Pesa collects only shillings.
 *
 * The totals of an invoice depend only on what reached it, not on the order: below its total
 * the money is its deposit; at or above it the agency's fees and the access fee are
 * recognised and the excess is the payer's credit. A payment to a paid invoice is credit too,
 * which the same rule gives.
 */

export type ModelInvoice = {
  id: string;
  reference: string;
  payerId: string;
  totalMinor: bigint;
  /** The service lines (the agency's) and the access fee (Treasury's): they sum to the total. */
  agencyMinor: bigint;
  accessMinor: bigint;
  /** Everything the platform applied to it (payments, suspense matches). */
  receivedMinor: bigint;
  /** Cancelled unpaid: what reaches it afterwards is the payer's credit. */
  cancelled: boolean;
  /** What its coverage gave the payer's credit (received beyond the total when covered). */
  coveredExcessMinor: bigint;
  /** Refunded as a paid bill: its coverage withdrawn, all it received the payer's credit. */
  withdrawn: boolean;
};

/** How the provider's confirmation reaches the platform. */
export type Delivery = 'normal' | 'missing' | 'duplicate' | 'mismatch';

export type ModelPayment = {
  receipt: string;
  /** What the provider moved: the statement's Paid In. */
  statementMinor: bigint;
  /** What the platform was told (differs from statementMinor only for a mismatch). */
  platformMinor: bigint;
  delivery: Delivery;
  /** The account reference the payer typed. */
  reference: string;
  /** The invoice its reference names; undefined for a mistyped reference (suspense). */
  invoiceId: string | undefined;
  payerId: string | undefined;
  /** The payer's phone's last four digits pick the emulator's outflow behaviour. */
  msisdn: string;
  /** In the ledger: delivered, or taken in by a reconciliation (a missing callback). */
  inLedger: boolean;
  /** Reconciled at least once since it entered the statement. */
  reconciled: boolean;
  /** Where a suspense receipt went: still held, matched to an invoice, or in a refund. */
  suspense: 'held' | 'matched' | 'refund' | undefined;
  /** A refund of it is live (requested, paid, failed and left): not refundable again. */
  refunded: boolean;
};

export type ModelRefund = {
  id: string;
  source: 'payer-credit' | 'suspense';
  payerId: string | undefined;
  amountMinor: bigint;
  status: 'payable' | 'paid' | 'cancelled';
  /** The provider's receipt of the payout: a withdrawn line in the statement. */
  payoutReceipt: string | undefined;
  /** The provider's charge for a B2C payout: its own withdrawn line, linked to the payout. */
  charge: Readonly<{ receipt: string; amountMinor: bigint }> | undefined;
};

export type MoneyModel = {
  invoices: Map<string, ModelInvoice>;
  payments: ModelPayment[];
  refunds: ModelRefund[];
  /** Sweeps to the bank, by the emulator's receipt. */
  sweeps: Map<string, bigint>;
  /** Agency and access-fee money released to the bank in settlement batches / confirmed. */
  releasedMinor: bigint;
  /** The part of releasedMinor that was Treasury's access fees (the rest: agencies'). */
  releasedAccessMinor: bigint;
  settledMinor: bigint;
  /** Credit a payer spent on another invoice of theirs. */
  creditSpent: Map<string, bigint>;
  /** Payments straight to a payer's credit (their invoice was cancelled unpaid). */
  creditedDirectly: Map<string, bigint>;
  /** What the provider charges per B2C payment (the emulator's b2cChargeShillings). */
  b2cChargeMinor: bigint;
};

export function emptyModel(b2cChargeMinor = 0n): MoneyModel {
  return { invoices: new Map(), payments: [], refunds: [], sweeps: new Map(),
    releasedMinor: 0n, releasedAccessMinor: 0n, settledMinor: 0n, creditSpent: new Map(),
    creditedDirectly: new Map(), b2cChargeMinor };
}

/** Money reaching an invoice; the one that covers it leaves its excess in the credit. */
function receive(invoice: ModelInvoice, amountMinor: bigint): void {
  const before = invoice.receivedMinor;
  invoice.receivedMinor += amountMinor;
  if (before < invoice.totalMinor && invoice.receivedMinor >= invoice.totalMinor) {
    invoice.coveredExcessMinor = invoice.receivedMinor - invoice.totalMinor;
  }
}

/** Applies a payment the platform took into the ledger (delivered, or reconciled). */
export function takeIntoLedger(model: MoneyModel, payment: ModelPayment): void {
  if (payment.inLedger) return;
  payment.inLedger = true;
  const invoice = payment.invoiceId === undefined
    ? undefined : model.invoices.get(payment.invoiceId);
  if (invoice === undefined) {
    payment.suspense = 'held';
    return;
  }
  if (invoice.cancelled && invoice.receivedMinor === 0n) {
    add(model.creditedDirectly, invoice.payerId, payment.platformMinor);
    return;
  }
  receive(invoice, payment.platformMinor);
}

/** A suspense receipt matched to an invoice (two people): it counts as that invoice's money. */
export function matchFromSuspense(model: MoneyModel, payment: ModelPayment,
  invoice: ModelInvoice): void {
  payment.suspense = 'matched';
  receive(invoice, payment.platformMinor);
}

/** The payer's credit pays (part of) another invoice of theirs: never more than it owes. */
export function spendCredit(model: MoneyModel, invoice: ModelInvoice, amountMinor: bigint):
  void {
  model.creditSpent.set(invoice.payerId,
    (model.creditSpent.get(invoice.payerId) ?? 0n) + amountMinor);
  receive(invoice, amountMinor);
}

export type ModelTotals = {
  collected: bigint;
  deposits: bigint;
  /** Agency payables and access fees not yet released to the bank (settlement takes both). */
  payableAndFees: bigint;
  agencyUnreleased: bigint;
  accessUnreleased: bigint;
  clearing: bigint;
  settled: bigint;
  suspense: bigint;
  refundsPayable: bigint;
  refundsPaid: bigint;
  /** Provider charges (an expense the platform bears, out of the paybill). */
  charges: bigint;
  credits: bigint;
  /** Credit per payer id (only payers with a credit, or one that went to zero). */
  creditByPayer: Map<string, bigint>;
};

function add(map: Map<string, bigint>, key: string, amount: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + amount);
}

/** What the ledger should hold, by account kind, after everything the model has seen. */
export function modelTotals(model: MoneyModel): ModelTotals {
  let deposits = 0n;
  // (A cancelled invoice keeps nothing: every payment to it went to the payer's credit.)
  let recognisedAgency = 0n;
  let recognisedAccess = 0n;
  const creditByPayer = new Map<string, bigint>();
  for (const invoice of model.invoices.values()) {
    if (invoice.withdrawn) {
      add(creditByPayer, invoice.payerId, invoice.receivedMinor);
      continue;
    }
    if (invoice.receivedMinor < invoice.totalMinor) {
      deposits += invoice.receivedMinor;
      continue;
    }
    recognisedAgency += invoice.agencyMinor;
    recognisedAccess += invoice.accessMinor;
    const excess = invoice.receivedMinor - invoice.totalMinor;
    if (excess > 0n) add(creditByPayer, invoice.payerId, excess);
  }
  let suspense = 0n;
  for (const payment of model.payments) {
    if (payment.inLedger && payment.suspense === 'held') suspense += payment.platformMinor;
  }
  let refundsPayable = 0n;
  let refundsPaid = 0n;
  for (const refund of model.refunds) {
    if (refund.status === 'payable') refundsPayable += refund.amountMinor;
    if (refund.status === 'paid') refundsPaid += refund.amountMinor;
    if (refund.status !== 'cancelled' && refund.source === 'payer-credit' &&
      refund.payerId !== undefined) add(creditByPayer, refund.payerId, -refund.amountMinor);
  }
  for (const [payerId, spent] of model.creditSpent) add(creditByPayer, payerId, -spent);
  for (const [payerId, credited] of model.creditedDirectly) add(creditByPayer, payerId, credited);
  const charges = chargesMinor(model);
  const collected = model.payments.filter((payment) => payment.inLedger)
    .reduce((total, payment) => total + payment.platformMinor, 0n);
  const credits = [...creditByPayer.values()].reduce((total, amount) => total + amount, 0n);
  return {
    collected, deposits, suspense, refundsPayable, refundsPaid, charges, credits, creditByPayer,
    payableAndFees: recognisedAgency + recognisedAccess - model.releasedMinor,
    agencyUnreleased: recognisedAgency - (model.releasedMinor - model.releasedAccessMinor),
    accessUnreleased: recognisedAccess - model.releasedAccessMinor,
    clearing: model.releasedMinor - model.settledMinor,
    settled: model.settledMinor,
  };
}

/** The payer-side liabilities the paybill must keep money for (refundable any time). */
export function refundableMinor(totals: ModelTotals): bigint {
  return totals.suspense + totals.credits + totals.refundsPayable;
}

/**
 * The class reconciliation must give each statement line, by receipt: a payment's line is
 * matched, or missing_callback the first time it is reconciled, or mismatch; payouts are
 * refund_payout, sweeps sweep.
 */
export function expectedClasses(model: MoneyModel): Map<string, string> {
  const classes = new Map<string, string>();
  for (const payment of model.payments) {
    classes.set(payment.receipt, payment.delivery === 'mismatch' ? 'mismatch'
      : payment.delivery === 'missing' && !payment.reconciled ? 'missing_callback' : 'matched');
  }
  for (const refund of model.refunds) {
    if (refund.payoutReceipt !== undefined) classes.set(refund.payoutReceipt, 'refund_payout');
    if (refund.charge !== undefined) classes.set(refund.charge.receipt, 'charge');
  }
  for (const receipt of model.sweeps.keys()) classes.set(receipt, 'sweep');
  return classes;
}

function chargesMinor(model: MoneyModel): bigint {
  return model.refunds.reduce((total, refund) => total + (refund.charge?.amountMinor ?? 0n), 0n);
}

/** What the provider's paybill holds: paid in, less payouts and sweeps. */
export function paybillMinor(model: MoneyModel): bigint {
  const paidIn = model.payments.reduce((total, payment) => total + payment.statementMinor, 0n);
  const paidOut = model.refunds.filter((refund) => refund.status === 'paid')
    .reduce((total, refund) => total + refund.amountMinor, 0n);
  const swept = [...model.sweeps.values()].reduce((total, amount) => total + amount, 0n);
  return paidIn - paidOut - swept - chargesMinor(model);
}
