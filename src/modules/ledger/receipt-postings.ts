/**
 * The posting rules for money coming in (docs/ledger.md), as pure
 * functions returning entries, so payments composes them and never writes lines itself.
 * Each entry's idempotency key names the event, so a replayed callback posts nothing new;
 * all three receipt rules share the key `<channel>:<receipt>:receipt`, so one provider receipt
 * can enter the ledger once, whichever rule a replay would choose.
 */
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { add, money, sum, type Money } from '#platform/money/index.ts';
import { accountCodes, type AccountCode, type Channel } from './account-codes.ts';
import { entryCodes } from './entry-codes.ts';
import type { Entry, EntryLine, EntryReference } from './entry-rules.ts';

/** A provider's receipt: the M-Pesa TransID / MpesaReceiptNumber, a card or bank reference. */
export type ProviderReceipt = Readonly<{ channel: Channel; receiptNumber: string }>;

/** 'mpesa:QK71ABC123': how entries name a receipt (reference.providerReceipt). */
export function providerReceiptKey(receipt: ProviderReceipt): string {
  return `${receipt.channel.kind}:${receipt.receiptNumber}`;
}

export function receiptIdempotencyKey(receipt: ProviderReceipt): string {
  return `${providerReceiptKey(receipt)}:receipt`;
}

const debit = (accountCode: AccountCode, amount: Money): EntryLine =>
  ({ accountCode, side: 'debit', amount });
const credit = (accountCode: AccountCode, amount: Money): EntryLine =>
  ({ accountCode, side: 'credit', amount });

function withoutUndefined(reference: Readonly<Record<string, string | undefined>>):
  EntryReference {
  return Object.fromEntries(Object.entries(reference)
    .filter((pair): pair is [string, string] => pair[1] !== undefined));
}

export type ReceiptInput = Readonly<{
  receipt: ProviderReceipt;
  amount: Money;
  occurredAt: Date;
  /** The payments module's id for the payment, for the reference. */
  paymentId?: string;
}>;

function receiptEntry(
  input: ReceiptInput,
  code: string,
  creditAccount: AccountCode,
  reference: Readonly<Record<string, string | undefined>>,
): Entry {
  return {
    code,
    idempotencyKey: receiptIdempotencyKey(input.receipt),
    occurredAt: input.occurredAt,
    lines: [
      debit(accountCodes.collection(input.receipt.channel), input.amount),
      credit(creditAccount, input.amount),
    ],
    reference: withoutUndefined({
      providerReceipt: providerReceiptKey(input.receipt),
      paymentId: input.paymentId,
      ...reference,
    }),
  };
}

/** A receipt matched to an open invoice: Dr collection, Cr deposits:invoice. */
export function receiptMatched(input: ReceiptInput & Readonly<{ invoiceId: string }>): Entry {
  return receiptEntry(input, entryCodes.receiptAllocatedToInvoice,
    accountCodes.invoiceDeposits(input.invoiceId), { invoiceId: input.invoiceId });
}

/**
 * A receipt for a paid, cancelled or expired invoice: Dr collection, Cr credit:payer.
 * The payer can use the credit or get it back (and is told).
 */
export function receiptForClosedInvoice(
  input: ReceiptInput & Readonly<{ invoiceId: string; payerId: string }>,
): Entry {
  return receiptEntry(input, entryCodes.receiptCreditedToPayer,
    accountCodes.payerCredit(input.payerId), { invoiceId: input.invoiceId });
}

/** A receipt matching no invoice (mistyped or unknown reference): Dr collection, Cr suspense. */
export function receiptUnmatched(input: ReceiptInput): Entry {
  return receiptEntry(input, entryCodes.receiptHeldInSuspense, accountCodes.suspense(), {});
}

export type AgencyFee = Readonly<{ agencyId: string; amount: Money }>;

export type InvoiceCoveredInput = Readonly<{
  invoiceId: string;
  /** The balance of deposits:invoice now (balanceOfInTrx), including the latest receipt. */
  deposits: Money;
  /** The service lines, by the agency that earns them. */
  agencyFees: readonly AgencyFee[];
  /** The gazetted access fee (zero when none). */
  accessFee: Money;
  /** Who gets any excess as credit; undefined when the payer has no account. */
  payerId: string | undefined;
  occurredAt: Date;
}>;

