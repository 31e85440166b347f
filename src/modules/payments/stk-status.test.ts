import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  deriveStkPushState,
  stkPaymentStatus,
  stkPushStates,
  type StkEventFact,
  type StkPushState,
} from './stk-status.ts';

const event = (kind: StkEventFact['kind'], resultCode: string | null = null): StkEventFact =>
  ({ kind, resultCode });
const ready = event('STK_PUSH_READY');
const submitted = event('STK_PUSH_SUBMITTED');
const createdAt = new Date('2026-12-01T09:00:00Z');
const seconds = (count: number) => new Date(createdAt.getTime() + count * 1000);

describe('STK push state and what the payer is told', () => {
  it('derives each state from the events (table)', () => {
    const table: ReadonlyArray<readonly [string, StkEventFact[], StkPushState, string | null]> = [
      ['intent recorded only', [ready], 'STK_PUSH_READY', null],
      ['sent to M-Pesa', [ready, submitted], 'STK_PUSH_SUBMITTED', null],
      ['paid (callback)', [ready, submitted, event('STK_CALLBACK_RECEIVED', '0')], 'CONFIRMED',
        null],
      ['paid (status query)', [ready, submitted, event('STK_QUERY_ANSWERED', '0')], 'CONFIRMED',
        null],
      ['cancelled by the payer', [ready, submitted, event('STK_CALLBACK_RECEIVED', '1032')],
        'FAILED', '1032'],
      ['1037 is still pending', [ready, submitted, event('STK_CALLBACK_RECEIVED', '1037')],
        'STK_PUSH_SUBMITTED', null],
      ['still processing is pending',
        [ready, submitted, event('STK_QUERY_ANSWERED', '500.001.1001')], 'STK_PUSH_SUBMITTED',
        null],
      ['refused by Daraja', [ready, event('STK_PUSH_SUBMISSION_FAILED', '400.002.02')], 'FAILED',
        '400.002.02'],
      ['no answer to the submission',
        [ready, event('STK_PUSH_SUBMISSION_FAILED', 'submission_unknown')], 'EXPIRED', null],
      ['last query still pending', [ready, submitted, event('STK_PUSH_EXPIRED')], 'EXPIRED',
        null],
      ['money wins over an earlier failure',
        [ready, submitted, event('STK_CALLBACK_RECEIVED', '1'), event('STK_QUERY_ANSWERED', '0')],
        'CONFIRMED', null],
      ['money wins over expiry',
        [ready, submitted, event('STK_PUSH_EXPIRED'), event('STK_PAYMENT_MATCHED')], 'CONFIRMED',
        null],
    ];
    for (const [why, events, state, failureCode] of table) {
      const derived = deriveStkPushState(events);
      assert.equal(derived.state, state, why);
      assert.equal(derived.failureCode, failureCode, why);
    }
  });

  it('gives the same state for any order of the same events', () => {
    const anyEvent = fc.oneof(
      fc.constant(submitted),
      fc.constant(event('STK_PUSH_EXPIRED')),
      fc.constantFrom('0', '1', '1032', '1037', '2001', '500.001.1001')
        .map((code) => event('STK_CALLBACK_RECEIVED', code)),
      fc.constantFrom('0', '1019', '1037', '500.001.1001')
        .map((code) => event('STK_QUERY_ANSWERED', code)),
    );
    const eventsAndShuffle = fc.array(anyEvent, { maxLength: 8 }).chain((events) =>
      fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length })
        .map((shuffled) => [events, shuffled] as const));
    fc.assert(fc.property(eventsAndShuffle, ([events, shuffled]) => {
      assert.equal(deriveStkPushState([ready, ...shuffled]).state,
        deriveStkPushState([ready, ...events]).state);
    }), { numRuns: 500 });
  });

  it('tells the payer to wait, then not to pay again, and why a push failed', () => {
    const waiting = deriveStkPushState([ready, submitted]);
    assert.equal(stkPaymentStatus(waiting, createdAt, seconds(10)).kind, 'waiting');
    assert.equal(stkPaymentStatus(waiting, createdAt, seconds(120)).kind, 'pending');
    const timedOut = deriveStkPushState(
      [ready, submitted, event('STK_CALLBACK_RECEIVED', '1037')]);
    assert.equal(stkPaymentStatus(timedOut, createdAt, seconds(10)).kind, 'pending');
    const reasons: ReadonlyArray<readonly [string, string]> = [
      ['1032', 'cancelled'], ['1', 'insufficient_funds'], ['2001', 'wrong_pin'],
      ['1025', 'not_sent'], ['1001', 'busy'], ['1019', 'expired'],
    ];
    for (const [code, reason] of reasons) {
      const status = stkPaymentStatus(
        deriveStkPushState([ready, submitted, event('STK_CALLBACK_RECEIVED', code)]),
        createdAt, seconds(20));
      assert.deepEqual(status,
        { kind: 'failed', reason, messageKey: `payments.stk.failed.${reason}` });
    }
    const expired = deriveStkPushState([ready, submitted, event('STK_PUSH_EXPIRED')]);
    assert.equal(stkPaymentStatus(expired, createdAt, seconds(3600)).kind, 'unconfirmed');
    assert.equal(stkPushStates.length, 5);
  });
});
