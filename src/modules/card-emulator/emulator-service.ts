/**
 * The fake card acquirer: its API answered from in-memory state, its hosted page's decisions,
 * and notifications sent over real HTTP. Routes (emulator-routes.ts) only translate HTTP to
 * calls here. See docs/card-emulator.md.
 */
import { timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '#platform/clock/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import {
  submitCard,
  submitChallenge,
  type CardForm,
  type ChallengeAnswer,
  type CheckoutResult,
} from './emulator-checkout.ts';
import {
  createTaskTracker,
  defaultCardTiming,
  demoMerchant,
  type CardEmulatorMerchant,
  type CardEmulatorTiming,
  type EmulatorContext,
} from './emulator-context.ts';
import { flushDeliveries } from './emulator-notifications.ts';
import {
  createRefund,
  queryRefund,
  settlePendingRefunds,
  type RefundRequest,
} from './emulator-refunds.ts';
import { cardErrors, type CardReply } from './emulator-replies.ts';
import { timerScheduler, type Scheduler } from './emulator-scheduler.ts';
import {
  createSession,
  findSession,
  querySession,
  type SessionRequest,
} from './emulator-sessions.ts';
import { describeState, type CardEmulatorSnapshot } from './emulator-snapshot.ts';
import { createEmulatorState, type PaymentSession } from './emulator-state.ts';

export type CardEmulatorOptions = Readonly<{
  merchant?: CardEmulatorMerchant;
  /** Where browsers reach the emulator (hosted page links); a function when known late. */
  publicBaseUrl: string | (() => string);
  timing?: Partial<CardEmulatorTiming>;
  clock?: Clock;
  scheduler?: Scheduler;
  /** Used to send notifications; the global fetch by default. */
  fetch?: typeof fetch;
  logger?: Logger;
}>;

export type CardEmulator = Readonly<{
  merchant: CardEmulatorMerchant;
  timing: CardEmulatorTiming;
  /** undefined when the Authorization header carries the merchant's key; else the 401. */
  authenticate: (authorization: string | undefined) => CardReply | undefined;
  createSession: (idempotencyKey: string, request: SessionRequest) => CardReply;
  querySession: (sessionId: string) => CardReply;
  createRefund: (idempotencyKey: string, request: RefundRequest) => CardReply;
  queryRefund: (refundId: string) => CardReply;
  /** The session the hosted page shows (status brought up to date), if any. */
  session: (sessionId: string) => PaymentSession | undefined;
  submitCard: (sessionId: string, form: CardForm) => CheckoutResult;
  submitChallenge: (sessionId: string, answer: ChallengeAnswer) =>
    ReturnType<typeof submitChallenge>;
  /** Decides pending refunds and tries every queued notification now; the number tried. */
  flushNotifications: () => Promise<number>;
  snapshot: () => CardEmulatorSnapshot;
  /** Resolves when nothing is scheduled or being sent (the delayed card waits its delay). */
  idle: () => Promise<void>;
  close: () => void;
}>;

function sameSecret(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function createCardEmulator(options: CardEmulatorOptions): CardEmulator {
  const merchant = options.merchant ?? demoMerchant;
  const base = options.publicBaseUrl;
  const logger = options.logger;
  const context: EmulatorContext = {
    merchant,
    timing: Object.freeze({ ...defaultCardTiming, ...options.timing }),
    state: createEmulatorState(),
    tasks: createTaskTracker(options.scheduler ?? timerScheduler,
      (error) => logger?.error({ err: error }, 'card emulator task failed')),
    clock: options.clock ?? systemClock,
    fetch: options.fetch ?? globalThis.fetch,
    publicBaseUrl: () => (typeof base === 'string' ? base : base()).replace(/\/+$/, ''),
    logger,
  };
  return {
    merchant,
    timing: context.timing,
    authenticate: (authorization) => {
      const match = /^Bearer (\S+)$/.exec(authorization ?? '');
      return match !== null && sameSecret(match[1] ?? '', merchant.secretKey) ? undefined
        : cardErrors.unauthorised();
    },
    createSession: (key, request) => createSession(context, key, request),
    querySession: (sessionId) => querySession(context, sessionId),
    createRefund: (key, request) => createRefund(context, key, request),
    queryRefund: (refundId) => queryRefund(context, refundId),
    session: (sessionId) => findSession(context, sessionId),
    submitCard: (sessionId, form) => submitCard(context, sessionId, form),
    submitChallenge: (sessionId, answer) => submitChallenge(context, sessionId, answer),
    flushNotifications: async () => {
      settlePendingRefunds(context);
      return flushDeliveries(context);
    },
    snapshot: () => describeState(context),
    idle: () => context.tasks.idle(),
    close: () => context.tasks.cancelAll(),
  };
}
