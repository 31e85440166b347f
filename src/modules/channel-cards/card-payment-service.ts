/**
 * Card payments, the channel side (docs/cards.md): start a hosted payment session for an
 * invoice, receive the acquirer's signed notifications, and ask the acquirer how a session
 * ended when the payer is back before the notification. Whatever the acquirer sends is stored
 * verbatim by payments first; the money is recorded by payments, once per acquirer payment id.
 */
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import {
  closeCardCallback,
  payPaths,
  recordCardPayment,
  settleCardRefund,
  storeCardCallback,
  type CardPaymentFact,
  type InvoiceView,
} from '#modules/payments/index.ts';
import {
  createSession,
  querySession,
  type AcquirerConfig,
  type SessionState,
} from './acquirer-client.ts';
import { parseCardEvent, verifyCardSignature, type CardEvent } from './card-notification.ts';
import {
  cardsDb,
  insertSession,
  listInvoiceSessions,
  listOpenSessions,
  settleSession,
  type CardSession,
} from './card-session-repo.ts';
import { cardPaths } from './card-paths.ts';

export type CardsDeps = ModuleDeps & Readonly<{ fetch?: typeof fetch }>;

const fetcherOf = (deps: CardsDeps): typeof fetch => deps.fetch ?? globalThis.fetch;

function acquirerOf(deps: CardsDeps): AcquirerConfig {
  return { acquirerBaseUrl: deps.config.cards.acquirerBaseUrl,
    secretKey: deps.config.cards.secretKey };
}

export function cardsAvailable(deps: ModuleDeps): boolean {
  return deps.config.cards.acquirerBaseUrl !== '';
}

export type StartCardFailure = Failure<'CARDS_NOT_AVAILABLE' | 'CARDS_INVOICE_NOT_PAYABLE' |
  'CARDS_ACQUIRER_UNAVAILABLE'>;

/**
 * The acquirer's hosted page for paying what is due on the invoice. A session still open for
 * the same amount is used again; otherwise a new attempt, whose Idempotency-Key (invoice,
 * attempt, amount) makes a second press, even at once, the same session at the acquirer.
 */
export async function startCardPayment(
  deps: CardsDeps,
  input: Readonly<{ invoice: InvoiceView; requestedBy: string }>,
): Promise<Result<Readonly<{ hostedUrl: string }>, StartCardFailure>> {
  const { invoice } = input;
  if (!cardsAvailable(deps)) return err(failure('CARDS_NOT_AVAILABLE'));
  if ((invoice.status !== 'unpaid' && invoice.status !== 'partially_paid') ||
    invoice.balanceDue.amountMinor <= 0n) {
    return err(failure('CARDS_INVOICE_NOT_PAYABLE'));
  }
  const now = deps.clock.now();
  const db = cardsDb(deps.db);
  const sessions = await listInvoiceSessions(db, invoice.id);
  const reusable = sessions.find((session) => session.status === 'open' &&
    session.expiresAt > now && session.amount.amountMinor === invoice.balanceDue.amountMinor &&
    session.amount.currency === invoice.balanceDue.currency);
  if (reusable !== undefined) return ok({ hostedUrl: reusable.hostedUrl });
  const attempt = sessions.length + 1;
  const idempotencyKey = `huduma-${invoice.id}-${attempt}-${invoice.balanceDue.amountMinor}`;
  const base = deps.config.publicBaseUrl;
  const created = await createSession(acquirerOf(deps), fetcherOf(deps), idempotencyKey, {
    merchantReference: invoice.reference, amountMinor: invoice.balanceDue.amountMinor,
    currency: invoice.balanceDue.currency, description: `Huduma bill ${invoice.reference}`,
    returnUrl: `${base}${payPaths.cardReturn(invoice.reference)}`,
    notificationUrl: `${base}${cardPaths.notifications}`,
  });
  if (!created.ok) {
    deps.logger.warn({ invoiceId: invoice.id, reason: created.reason },
      'card session not created');
    return err(failure('CARDS_ACQUIRER_UNAVAILABLE'));
  }
  await insertSession(db, { id: uuidv7(now.getTime()), provider: deps.config.cards.provider,
    sessionId: created.value.sessionId, idempotencyKey, invoiceId: invoice.id,
    invoiceReference: invoice.reference, attempt, requestedBy: input.requestedBy,
    amount: invoice.balanceDue, hostedUrl: created.value.hostedUrl,
    expiresAt: created.value.expiresAt, now });
  return ok({ hostedUrl: created.value.hostedUrl });
}

function factOf(
  deps: CardsDeps,
  source: CardPaymentFact['source'],
  paid: Readonly<{ paymentId: string; merchantReference: string; amountMinor: bigint;
    currency: 'KES' | 'USD'; paidAt: Date }>,
): CardPaymentFact {
  return { source, provider: deps.config.cards.provider, paymentId: paid.paymentId,
    merchantId: deps.config.cards.merchantId, merchantReference: paid.merchantReference,
    amount: money(paid.amountMinor, paid.currency), paidAt: paid.paidAt };
}

export type SessionOutcome = Readonly<{ status: SessionState['status'] | 'unknown';
  failureCode: string | undefined }>;

/**
 * Asks the acquirer how the session stands; a success is recorded (as a query, after the
 * answer is stored), so a payer back before the notification sees the bill paid.
 */
