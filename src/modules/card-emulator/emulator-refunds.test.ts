/**
 * Refund amounts, as a property: whatever refunds are asked for, in whatever order, with
 * retries of the same Idempotency-Key, what is refunded never exceeds the payment, every
 * refund is decided once, and each decided refund is notified once.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { manualClock } from '#platform/clock/index.ts';
import { createCardEmulator, manualScheduler } from './index.ts';

const noFetch: typeof fetch = () => Promise.resolve(new Response('{}', { status: 200 }));

it('never refunds more than the payment, and decides each refund once', async () => {
  await fc.assert(fc.asyncProperty(
    fc.bigInt({ min: 1n, max: 10n ** 12n }),
    fc.array(fc.record({ share: fc.integer({ min: 1, max: 100 }), key: fc.nat({ max: 6 }),
      settleFirst: fc.boolean() }), { maxLength: 12 }),
    fc.boolean(),
    async (paidMinor, requests, declinedCard) => {
      const clock = manualClock(new Date('2026-12-04T10:00:00Z'));
      const scheduler = manualScheduler(clock);
      const emulator = createCardEmulator({ publicBaseUrl: 'http://acquirer.test', clock,
        scheduler, fetch: noFetch });
      const created = emulator.createSession('session', { merchantReference: 'BILL-1',
        amountMinor: paidMinor.toString(), currency: 'KES', returnUrl: 'http://m.test/r',
        notificationUrl: 'http://m.test/n' });
      const { sessionId } = created.body as { sessionId: string };
      emulator.submitCard(sessionId, { cardNumber: declinedCard ? '4000000000005126'
        : '4242424242424242', expiry: '08/29', cvc: '123', name: 'A N' });
      const paymentId = (emulator.querySession(sessionId).body as { paymentId: string })
        .paymentId;
      for (const request of requests) {
        if (request.settleFirst) await scheduler.advanceMs(emulator.timing.refundDelayMs);
        const amount = paidMinor * BigInt(request.share) / 100n;
        if (amount === 0n) continue;
        const answer = emulator.createRefund(`refund-${request.key}`, { paymentId,
          amountMinor: amount.toString(), currency: 'KES', merchantRefundReference: 'R' });
        assert.ok([200, 201, 409].includes(answer.statusCode));
      }
      await emulator.flushNotifications();
      const { refunds, notifications } = emulator.snapshot();
      const refunded = refunds.filter((r) => r['status'] === 'succeeded')
        .reduce((total, r) => total + BigInt(String(r['amountMinor'])), 0n);
      assert.ok(refunded <= paidMinor);
      if (declinedCard) assert.equal(refunded, 0n);
      assert.ok(refunds.every((r) => r['status'] !== 'pending'));
      const refundEvents = notifications.filter((n) => n.type.startsWith('refund.'));
      assert.equal(refundEvents.length, refunds.length);
      assert.equal(new Set(refundEvents.map((n) => n.eventId)).size, refunds.length);
      emulator.close();
    }), { numRuns: 150 });
});
