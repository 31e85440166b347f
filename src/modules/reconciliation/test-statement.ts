/**
 * Statement CSV text for tests: lines written as the organisation portal exports them, with
 * the running balance computed from the amounts unless a line gives its own.
 */
import { statementColumns } from './statement-csv.ts';
import { kenyaText, minorText } from './statement-formats.ts';

export type TestLine = Readonly<{
  receipt: string;
  at: Date;
  paidInMinor?: bigint;
  withdrawnMinor?: bigint;
  reason?: string;
  reference?: string;
  linked?: string;
  status?: string;
  /** The balance to write instead of the running one (the running one goes on from it). */
  balanceMinor?: bigint;
}>;

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function statementText(lines: readonly TestLine[], openingMinor = 0n): string {
  let balance = openingMinor;
  const rows = lines.map((line) => {
    const paidIn = line.paidInMinor ?? 0n;
    const withdrawn = line.withdrawnMinor ?? 0n;
    balance = line.balanceMinor ?? balance + paidIn - withdrawn;
    const reason = line.reason ?? (paidIn > 0n ? 'Pay Bill' : 'Organization Withdrawal to Bank');
    return [line.receipt, kenyaText(line.at), kenyaText(line.at),
      `${reason} from 2547******123 - TEST PAYER Acc. ${line.reference ?? ''}`,
      line.status ?? 'Completed', paidIn === 0n ? '' : minorText(paidIn),
      withdrawn === 0n ? '' : `-${minorText(withdrawn)}`, minorText(balance), 'true', reason,
      '2547******123 - TEST PAYER', line.linked ?? '', line.reference ?? ''];
  });
  return [statementColumns, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') +
    '\r\n';
}
