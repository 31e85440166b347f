/**
 * Reconciliation sources: Pull Transactions (Daraja 3.0, no /mpesa/ prefix; the only way to
 * back-fill confirmations that were never delivered) and the organisation portal's statement
 * export (CSV), the bank's truth (daraja.md sections 7 and 9).
 */
import { findShortcode, type EmulatorContext } from './emulator-context.ts';
import {
  kenyaDateTime,
  parseKenyaDateTime,
  requestIdentifier,
  shillingsText,
  statementMsisdn,
} from './emulator-formats.ts';
import {
  asFields,
  darajaErrors,
  isHttpUrl,
  isSafaricomMsisdn,
  reply,
  textField,
  type DarajaReply,
} from './emulator-replies.ts';
import { isWithdrawal, type EmulatedTransaction } from './emulator-state.ts';
import { reasonType } from './emulator-status.ts';

/** POST /pulltransactions/v1/register */
export function pullRegisterRequest(context: EmulatorContext, body: unknown): DarajaReply {
  const fields = asFields(body);
  if (fields === undefined) return darajaErrors.invalidPayload();
  const shortcode = textField(fields, 'ShortCode');
  if (shortcode === undefined || findShortcode(context, shortcode) === undefined) {
    return darajaErrors.invalidField('ShortCode');
  }
  if (fields['RequestType'] !== 'Pull') return darajaErrors.invalidField('RequestType');
  // The nominated number is a phone (254...), not the shortcode.
  const nominatedNumber = textField(fields, 'NominatedNumber');
  if (nominatedNumber === undefined || !isSafaricomMsisdn(nominatedNumber)) {
    return darajaErrors.invalidField('NominatedNumber');
  }
  const callbackUrl = textField(fields, 'CallBackURL');
  if (callbackUrl === undefined || !isHttpUrl(callbackUrl)) {
    return darajaErrors.invalidField('CallBackURL');
  }
  const already = context.state.pullRegistrations.has(shortcode);
  context.state.pullRegistrations.set(shortcode, { shortcode, nominatedNumber, callbackUrl });
  // The keys with spaces are Safaricom's own.
  return reply({
    ResponseRefID: requestIdentifier(),
    'Response Status': already ? '1001' : '1000',
    ShortCode: shortcode,
    'Response Description': already
      ? 'ShortCode already Registered' : 'ShortCode Registered Successfully',
  });
}

/** POST /pulltransactions/v1/query: one page of a shortcode's payments in a time window. */
export function pullQueryRequest(context: EmulatorContext, body: unknown): DarajaReply {
  const fields = asFields(body);
  if (fields === undefined) return darajaErrors.invalidPayload();
  const shortcode = textField(fields, 'ShortCode');
  if (shortcode === undefined || findShortcode(context, shortcode) === undefined) {
    return darajaErrors.invalidField('ShortCode');
  }
  const start = parseKenyaDateTime(String(fields['StartDate'] ?? ''));
  if (start === undefined) return darajaErrors.invalidField('StartDate');
  const end = parseKenyaDateTime(String(fields['EndDate'] ?? ''));
  if (end === undefined) return darajaErrors.invalidField('EndDate');
  // OffSetValue must be a JSON number (a known gotcha), not a string.
  const offset = fields['OffSetValue'];
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    return darajaErrors.invalidField('OffSetValue');
  }
  const page = transactionsOf(context, shortcode, start, end)
    .slice(offset, offset + context.settings.pullPageSize);
  const organization = findShortcode(context, shortcode)?.organizationName ?? '';
  return reply({
    ResponseRefID: requestIdentifier(),
    ResponseCode: '1000',
    ResponseMessage: 'Success',
    Response: [page.map((transaction) => ({
      transactionId: transaction.transactionId,
      trxDate: `${transaction.completedAt.toISOString().slice(0, 19)}Z`,
      msisdn: Number(transaction.msisdn),
      sender: 'UNKNOWN',
      transactiontype: pullTransactionType(transaction),
      billreference: transaction.billReference,
      amount: shillingsText(transaction.amount),
      organizationname: organization,
    }))],
  });
}

/** Money in as Safaricom names it; money out by its statement Reason Type, in kebab case. */
const pullOutflowTypes: Readonly<Record<string, string>> = {
  b2c: 'business-payment-to-customer',
  reversal: 'reversal',
  'b2c-charge': 'business-payment-charge',
  sweep: 'organization-withdrawal-to-bank',
};

function pullTransactionType(transaction: EmulatedTransaction): string {
  const outflow = pullOutflowTypes[transaction.channel];
  if (outflow !== undefined) return outflow;
  return transaction.transactionType === 'Buy Goods' ? 'c2b-buy-goods-debit'
    : 'c2b-pay-bill-debit';
}

function transactionsOf(
  context: EmulatorContext,
  shortcode: string,
  from: Date | undefined,
  to: Date | undefined,
): EmulatedTransaction[] {
  return [...context.state.transactions.values()]
    .filter((transaction) => transaction.shortcode === shortcode &&
      (from === undefined || transaction.completedAt >= from) &&
      (to === undefined || transaction.completedAt <= to))
    .sort((a, b) => a.sequence - b.sequence);
}

export const statementColumns = [
  'Receipt No.', 'Completion Time', 'Initiation Time', 'Details', 'Transaction Status',
  'Paid In', 'Withdrawn', 'Balance', 'Balance Confirmed', 'Reason Type', 'Other Party Info',
  'Linked Transaction ID', 'A/C No.',
] as const;

/** RFC 4180: quote a field holding a comma, quote or line break; double inner quotes. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function statementDetails(transaction: EmulatedTransaction, reason: string, otherParty: string):
  string {
  switch (transaction.channel) {
    case 'b2c': return `${reason} to ${otherParty}`;
    case 'reversal':
      return `${reason} of ${transaction.linkedTransactionId ?? ''} to ${otherParty}`;
    case 'b2c-charge': return `${reason} for ${transaction.linkedTransactionId ?? ''}`;
    case 'sweep': return reason;
    default: return `${reason} from ${otherParty} Acc. ${transaction.billReference}`;
  }
}

/** The paybill statement as the organisation portal exports it (CSV, Kenya times). */
export function statementCsv(
  context: EmulatorContext,
  shortcode: string,
  window: Readonly<{ from?: Date; to?: Date }> = {},
): string {
  const rows = transactionsOf(context, shortcode, window.from, window.to).map((transaction) => {
    const name = [transaction.firstName, transaction.middleName, transaction.lastName]
      .filter((part) => part !== '').join(' ').toUpperCase();
    const otherParty = transaction.msisdn === '' ? ''
      : `${statementMsisdn(transaction.msisdn)} - ${name}`;
    const reason = reasonType(transaction);
    const out = isWithdrawal(transaction);
    const amount = shillingsText(transaction.amount);
    return [
      transaction.transactionId,
      kenyaDateTime(transaction.completedAt),
      kenyaDateTime(transaction.initiatedAt),
      statementDetails(transaction, reason, otherParty),
      'Completed',
      out ? '' : amount,
      out ? amount : '',
      shillingsText(transaction.balanceAfter),
      'true',
      reason,
      otherParty,
      transaction.linkedTransactionId ?? '',
      transaction.billReference,
    ];
  });
  return [statementColumns, ...rows]
    .map((row) => row.map(csvField).join(','))
    .join('\r\n') + '\r\n';
}
