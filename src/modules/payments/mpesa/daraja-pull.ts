/**
 * Pull Transactions (Daraja 3.0; no /mpesa/ prefix): the way to back-fill C2B confirmations
 * that were never delivered. Each record is read strictly: a record we cannot read fails the
 * page rather than being skipped, since reconciliation must not lose a payment quietly.
 */
import { err, ok } from '#platform/errors/index.ts';
import {
  decimalShillings,
  kenyaDateTime,
  normalisePhoneNumber,
  parseDarajaDateTime,
} from './daraja-formats.ts';
import { textOf, type DarajaAnswer } from './daraja-http.ts';
import { checkUrls, invalid, unexpected, type ClientContext } from './daraja-calls.ts';
import type {
  DarajaResult,
  PulledTransaction,
  PullQuery,
  PullRegistrationRequest,
} from './daraja-types.ts';

export async function registerPullCallback(
  context: ClientContext,
  request: PullRegistrationRequest,
): Promise<DarajaResult<Readonly<{ alreadyRegistered: boolean }>>> {
  const nominated = normalisePhoneNumber(request.nominatedNumber);
  if (nominated === undefined) {
    return invalid('pull-register', 'nominatedNumber', 'a phone number (254...), not a shortcode');
  }
  const urls = checkUrls('pull-register', { callbackUrl: request.callbackUrl });
  if (!urls.ok) return urls;
  const answer = await context.call('pull-register', '/pulltransactions/v1/register', {
    ShortCode: context.options.shortcode, RequestType: 'Pull', NominatedNumber: nominated,
    CallBackURL: request.callbackUrl,
  });
  if (!answer.ok) return answer;
  // Safaricom's keys have a space; some integrations report them without.
  const fields = answer.value.fields;
  const status = textOf(fields, 'Response Status') ?? textOf(fields, 'ResponseStatus');
  if (status === '1000' || status === '1001') return ok({ alreadyRegistered: status === '1001' });
  return err({ kind: 'daraja', operation: 'pull-register', status: answer.value.status,
    errorCode: status ?? '', requestId: undefined,
    errorMessage: textOf(fields, 'Response Description') ??
      textOf(fields, 'ResponseDescription') ?? '' });
}

export async function pullTransactions(
  context: ClientContext,
  query: PullQuery,
): Promise<DarajaResult<readonly PulledTransaction[]>> {
  if (!Number.isSafeInteger(query.offset) || query.offset < 0) {
    return invalid('pull-query', 'offset', 'must be a whole number, 0 or more');
  }
  const answer = await context.call('pull-query', '/pulltransactions/v1/query', {
    ShortCode: context.options.shortcode,
    StartDate: kenyaDateTime(query.startDate),
    EndDate: kenyaDateTime(query.endDate),
    // A JSON number: Daraja refuses a string here.
    OffSetValue: query.offset,
  });
  return answer.ok ? parsePullAnswer(answer.value) : answer;
}

/** {ResponseCode:"1000", Response:[[record, ...]]}: the records, flattened one level. */
export function parsePullAnswer(answer: DarajaAnswer):
  DarajaResult<readonly PulledTransaction[]> {
  const code = textOf(answer.fields, 'ResponseCode');
  if (code !== '1000') {
    return err({ kind: 'daraja', operation: 'pull-query', status: answer.status,
      errorCode: code ?? '', errorMessage: textOf(answer.fields, 'ResponseMessage') ?? '',
      requestId: undefined });
  }
  const response = answer.fields['Response'];
  const records: unknown[] = Array.isArray(response) ? response.flat() : [];
  const transactions: PulledTransaction[] = [];
  for (const [index, record] of records.entries()) {
    const transaction = readRecord(record);
    if (transaction === undefined) {
      return unexpected('pull-query', answer, `record ${index} cannot be read`);
    }
    transactions.push(transaction);
  }
  return ok(transactions);
}

function readRecord(record: unknown): PulledTransaction | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const fields = record as Readonly<Record<string, unknown>>;
  const transactionId = textOf(fields, 'transactionId');
  const transactionTime = parseDarajaDateTime(fields['trxDate']);
  const amount = decimalShillings(fields['amount']);
  if (transactionId === undefined || transactionTime === undefined || amount === undefined) {
    return undefined;
  }
  return {
    transactionId,
    transactionTime,
    msisdn: textOf(fields, 'msisdn') ?? '',
    sender: textOf(fields, 'sender') ?? '',
    transactionType: textOf(fields, 'transactiontype') ?? '',
    billReference: textOf(fields, 'billreference') ?? '',
    amount,
    organizationName: textOf(fields, 'organizationname') ?? '',
  };
}
