/**
 * The posting rules for money going out or moving between the platform's own accounts
 * (refunds, sweeps, settlements, remittances, provider charges), as pure functions returning
 * entries. The approvals (two different people) happen before, outside the ledger; the entry
 * records what was done. Each key names the event (`refund:<id>:paid`), so retries post once.
 */
import type { Money } from '#platform/money/index.ts';
import { accountCodes, type AccountCode, type Channel } from './account-codes.ts';
import { entryCodes } from './entry-codes.ts';
import type { Entry } from './entry-rules.ts';

/** Where a refund is paid from: a payer's credit, or suspense (a receipt nobody claimed). */
export type RefundSource =
  | Readonly<{ kind: 'payer-credit'; payerId: string }>
  | Readonly<{ kind: 'suspense' }>;

function sourceAccount(source: RefundSource): AccountCode {
  return source.kind === 'suspense'
    ? accountCodes.suspense() : accountCodes.payerCredit(source.payerId);
}

function transfer(input: Readonly<{
  code: string;
  idempotencyKey: string;
  debitAccount: AccountCode;
  creditAccount: AccountCode;
  amount: Money;
  occurredAt: Date;
  reference: Readonly<Record<string, string>>;
}>): Entry {
  return {
    code: input.code,
    idempotencyKey: input.idempotencyKey,
    occurredAt: input.occurredAt,
    lines: [
      { accountCode: input.debitAccount, side: 'debit', amount: input.amount },
      { accountCode: input.creditAccount, side: 'credit', amount: input.amount },
    ],
    reference: input.reference,
  };
}

type RefundInput = Readonly<{
  refundId: string;
  source: RefundSource;
  amount: Money;
  occurredAt: Date;
}>;

/** A refund approved: Dr credit:payer or suspense, Cr refunds-payable. */
export function refundApproved(input: RefundInput): Entry {
  return transfer({
    code: entryCodes.refundApproved,
    idempotencyKey: `refund:${input.refundId}:approved`,
    debitAccount: sourceAccount(input.source),
    creditAccount: accountCodes.refundsPayable(),
    amount: input.amount,
    occurredAt: input.occurredAt,
    reference: { refundId: input.refundId },
  });
}

/**
 * A refund paid out (B2C or reversal succeeded): Dr refunds-payable, Cr collection. The
 * reference names the provider's receipt (the B2C or reversal TransactionID), so
 * reconciliation can match the statement's withdrawal line to it.
 */
export function refundPaidOut(input: Readonly<{
  refundId: string;
  channel: Channel;
  amount: Money;
  occurredAt: Date;
  providerReceipt: string;
}>): Entry {
  return transfer({
    code: entryCodes.refundPaidOut,
    idempotencyKey: `refund:${input.refundId}:paid`,
    debitAccount: accountCodes.refundsPayable(),
    creditAccount: accountCodes.collection(input.channel),
    amount: input.amount,
    occurredAt: input.occurredAt,
    reference: { refundId: input.refundId, providerReceipt: input.providerReceipt },
  });
}

/**
 * A refund cancelled after failing: the money goes back where it came from
 * (Dr refunds-payable, Cr credit:payer or suspense). A failed attempt alone moves nothing.
 */
export function refundCancelled(input: RefundInput): Entry {
  return transfer({
    code: entryCodes.refundCancelled,
    idempotencyKey: `refund:${input.refundId}:cancelled`,
    debitAccount: accountCodes.refundsPayable(),
    creditAccount: sourceAccount(input.source),
    amount: input.amount,
    occurredAt: input.occurredAt,
    reference: { refundId: input.refundId },
  });
}

/**
 * A paid invoice withdrawn for a refund (the wrong service), after its INVOICE_COVERED entry
 * was corrected (INVOICE_COVERAGE_WITHDRAWN, by postCorrectionInTrx): its deposits go to the
 * payer's credit (Dr deposits:invoice, Cr credit:payer), from which refundApproved pays.
 */
export function invoiceWithdrawnToCredit(input: Readonly<{
  invoiceId: string;
  payerId: string;
  refundId: string;
  amount: Money;
  occurredAt: Date;
}>): Entry {
  return transfer({
    code: entryCodes.invoiceWithdrawnToCredit,
    idempotencyKey: `invoice:${input.invoiceId}:withdrawn`,
    debitAccount: accountCodes.invoiceDeposits(input.invoiceId),
    creditAccount: accountCodes.payerCredit(input.payerId),
    amount: input.amount,
    occurredAt: input.occurredAt,
    reference: { invoiceId: input.invoiceId, refundId: input.refundId },
  });
}

