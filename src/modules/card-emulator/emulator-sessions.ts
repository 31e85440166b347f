/**
 * Payment sessions: created by the merchant's server (idempotently, by Idempotency-Key), paid
 * on the hosted page, queried by id. A session past its expiry that was not paid is 'expired'.
 */
import { money, type Currency } from '#platform/money/index.ts';
import { newIdentifier, type EmulatorContext } from './emulator-context.ts';
import { cardErrors, isAbsoluteHttpUrl, reply, type CardReply } from './emulator-replies.ts';
import { remember, stateLimits, type PaymentSession } from './emulator-state.ts';

export type SessionRequest = Readonly<{
  merchantReference: string;
  amountMinor: string;
  currency: Currency;
  description?: string;
  returnUrl: string;
  notificationUrl: string;
}>;

export function hostedUrlOf(context: EmulatorContext, sessionId: string): string {
  return `${context.publicBaseUrl()}/pay/${sessionId}`;
}

/** The session, its status brought up to date (an open session past its time expires). */
export function findSession(context: EmulatorContext, sessionId: string):
  PaymentSession | undefined {
  const session = context.state.sessions.get(sessionId);
  if (session?.status === 'open' &&
    session.expiresAt.getTime() <= context.clock.now().getTime()) {
    session.status = 'expired';
    session.challenge = undefined;
  }
  return session;
}

/** The same request in the same words, whatever the order of its fields. */
export function fingerprintOf(fields: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.keys(fields).sort().map((key) => [key, fields[key]]));
}

function createdView(context: EmulatorContext, session: PaymentSession): unknown {
  return {
    sessionId: session.sessionId,
    hostedUrl: hostedUrlOf(context, session.sessionId),
    status: session.status,
    expiresAt: session.expiresAt.toISOString(),
  };
}

/** POST /v1/sessions (the body already matches the schema). */
export function createSession(
  context: EmulatorContext,
  idempotencyKey: string,
  request: SessionRequest,
): CardReply {
  if (!isAbsoluteHttpUrl(request.returnUrl)) {
    return cardErrors.invalidRequest('returnUrl must be an absolute http(s) URL');
  }
  if (!isAbsoluteHttpUrl(request.notificationUrl)) {
    return cardErrors.invalidRequest('notificationUrl must be an absolute http(s) URL');
  }
  const description = request.description ?? '';
  const fingerprint = fingerprintOf({ ...request, description });
  const earlier = context.state.sessionKeys.get(idempotencyKey);
  if (earlier !== undefined) {
    const session = earlier.fingerprint === fingerprint ? findSession(context, earlier.id)
      : undefined;
    return session === undefined ? cardErrors.idempotencyKeyReused()
      : reply(200, createdView(context, session));
  }
  const now = context.clock.now();
  const session: PaymentSession = {
    sessionId: newIdentifier('cs_'),
    merchantReference: request.merchantReference,
    amount: money(BigInt(request.amountMinor), request.currency),
    description,
    returnUrl: request.returnUrl,
    notificationUrl: request.notificationUrl,
    createdAt: now,
    expiresAt: new Date(now.getTime() + context.timing.sessionLifetimeMs),
    status: 'open', failureCode: undefined, paymentId: undefined, card: undefined,
    paidAt: undefined, scenario: undefined, challenge: undefined,
  };
  remember(context.state.sessions, session.sessionId, session, stateLimits.sessionsMax);
  remember(context.state.sessionKeys, idempotencyKey,
    { fingerprint, id: session.sessionId }, stateLimits.idempotencyKeysMax);
  return reply(201, createdView(context, session));
}

/** The session as GET /v1/sessions/{id} shows it. */
export function sessionView(session: PaymentSession): Readonly<Record<string, unknown>> {
  return {
    sessionId: session.sessionId,
    merchantReference: session.merchantReference,
    amountMinor: session.amount.amountMinor.toString(),
    currency: session.amount.currency,
    status: session.status,
    ...(session.failureCode === undefined ? {} : { failureCode: session.failureCode }),
    ...(session.paymentId === undefined ? {} : { paymentId: session.paymentId }),
    ...(session.card === undefined ? {} : { card: { ...session.card } }),
    ...(session.paidAt === undefined ? {} : { paidAt: session.paidAt.toISOString() }),
  };
}

/** GET /v1/sessions/{sessionId} */
export function querySession(context: EmulatorContext, sessionId: string): CardReply {
  const session = findSession(context, sessionId);
  return session === undefined ? cardErrors.notFound() : reply(200, sessionView(session));
}
