/**
 * Pull Transactions as a statement: the paybill's payments in a window, page after page
 * (OffSetValue), each record a paid-in line with the same classification as the CSV's. The
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

function reasonOf(transactionType: string): string {
  return transactionType.includes('buy-goods') ? 'Pay Merchant' : 'Pay Bill';
}

export function pulledLine(record: PulledRecord, lineNumber: number): StatementLine {
  return {
    lineNumber, receipt: record.transactionId, completedAt: record.transactionTime,
    paidInMinor: record.amount.amountMinor, withdrawnMinor: 0n, balanceMinor: null,
    transactionStatus: 'Completed', reasonType: reasonOf(record.transactionType),
    linkedReceipt: '', accountReference: record.billReference.slice(0, 100),
    raw: JSON.stringify({ transactionId: record.transactionId,
      trxDate: record.transactionTime.toISOString(), transactiontype: record.transactionType,
      billreference: record.billReference, amount: record.amount.amountMinor.toString(),
      organizationname: record.organizationName }),
  };
}

export type PullReader = Readonly<{
  lines: AsyncGenerator<StatementLine>;
  sha256: () => string;
}>;

/** Reads the window page by page; the hash covers every record read. */
export function readPulled(client: DarajaClient, window: Readonly<{ from: Date; to: Date }>):
  PullReader {
  const hash = createHash('sha256');
  let digest: string | undefined;
  async function* lines(): AsyncGenerator<StatementLine> {
    let offset = 0;
    for (let page = 0; page < pagesMax; page += 1) {
      const answer = await client.pullTransactions({ startDate: window.from,
        endDate: window.to, offset });
      if (!answer.ok) {
        throw new ImportRefusedError(`Pull Transactions failed at offset ${offset}: ` +
          `${answer.error.kind}`);
      }
      if (answer.value.length === 0) return;
      for (const record of answer.value) {
        offset += 1;
        const line = pulledLine(record, offset);
        hash.update(line.raw).update('\n');
        yield line;
      }
    }
    throw new ImportRefusedError('Pull Transactions did not stop answering');
  }
  return { lines: lines(), sha256: () => {
    digest ??= hash.digest('hex');
    return digest;
  } };
}
