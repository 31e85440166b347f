/**
 * What an STK ResultCode means for the payment. Only 0 is money received; the codes below
 * are known to mean no debit. Everything else, 1037 included (the phone did not answer in
 * time, yet the payer may still pay), is pending: never tell a payer to pay again on it.
 */

export type StkOutcome = 'succeeded' | 'failed' | 'pending';

export const stkResultCodes = {
  success: 0,
  insufficientFunds: 1,
  partyBUnavailable: 17,
  subscriberLocked: 1001,
  expired: 1019,
  promptNotSent: 1025,
  cancelledByPayer: 1032,
  phoneUnreachable: 1037,
  wrongPin: 2001,
  promptNotSentOther: 9999,
} as const;

const noDebitCodes: ReadonlySet<number> = new Set([
  stkResultCodes.insufficientFunds,
  stkResultCodes.partyBUnavailable,
  stkResultCodes.subscriberLocked,
  stkResultCodes.expired,
  stkResultCodes.promptNotSent,
  stkResultCodes.cancelledByPayer,
  stkResultCodes.wrongPin,
  stkResultCodes.promptNotSentOther,
]);

export function classifyStkResult(resultCode: number): StkOutcome {
  if (resultCode === stkResultCodes.success) return 'succeeded';
  return noDebitCodes.has(resultCode) ? 'failed' : 'pending';
}

/**
 * When to ask again about a push or payment whose callback has not come (daraja.md 8.1):
 * after a minute, five minutes and half an hour.
 */
export const statusCheckDelaysMs: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000];

/** STK query's "still processing" error: the push is pending, not failed. */
export const stillProcessingErrorCode = '500.001.1001';

/** 500.001.1001 also means "Wrong credentials"; only this message means pending. */
export function isStillProcessing(errorCode: string, errorMessage: string): boolean {
  return errorCode === stillProcessingErrorCode && /being processed/i.test(errorMessage);
}

/** Codes a validation URL answers with to refuse a payment before the money moves. */
export const c2bRejectionCodes = {
  invalidMsisdn: 'C2B00011',
  invalidAccountNumber: 'C2B00012',
  invalidAmount: 'C2B00013',
  invalidKyc: 'C2B00014',
  invalidShortcode: 'C2B00015',
  otherError: 'C2B00016',
} as const;

export type C2bRejectionCode = (typeof c2bRejectionCodes)[keyof typeof c2bRejectionCodes];
