/**
 * The hosted page's decisions, apart from its HTML: checking what the payer typed, the outcome
 * the test card asks for, the challenge step, and the final outcome with its notification.
 * The card number is read here and dropped: only its brand and last four digits are kept.
 */
import {
  cardBrand,
  cardDigits,
  cardEmulatorChallengeCode,
  challengeAttemptsMax,
  isExpired,
  parseExpiry,
  passesLuhn,
  scenarioForCard,
  type CardScenario,
} from './emulator-cards.ts';
import { newIdentifier, type EmulatorContext } from './emulator-context.ts';
import { enqueueDelivery, newEvent } from './emulator-notifications.ts';
import { findSession } from './emulator-sessions.ts';
import { remember, stateLimits, type CardSummary, type PaymentSession } from './emulator-state.ts';

export type CardForm = Readonly<{ cardNumber: string; expiry: string; cvc: string;
  name: string }>;
export type CardField = keyof CardForm;
export type FieldError = Readonly<{ field: CardField; message: string }>;

export type CheckoutResult =
  | Readonly<{ kind: 'not-found' }>
  | Readonly<{ kind: 'closed'; session: PaymentSession }>
  | Readonly<{ kind: 'invalid'; session: PaymentSession; errors: readonly FieldError[] }>
  | Readonly<{ kind: 'challenge'; session: PaymentSession; wrongCode: boolean }>
  | Readonly<{ kind: 'finished'; session: PaymentSession; redirectTo: string }>;

const nameLengthMax = 100;

/** What is wrong with the form, field by field (nothing is recorded for a wrong form). */
export function checkCardForm(form: CardForm, now: Date): readonly FieldError[] {
  const errors: FieldError[] = [];
  const digits = cardDigits(form.cardNumber);
  if (form.cardNumber.trim() === '') {
    errors.push({ field: 'cardNumber', message: 'Enter the card number.' });
  } else if (digits === undefined || !passesLuhn(digits)) {
    errors.push({ field: 'cardNumber', message: 'Enter a valid card number: check the digits.' });
  }
  const expiry = parseExpiry(form.expiry);
  if (form.expiry.trim() === '') {
    errors.push({ field: 'expiry', message: 'Enter the expiry date, as MM/YY.' });
  } else if (expiry === undefined) {
    errors.push({ field: 'expiry', message: 'Enter the expiry date as MM/YY, for example 08/29.' });
  } else if (isExpired(expiry, now)) {
    errors.push({ field: 'expiry', message: 'This card has expired: use another card.' });
  }
  if (!/^\d{3,4}$/.test(form.cvc.trim())) {
    errors.push({ field: 'cvc', message: 'Enter the 3 or 4 digit security code (CVC).' });
  }
  const name = form.name.trim();
  if (name === '' || name.length > nameLengthMax) {
    errors.push({ field: 'name', message: 'Enter the name on the card.' });
  }
  return errors;
}

/** returnUrl with ?sessionId=<id> appended. */
export function returnUrlOf(session: PaymentSession): string {
  const url = new URL(session.returnUrl);
  url.searchParams.append('sessionId', session.sessionId);
  return url.toString();
}

function paymentData(session: PaymentSession): Readonly<Record<string, unknown>> {
  return {
    sessionId: session.sessionId,
    merchantReference: session.merchantReference,
    amountMinor: session.amount.amountMinor.toString(),
    currency: session.amount.currency,
    ...(session.paymentId === undefined ? {} : { paymentId: session.paymentId }),
    ...(session.failureCode === undefined ? {} : { failureCode: session.failureCode }),
    ...(session.card === undefined ? {} : { card: { ...session.card } }),
  };
}

function approve(context: EmulatorContext, session: PaymentSession, card: CardSummary,
  scenario: CardScenario): CheckoutResult {
  const paymentId = newIdentifier('cp_');
  Object.assign(session, { status: 'succeeded', paymentId, card, scenario,
    paidAt: context.clock.now(), challenge: undefined });
  remember(context.state.payments, paymentId, session.sessionId, stateLimits.sessionsMax);
  const event = newEvent(context, 'payment.succeeded', paymentData(session));
  const { timing } = context;
  const delayMs = scenario.kind === 'delayed-notification' ? timing.delayedNotificationMs
    : timing.notificationDelayMs;
  enqueueDelivery(context, event, session.notificationUrl, delayMs);
  if (scenario.kind === 'duplicate-notification') {
    enqueueDelivery(context, event, session.notificationUrl,
      delayMs + timing.duplicateNotificationGapMs);
  }
  return { kind: 'finished', session, redirectTo: returnUrlOf(session) };
}

function fail(context: EmulatorContext, session: PaymentSession, failureCode: string,
  card: CardSummary): CheckoutResult {
  Object.assign(session, { status: 'failed', failureCode, card, challenge: undefined });
  const event = newEvent(context, 'payment.failed', paymentData(session));
  enqueueDelivery(context, event, session.notificationUrl, context.timing.notificationDelayMs);
  return { kind: 'finished', session, redirectTo: returnUrlOf(session) };
}

function openSession(context: EmulatorContext, sessionId: string):
  PaymentSession | CheckoutResult {
  const session = findSession(context, sessionId);
  if (session === undefined) return { kind: 'not-found' };
  if (session.status !== 'open') return { kind: 'closed', session };
  return session;
}

/** The hosted page's form, posted. */
export function submitCard(context: EmulatorContext, sessionId: string, form: CardForm):
  CheckoutResult {
  const session = openSession(context, sessionId);
  if ('kind' in session) return session;
  if (session.challenge !== undefined) return { kind: 'challenge', session, wrongCode: false };
  const errors = checkCardForm(form, context.clock.now());
  const digits = cardDigits(form.cardNumber);
  if (errors.length > 0 || digits === undefined) return { kind: 'invalid', session, errors };
  const card: CardSummary = { brand: cardBrand(digits), last4: digits.slice(-4) };
  const scenario = scenarioForCard(digits);
  switch (scenario.kind) {
    case 'challenge':
      session.challenge = { card, wrongAttempts: 0 };
      session.scenario = scenario;
      return { kind: 'challenge', session, wrongCode: false };
    case 'declined':
      return fail(context, session, scenario.failureCode, card);
    default:
      return approve(context, session, card, scenario);
  }
}

export type ChallengeAnswer = Readonly<{ action: 'verify' | 'cancel'; code: string }>;

/** The challenge page's form, posted: the code, or Cancel. */
export function submitChallenge(context: EmulatorContext, sessionId: string,
  answer: ChallengeAnswer): CheckoutResult | Readonly<{ kind: 'no-challenge' }> {
  const session = openSession(context, sessionId);
  if ('kind' in session) return session;
  const challenge = session.challenge;
  if (challenge === undefined) return { kind: 'no-challenge' };
  if (answer.action === 'cancel') return fail(context, session, 'cancelled', challenge.card);
  if (answer.code.trim() === cardEmulatorChallengeCode) {
    return approve(context, session, challenge.card, { kind: 'approved' });
  }
  challenge.wrongAttempts += 1;
  if (challenge.wrongAttempts >= challengeAttemptsMax) {
    return fail(context, session, 'authentication_failed', challenge.card);
  }
  return { kind: 'challenge', session, wrongCode: true };
}
