/**
 * An STK push's state, derived from its event log (STYLE 8, 9), and what to tell the payer.
 * Intent is recorded before the call (READY), the call's answer after it (SUBMITTED or a
 * refusal), then callbacks and status queries settle it. Money received always wins: a late
 * success after a failure or an expiry confirms the push. 1037 and "still processing"
 * (500.001.1001) are pending, never failed. Pure, no I/O.
 */
import { classifyStkResult } from './mpesa/index.ts';
import type { StkPushEventKind } from './payments-tables.ts';

export const stkPushStates = [
  'STK_PUSH_READY', 'STK_PUSH_SUBMITTED', 'CONFIRMED', 'FAILED', 'EXPIRED',
] as const;
export type StkPushState = (typeof stkPushStates)[number];

export type StkEventFact = Readonly<{ kind: StkPushEventKind; resultCode: string | null }>;

/** What the payer is told (pages render `messageKey` in English or Swahili). */
export type StkPaymentStatus =
  | Readonly<{ kind: 'waiting'; messageKey: 'payments.stk.waiting' }>
  | Readonly<{ kind: 'confirmed'; messageKey: 'payments.stk.confirmed' }>
  | Readonly<{ kind: 'failed'; reason: StkFailureReason; messageKey: `payments.stk.failed.${
    StkFailureReason}` }>
  | Readonly<{ kind: 'pending'; messageKey: 'payments.stk.pending' }>
  | Readonly<{ kind: 'unconfirmed'; messageKey: 'payments.stk.unconfirmed' }>;

export const stkFailureReasons = [
  'cancelled', 'insufficient_funds', 'wrong_pin', 'not_sent', 'busy', 'expired', 'refused',
] as const;
export type StkFailureReason = (typeof stkFailureReasons)[number];

/** A submission whose answer we never got: the prompt may or may not have reached the phone. */
export const submissionUnknownCode = 'submission_unknown';
/** Daraja's "still processing" answer to a status query. */
export const stillProcessingCode = '500.001.1001';
/** How long after the push the payer is simply "waiting" for the prompt to be answered. */
export const stkWaitingWindowMs = 90_000;

export type StkDerivation = Readonly<{
  state: StkPushState;
  /** The Daraja code that decided a failure, when failed. */
  failureCode: string | null;
  /** M-Pesa said "still pending" (1037, 500.001.1001) at least once. */
  pendingSignalled: boolean;
}>;

function isSuccess(event: StkEventFact): boolean {
  if (event.kind === 'STK_PAYMENT_MATCHED') return true;
  return (event.kind === 'STK_CALLBACK_RECEIVED' || event.kind === 'STK_QUERY_ANSWERED') &&
    event.resultCode === '0';
}

function isDefinitiveFailure(event: StkEventFact): boolean {
  if (event.kind === 'STK_PUSH_SUBMISSION_FAILED') {
    return event.resultCode !== submissionUnknownCode;
  }
  if (event.kind !== 'STK_CALLBACK_RECEIVED' && event.kind !== 'STK_QUERY_ANSWERED') return false;
  const code = event.resultCode ?? '';
  return /^\d{1,9}$/.test(code) && classifyStkResult(Number.parseInt(code, 10)) === 'failed';
}

/** The push's state from its events, whatever order the callbacks and queries came in. */
export function deriveStkPushState(events: readonly StkEventFact[]): StkDerivation {
  const pendingSignalled = events.some((event) => event.resultCode === '1037' ||
    event.resultCode === stillProcessingCode);
  if (events.some(isSuccess)) return { state: 'CONFIRMED', failureCode: null, pendingSignalled };
  const failure = events.find(isDefinitiveFailure);
  if (failure !== undefined) {
    return { state: 'FAILED', failureCode: failure.resultCode, pendingSignalled };
  }
  const has = (kind: StkPushEventKind) => events.some((event) => event.kind === kind);
  if (has('STK_PUSH_EXPIRED') || has('STK_PUSH_SUBMISSION_FAILED')) {
    return { state: 'EXPIRED', failureCode: null, pendingSignalled };
  }
  return {
    state: has('STK_PUSH_SUBMITTED') ? 'STK_PUSH_SUBMITTED' : 'STK_PUSH_READY',
    failureCode: null,
    pendingSignalled,
  };
}

const reasonsByCode: Readonly<Record<string, StkFailureReason>> = {
  1: 'insufficient_funds',
  17: 'busy',
  1001: 'busy',
  1019: 'expired',
  1025: 'not_sent',
  1032: 'cancelled',
  2001: 'wrong_pin',
  9999: 'not_sent',
};

export function failureReason(code: string | null): StkFailureReason {
  return reasonsByCode[code ?? ''] ?? 'refused';
}

/**
 * What to tell the payer: wait for the prompt; paid; failed (and why, so they can fix it and
 * try again); still pending (do NOT pay again); or never confirmed (check your M-Pesa messages
 * before paying again; money that arrives is credited either way).
 */
export function stkPaymentStatus(
  derivation: StkDerivation,
  createdAt: Date,
  now: Date,
): StkPaymentStatus {
  switch (derivation.state) {
    case 'CONFIRMED': return { kind: 'confirmed', messageKey: 'payments.stk.confirmed' };
    case 'FAILED': {
      const reason = failureReason(derivation.failureCode);
      return { kind: 'failed', reason, messageKey: `payments.stk.failed.${reason}` };
    }
    case 'EXPIRED': return { kind: 'unconfirmed', messageKey: 'payments.stk.unconfirmed' };
    case 'STK_PUSH_READY':
    case 'STK_PUSH_SUBMITTED':
      return derivation.pendingSignalled || now.getTime() - createdAt.getTime() > stkWaitingWindowMs
        ? { kind: 'pending', messageKey: 'payments.stk.pending' }
        : { kind: 'waiting', messageKey: 'payments.stk.waiting' };
  }
}
