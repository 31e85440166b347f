/**
 * Pull Transactions as a statement: the paybill's transactions in a window, page after page
 * (OffSetValue), each record a line (money in or out) with the same classification as the
 * CSV's. The
 * API gives no running balance, so a pulled run has no balance proof. A page that fails
 * refuses the whole import (nothing is kept), as a bad CSV line does.
 */
import { createHash } from 'node:crypto';
import type { DarajaClient } from '#modules/payments/index.ts';
import { ImportRefusedError, type StatementLine } from './statement-csv.ts';

/** More pages than any day has: a provider that never stops answering is refused. */
const pagesMax = 100_000;

type Pulled = Awaited<ReturnType<DarajaClient['pullTransactions']>>;
type PulledRecord = Extract<Pulled, { ok: true }>['value'][number];

/**
 * Pull Transactions names money out by its statement Reason Type in kebab case (amounts
 * positive); money in is c2b-pay-bill-debit or c2b-buy-goods-debit. A type we do not know is
 * never taken for money in (no payment is made of it): it is read as money out under its own
 * name, so the run reports it as an unknown withdrawal.
 */
const outflowReasons: Readonly<Record<string, string>> = {
  'business-payment-to-customer': 'Business Payment to Customer via API',
  'business-payment-charge': 'Business Payment Charge',
  reversal: 'Reversal',
  'organization-withdrawal-to-bank': 'Organization Withdrawal to Bank',
};
const inflowReasons: Readonly<Record<string, string>> = {
  'c2b-pay-bill-debit': 'Pay Bill',
  'c2b-buy-goods-debit': 'Pay Merchant',
};

export function pulledLine(record: PulledRecord, lineNumber: number): StatementLine {
  const type = record.transactionType.trim().toLowerCase();
  const inflow = inflowReasons[type];
  const amountMinor = record.amount.amountMinor;
  return {
    lineNumber, receipt: record.transactionId, completedAt: record.transactionTime,
    paidInMinor: inflow === undefined ? 0n : amountMinor,
    withdrawnMinor: inflow === undefined ? amountMinor : 0n, balanceMinor: null,
    transactionStatus: 'Completed',
    reasonType: inflow ?? outflowReasons[type] ?? (record.transactionType || 'unknown'),
    linkedReceipt: '', accountReference: record.billReference.slice(0, 100),
    raw: JSON.stringify({ transactionId: record.transactionId,
      trxDate: record.transactionTime.toISOString(), transactiontype: record.transactionType,
      billreference: record.billReference, amount: record.amount.amountMinor.toString(),
      organizationname: record.organizationName }),
  };
}

export type PullReader = Readonly<{
  /** A page's lines at a time. */
  batches: AsyncGenerator<StatementLine[]>;
  sha256: () => string;
}>;

/** Reads the window page by page; the hash covers every record read. */
export function readPulled(client: DarajaClient, window: Readonly<{ from: Date; to: Date }>):
  PullReader {
  const hash = createHash('sha256');
  let digest: string | undefined;
  async function* batches(): AsyncGenerator<StatementLine[]> {
    let offset = 0;
    for (let page = 0; page < pagesMax; page += 1) {
      const answer = await client.pullTransactions({ startDate: window.from,
        endDate: window.to, offset });
      if (!answer.ok) {
        throw new ImportRefusedError(`Pull Transactions failed at offset ${offset}: ` +
          `${answer.error.kind}`);
      }
      if (answer.value.length === 0) return;
      const lines: StatementLine[] = [];
      for (const record of answer.value) {
        offset += 1;
        const line = pulledLine(record, offset);
        hash.update(line.raw).update('\n');
        lines.push(line);
      }
      yield lines;
    }
    throw new ImportRefusedError('Pull Transactions did not stop answering');
  }
  return { batches: batches(), sha256: () => {
    digest ??= hash.digest('hex');
    return digest;
  } };
}