/** The paybill swept to the Treasury bank: Dr collection:treasury-bank, Cr collection:mpesa. */
export function paybillSwept(input: Readonly<{
  sweepId: string;
  shortcode: string;
  amount: Money;
  occurredAt: Date;
}>): Entry {
  return transfer({
    code: entryCodes.paybillSweptToTreasuryBank,
    idempotencyKey: `sweep:${input.sweepId}`,
    debitAccount: accountCodes.treasuryBank(),
    creditAccount: accountCodes.mpesaCollection(input.shortcode),
    amount: input.amount,
    occurredAt: input.occurredAt,
    reference: { sweepId: input.sweepId },
  });
}

/**
 * Who a settlement line pays: an agency (its payable) or Treasury (the access fees, remitted
 * in the same batch as one more line).
 */
export type SettlementPayee =
  | Readonly<{ kind: 'agency'; agencyId: string }>
  | Readonly<{ kind: 'treasury' }>;

/** The liability a settlement line pays out of: payable:agency:<id> or revenue:access-fee. */
export function payeeAccount(payee: SettlementPayee): AccountCode {
  return payee.kind === 'agency'
    ? accountCodes.agencyPayable(payee.agencyId) : accountCodes.accessFeeRevenue();
}

type SettlementLineInput = Readonly<{
  /** The batch line (one payee, one currency); names the entry, so a retry posts once. */
  lineId: string;
  batchId: string;
  payee: SettlementPayee;
  amount: Money;
  occurredAt: Date;
}>;

function lineReference(input: SettlementLineInput): Record<string, string> {
  return {
    settlementLineId: input.lineId, settlementBatchId: input.batchId,
    ...(input.payee.kind === 'agency' ? { agencyId: input.payee.agencyId } : {}),
  };
}

/**
 * A settlement line released to the bank (the batch's second approval): Dr payable:agency (or
 * revenue:access-fee), Cr settlement-clearing. The money is on its way, no longer owed here.
 */
export function settlementReleased(input: SettlementLineInput): Entry {
  return transfer({
    code: entryCodes.settlementReleasedToBank,
    idempotencyKey: `settlement:${input.lineId}:released`,
    debitAccount: payeeAccount(input.payee),
    creditAccount: accountCodes.settlementClearing(),
    amount: input.amount,
    occurredAt: input.occurredAt,
    reference: lineReference(input),
  });
}

/**
 * A settlement line confirmed paid by the bank: Dr settlement-clearing, Cr
 * collection:treasury-bank, naming the bank's reference (a token, never an account number).
 */
export function agencySettled(input: SettlementLineInput & Readonly<{
  bankReference: string;
}>): Entry {
  return transfer({
    code: entryCodes.agencySettlementConfirmedByBank,
    idempotencyKey: `settlement:${input.lineId}:settled`,
    debitAccount: accountCodes.settlementClearing(),
    creditAccount: accountCodes.treasuryBank(),
    amount: input.amount,
    occurredAt: input.occurredAt,
    reference: { ...lineReference(input), bankReference: input.bankReference },
  });
}

/**
 * A settlement line the bank returned (closed account, wrong details): the money goes back to
 * the payee's liability (Dr settlement-clearing, Cr payable:agency or revenue:access-fee), to
 * be settled again in a later batch.
 */
export function settlementReturned(input: SettlementLineInput): Entry {
  return transfer({
    code: entryCodes.settlementReturnedByBank,
    idempotencyKey: `settlement:${input.lineId}:returned`,
    debitAccount: accountCodes.settlementClearing(),
    creditAccount: payeeAccount(input.payee),
    amount: input.amount,
    occurredAt: input.occurredAt,
    reference: lineReference(input),
  });
}

/** Access fees remitted to Treasury: Dr revenue:access-fee, Cr collection:treasury-bank. */
export function accessFeesRemitted(input: Readonly<{
  remittanceId: string;
  amount: Money;
  occurredAt: Date;
}>): Entry {
  return transfer({
    code: entryCodes.accessFeesRemitted,
    idempotencyKey: `access-fee-remittance:${input.remittanceId}`,
    debitAccount: accountCodes.accessFeeRevenue(),
    creditAccount: accountCodes.treasuryBank(),
    amount: input.amount,
    occurredAt: input.occurredAt,
    reference: { remittanceId: input.remittanceId },
  });
}

/** A charge the provider deducted (statement line): Dr expense:provider-charges, Cr collection. */
export function providerCharged(input: Readonly<{
  /** Names the statement line, so importing a statement twice posts once. */
  chargeId: string;
  channel: Channel;
  amount: Money;
  occurredAt: Date;
}>): Entry {
  return transfer({
    code: entryCodes.providerChargeRecorded,
    idempotencyKey: `provider-charge:${input.chargeId}`,
    debitAccount: accountCodes.providerCharges(),
    creditAccount: accountCodes.collection(input.channel),
    amount: input.amount,
    occurredAt: input.occurredAt,
    reference: { chargeId: input.chargeId },
  });
}