/**
 * The invoice is now fully covered (deposits >= amount due): Dr deposits:invoice (all of it),
 * Cr payable:agency per agency (service lines), Cr revenue:access-fee (access fee), and any
 * excess Cr credit:payer. Posted once per invoice (key `invoice:<id>:covered`).
 * @returns err(LEDGER_INVOICE_NOT_COVERED) when deposits are below the amount due;
 *   err(LEDGER_EXCESS_NEEDS_PAYER) when there is an excess and no payer to credit.
 */
export function invoiceCovered(
  input: InvoiceCoveredInput,
): Result<Entry, Failure<'LEDGER_INVOICE_NOT_COVERED' | 'LEDGER_EXCESS_NEEDS_PAYER'>> {
  const currency = input.deposits.currency;
  const byAgency = new Map<string, Money>();
  for (const fee of input.agencyFees) {
    byAgency.set(fee.agencyId, add(byAgency.get(fee.agencyId) ?? money(0n, currency), fee.amount));
  }
  const due = add(sum([...byAgency.values()], currency), input.accessFee);
  const excessMinor = input.deposits.amountMinor - due.amountMinor;
  if (excessMinor < 0n) {
    return err(failure('LEDGER_INVOICE_NOT_COVERED',
      `deposits ${input.deposits.amountMinor}, due ${due.amountMinor}`));
  }
  if (excessMinor > 0n && input.payerId === undefined) {
    return err(failure('LEDGER_EXCESS_NEEDS_PAYER', `excess ${excessMinor}`));
  }
  const credits: EntryLine[] = [...byAgency.entries()]
    .filter(([, amount]) => amount.amountMinor > 0n)
    .map(([agencyId, amount]) => credit(accountCodes.agencyPayable(agencyId), amount));
  if (input.accessFee.amountMinor > 0n) {
    credits.push(credit(accountCodes.accessFeeRevenue(), input.accessFee));
  }
  if (excessMinor > 0n && input.payerId !== undefined) {
    credits.push(credit(accountCodes.payerCredit(input.payerId), money(excessMinor, currency)));
  }
  return ok({
    code: entryCodes.invoiceCovered,
    idempotencyKey: `invoice:${input.invoiceId}:covered`,
    occurredAt: input.occurredAt,
    lines: [debit(accountCodes.invoiceDeposits(input.invoiceId), input.deposits), ...credits],
    reference: { invoiceId: input.invoiceId },
  });
}

/**
 * A receipt held in suspense, matched to an invoice (by two people, outside the ledger):
 * Dr suspense, Cr deposits:invoice; the coverage rule follows.
 */
export function suspenseMatched(input: Readonly<{
  receipt: ProviderReceipt;
  invoiceId: string;
  amount: Money;
  occurredAt: Date;
}>): Entry {
  return {
    code: entryCodes.suspenseMatchedToInvoice,
    idempotencyKey: `${providerReceiptKey(input.receipt)}:suspense-match`,
    occurredAt: input.occurredAt,
    lines: [
      debit(accountCodes.suspense(), input.amount),
      credit(accountCodes.invoiceDeposits(input.invoiceId), input.amount),
    ],
    reference: { providerReceipt: providerReceiptKey(input.receipt), invoiceId: input.invoiceId },
  };
}

/**
 * A payer's credit used to pay an invoice: Dr credit:payer, Cr deposits:invoice. Refused at
 * posting (LEDGER_BALANCE_WOULD_GO_NEGATIVE) if the credit is smaller, even when two uses race.
 */
export function creditUsed(input: Readonly<{
  payerId: string;
  invoiceId: string;
  amount: Money;
  /** Names this use of credit (the allocation's id), so a retry posts once. */
  allocationId: string;
  occurredAt: Date;
}>): Entry {
  return {
    code: entryCodes.payerCreditAppliedToInvoice,
    idempotencyKey: `credit-use:${input.allocationId}`,
    occurredAt: input.occurredAt,
    lines: [
      debit(accountCodes.payerCredit(input.payerId), input.amount),
      credit(accountCodes.invoiceDeposits(input.invoiceId), input.amount),
    ],
    reference: { invoiceId: input.invoiceId, allocationId: input.allocationId },
  };
}
