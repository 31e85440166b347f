/**
 * What every part of the emulator shares: the merchant it serves, its state, time, and the
 * tracker of work scheduled for later (notifications, retries, refunds).
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '#platform/clock/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import type { Scheduler } from './emulator-scheduler.ts';
import type { EmulatorState } from './emulator-state.ts';

export type CardEmulatorMerchant = Readonly<{
  merchantId: string;
  /** The bearer key of server-to-server calls. */
  secretKey: string;
  /** The key notifications are signed with (Card-Signature). */
  notificationSecret: string;
}>;

export const demoMerchant: CardEmulatorMerchant = Object.freeze({
  merchantId: 'huduma-demo',
  secretKey: 'card-emulator-secret-key',
  notificationSecret: 'card-emulator-notification-secret',
});

export type CardEmulatorTiming = Readonly<{
  /** How long a session's hosted page can be paid (30 minutes). */
  sessionLifetimeMs: number;
  /** From a final outcome to the first try of its notification. */
  notificationDelayMs: number;
  /** The same, for the delayed-notification test card. */
  delayedNotificationMs: number;
  /** Between the two deliveries of the duplicate-notification test card. */
  duplicateNotificationGapMs: number;
  /** How long a receiver has to answer a notification. */
  notificationTimeoutMs: number;
  /** First retry delay; doubled on every failed try, up to retryDelayMaxMs. */
  retryDelayMs: number;
  retryDelayMaxMs: number;
  /** Tries of one notification before it is given up. */
  notificationAttemptsMax: number;
  /** From a refund request to its outcome. */
  refundDelayMs: number;
}>;

export const defaultCardTiming: CardEmulatorTiming = Object.freeze({
  sessionLifetimeMs: 30 * 60_000,
  notificationDelayMs: 0,
  delayedNotificationMs: 60_000,
  duplicateNotificationGapMs: 1_000,
  notificationTimeoutMs: 5_000,
  retryDelayMs: 1_000,
  retryDelayMaxMs: 60_000,
  notificationAttemptsMax: 10,
  refundDelayMs: 1_000,
});

export type TaskTracker = Readonly<{
  /** Runs task after delayMs, counted as in flight until it ends; returns a cancel. */
  later: (delayMs: number, task: () => Promise<void>) => () => void;
  /** Resolves once nothing is scheduled or running. */
  idle: () => Promise<void>;
  cancelAll: () => void;
}>;

export function createTaskTracker(
  scheduler: Scheduler,
  onError: (error: unknown) => void,
): TaskTracker {
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const cancels = new Set<() => void>();
  const finishOne = () => {
    inFlight -= 1;
    if (inFlight > 0) return;
    const waiting = waiters;
    waiters = [];
    for (const wake of waiting) wake();
  };
  return {
    later: (delayMs, task) => {
      inFlight += 1;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        cancels.delete(cancelThis);
        finishOne();
      };
      const cancelTimer = scheduler.schedule(delayMs, async () => {
        try {
          await task();
        } catch (error) {
          onError(error);
        } finally {
          finish();
        }
      });
      const cancelThis = () => {
        cancelTimer();
        finish();
      };
      cancels.add(cancelThis);
      return cancelThis;
    },
    idle: () => inFlight === 0 ? Promise.resolve() : new Promise((resolve) => {
      waiters.push(resolve);
    }),
    cancelAll: () => {
      for (const cancel of [...cancels]) cancel();
    },
  };
}

export type EmulatorContext = Readonly<{
  merchant: CardEmulatorMerchant;
  timing: CardEmulatorTiming;
  state: EmulatorState;
  tasks: TaskTracker;
  clock: Clock;
  fetch: typeof fetch;
  /** Where the emulator is reached from a browser, e.g. http://localhost:3000/emulators/card. */
  publicBaseUrl: () => string;
  logger: Logger | undefined;
}>;

/** A prefix and 24 lowercase hex digits: cs_, cp_, re_, evt_. */
export function newIdentifier(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}
