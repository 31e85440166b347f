/**
 * The bank test's operations: money moved between guarded ledger accounts by the real posting
 * rules (credit used for an invoice, suspense matched to an invoice, refunds approved from
 * credit or suspense, then paid out or cancelled back). A few payers and invoices, many
 * connections: most operations contend for the same few accounts, and many are refused
 * because the money is not there. Deterministic for a seed.
 */
import { money, type Money } from '#platform/money/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import {
  creditUsed,
  receiptForClosedInvoice,
  receiptUnmatched,
  refundApproved,
  refundCancelled,
  refundPaidOut,
  suspenseMatched,
  type Entry,
} from '#modules/ledger/index.ts';

export const bankChannel = { kind: 'mpesa', shortcode: '222222' } as const;

export type OperationKind =
  | 'credit-use' | 'suspense-match' | 'refund-approve' | 'refund-pay' | 'refund-cancel';

export type Refund = Readonly<{
  refundId: string;
  source: Readonly<{ kind: 'payer-credit'; payerId: string }> | Readonly<{ kind: 'suspense' }>;
  amount: Money;
}>;

export type BankAccounts = Readonly<{
  payers: readonly string[];
  invoices: readonly string[];
  /** Each payer's credit and suspense start with this much. */
  startMinor: bigint;
}>;

export function bankAccounts(payers: number, invoices: number, startMinor: bigint):
  BankAccounts {
  return {
    payers: Array.from({ length: payers }, () => uuidv7()),
    invoices: Array.from({ length: invoices }, () => uuidv7()),
    startMinor,
  };
}

/** The receipts that put the starting money in: one per payer's credit, one into suspense. */
export function fundingEntries(accounts: BankAccounts, runId: string): Entry[] {
  const amount = money(accounts.startMinor, 'KES');
  const occurredAt = new Date();
  return [
    ...accounts.payers.map((payerId, index) => receiptForClosedInvoice({
      receipt: { channel: bankChannel, receiptNumber: `BANK${runId}P${index}` },
      amount, occurredAt, invoiceId: uuidv7(), payerId,
    })),
    receiptUnmatched({ receipt: { channel: bankChannel, receiptNumber: `BANK${runId}S` },
      amount, occurredAt }),
  ];
}

export type Operation = Readonly<{
  kind: OperationKind;
  entry: Entry;
  /** The refund this operation approves, pays or cancels. */
  refund?: Refund;
}>;

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Refunds of at most this share of a starting balance may be paid out; others only cancelled. */
export const smallRefundDivisor = 2_000n;

/**
 * The next operation. `takeRefund` hands over an approved refund nobody else will pay or
 * cancel (or undefined when there is none), so each refund ends at most once; only small
 * ones are paid out, so money leaves slowly and the run never runs dry.
 */
export function nextOperation(accounts: BankAccounts, random: () => number,
  takeRefund: (size: 'small' | 'any') => Refund | undefined): Operation {
  // Refunds take up to a quarter of a starting balance, and cancelled ones bring it back,
  // so accounts keep running dry and filling again (the guard is tried over and over); money
  // that leaves for good (credit used, suspense matched, refunds paid) moves in small sums.
  const amountUpTo = (fraction: bigint) => money(1n + BigInt(Math.floor(random() *
    Number(accounts.startMinor / fraction))), 'KES');
  const amount = amountUpTo(smallRefundDivisor);
  const occurredAt = new Date();
  const draw = random();
  if (draw >= 0.5 && draw < 0.75) {
    const paid = draw < 0.55;
    const refund = takeRefund(paid ? 'small' : 'any');
    if (refund !== undefined) {
      return paid
        ? { kind: 'refund-pay', refund, entry: refundPaidOut({ refundId: refund.refundId,
          channel: bankChannel, amount: refund.amount, occurredAt,
          providerReceipt: `R${refund.refundId.slice(0, 8).toUpperCase()}` }) }
        : { kind: 'refund-cancel', refund, entry: refundCancelled({ ...refund, occurredAt }) };
    }
  }
  if (draw < 0.15) {
    return { kind: 'credit-use', entry: creditUsed({ payerId: pick(accounts.payers, random),
      invoiceId: pick(accounts.invoices, random), amount, allocationId: uuidv7(),
      occurredAt }) };
  }
  if (draw < 0.2) {
    return { kind: 'suspense-match', entry: suspenseMatched({ receipt: { channel: bankChannel,
      receiptNumber: `MATCH${uuidv7()}` }, invoiceId: pick(accounts.invoices, random), amount,
    occurredAt }) };
  }
  const source: Refund['source'] = random() < 0.8
    ? { kind: 'payer-credit', payerId: pick(accounts.payers, random) } : { kind: 'suspense' };
  const refund: Refund = { refundId: uuidv7(), source, amount: draw < 0.3 ? amount
    : amountUpTo(4n) };
  return { kind: 'refund-approve', refund, entry: refundApproved({ ...refund, occurredAt }) };
}