export async function learnSessionOutcome(deps: CardsDeps, session: CardSession):
  Promise<SessionOutcome> {
  if (session.status === 'succeeded') return { status: 'succeeded', failureCode: undefined };
  const answer = await querySession(acquirerOf(deps), fetcherOf(deps), session.sessionId);
  if (!answer.ok) {
    deps.logger.warn({ sessionId: session.sessionId, reason: answer.reason },
      'card session query failed');
    return { status: 'unknown', failureCode: undefined };
  }
  const state = answer.value;
  const rawId = await storeCardCallback(deps, { kind: 'card_session_query',
    sourceAddress: null, headers: { 'content-type': 'application/json' },
    body: answer.rawText });
  const key = { provider: session.provider, sessionId: session.sessionId };
  const now = deps.clock.now();
  if (state.status === 'succeeded' && state.paymentId !== undefined) {
    await recordCardPayment(deps, { rawId, fact: factOf(deps, 'card_query',
      { ...state, paymentId: state.paymentId, paidAt: state.paidAt ?? now }) });
    await settleSession(cardsDb(deps.db), key,
      { status: 'succeeded', paymentReference: state.paymentId, now });
  } else {
    await closeCardCallback(deps, { rawId, outcome: 'stored_only',
      reason: `session ${state.status}` });
    if (state.status !== 'open') {
      await settleSession(cardsDb(deps.db), key, { status: state.status, now,
        ...(state.failureCode === undefined ? {} : { failureCode: state.failureCode }) });
    }
  }
  return { status: state.status, failureCode: state.failureCode };
}

/** A session left open this long without word is asked about (the payer may never return). */
export const sessionCheckAfterMs = 5 * 60_000;
/** Sessions older than this are left alone: the acquirer expires them after 30 minutes. */
const sessionCheckWindowMs = 24 * 60 * 60_000;
const sessionCheckBatch = 50;

/**
 * Asks the acquirer about sessions still open some minutes after they were made, recording
 * any payment they made (as the return page would): a lost notification loses nothing.
 * @idempotent: safe from several workers at once; the payment id makes repeats nothing.
 */
export async function checkOpenSessions(deps: CardsDeps): Promise<number> {
  const now = deps.clock.now();
  const sessions = await listOpenSessions(cardsDb(deps.db), {
    since: new Date(now.getTime() - sessionCheckWindowMs),
    before: new Date(now.getTime() - sessionCheckAfterMs), limit: sessionCheckBatch });
  for (const session of sessions) await learnSessionOutcome(deps, session);
  return sessions.length;
}

export type NotificationInput = Readonly<{
  rawBody: Uint8Array;
  signature: string | undefined;
  headers: Readonly<Record<string, string>>;
  sourceAddress: string | null;
}>;

export type NotificationAnswer = Readonly<{ status: 200 } | { status: 400 | 401;
  code: 'CARDS_NOTIFICATION_REFUSED' | 'CARDS_NOTIFICATION_NOT_UNDERSTOOD' }>;

/**
 * A notification from the acquirer: stored verbatim first (committed), then its signature
 * checked on those bytes; a refused one is kept quarantined and answered 401, moving nothing.
 * The answer is 200 only once what it says is recorded; a failure throws (the acquirer
 * retries, and the payment id makes the retry a repeat).
 */
export async function receiveCardNotification(deps: CardsDeps, input: NotificationInput):
  Promise<NotificationAnswer> {
  const rawId = await storeCardCallback(deps, { kind: 'card_notification',
    sourceAddress: input.sourceAddress, headers: input.headers, body: input.rawBody });
  const verdict = verifyCardSignature(input.signature, input.rawBody,
    deps.config.cards.notificationSecret, deps.clock.now());
  if (!verdict.ok) {
    await closeCardCallback(deps, { rawId, outcome: 'quarantined', reason: verdict.reason,
      alert: false });
    deps.metrics.counter('cards_notifications_refused_total',
      'Card notifications refused: no, wrong or stale Card-Signature.').inc();
    return { status: 401, code: 'CARDS_NOTIFICATION_REFUSED' };
  }
  const event = parseCardEvent(new TextDecoder().decode(input.rawBody));
  if (event === undefined) {
    await closeCardCallback(deps, { rawId, outcome: 'malformed',
      reason: 'card notification not understood' });
    return { status: 400, code: 'CARDS_NOTIFICATION_NOT_UNDERSTOOD' };
  }
  deps.logger.info({ rawId, eventId: event.eventId, type: event.type },
    'card notification received');
  await applyEvent(deps, rawId, event);
  return { status: 200 };
}

async function applyEvent(deps: CardsDeps, rawId: string, event: CardEvent): Promise<void> {
  const now = deps.clock.now();
  const provider = deps.config.cards.provider;
  switch (event.type) {
    case 'payment.succeeded':
      await recordCardPayment(deps, { rawId,
        fact: factOf(deps, 'card_notification', { ...event, paidAt: event.occurredAt }) });
      await settleSession(cardsDb(deps.db), { provider, sessionId: event.sessionId },
        { status: 'succeeded', paymentReference: event.paymentId, now });
      return;
    case 'payment.failed':
      await closeCardCallback(deps, { rawId, outcome: 'stored_only', reason: event.type });
      await settleSession(cardsDb(deps.db), { provider, sessionId: event.sessionId },
        { status: 'failed', failureCode: event.failureCode, now });
      return;
    case 'refund.succeeded':
    case 'refund.failed': {
      const settled = await settleCardRefund(deps, { rawId, acquirerRefundId: event.refundId,
        succeeded: event.type === 'refund.succeeded', failureCode: event.failureCode });
      // The result beat our record of the request: refused for now, so the acquirer resends.
      if (settled === 'not_yet_known') throw new Error('card refund result before its request');
    }
  }
}
