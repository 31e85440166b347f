/**
 * What a USSD session remembers between requests (kept as JSON in ussd_session.state): the
 * menu language, the stack of screens (0 goes back, 00 home) and a one-time notice shown
 * above the current screen. A screen holds the facts it shows, so drawing it needs no lookup.
 * Amounts are minor units as decimal strings (JSON has no bigint).
 */
import type { Language } from '#web/index.ts';

export type AskTopic = 'pay' | 'bill' | 'receipt' | 'application' | 'verify';

export type BillFacts = Readonly<{
  reference: string;
  serviceEn: string;
  serviceSw: string | null;
  agencyEn: string;
  agencySw: string | null;
  /** An invoice status (payments' invoiceStatuses). */
  status: string;
  currency: string;
  totalMinor: string;
  dueMinor: string;
  /** May be paid now: unpaid or part paid, a balance due, not cancelled or expired. */
  payable: boolean;
}>;

export type PaymentFacts = Readonly<{
  receipt: string;
  amountMinor: string;
  currency: string;
  billReference: string | null;
  paidOn: string;
  /** allocated | credited | suspense | refunded */
  disposition: string;
}>;

export type MineItem = Readonly<{
  reference: string;
  amountMinor: string;
  currency: string;
  /** waiting | confirmed | failed */
  outcome: string;
  on: string;
}>;

export type ApplicationFacts = Readonly<{
  reference: string;
  status: string;
  serviceEn: string;
  serviceSw: string | null;
}>;

export type ReceiptFacts = Readonly<{
  number: string;
  amountMinor: string;
  currency: string;
  agencyEn: string;
  agencySw: string | null;
  billReference: string;
  paidOn: string;
}>;

export type DocumentFacts = Readonly<{
  number: string;
  /** valid | revoked | expired */
  status: string;
  serviceEn: string;
  serviceSw: string | null;
  issuedOn: string;
}>;

export type Screen =
  | Readonly<{ kind: 'home' }>
  | Readonly<{ kind: 'ask'; topic: AskTopic }>
  | Readonly<{ kind: 'bill'; purpose: 'pay' | 'check'; bill: BillFacts }>
  | Readonly<{ kind: 'payment'; payment: PaymentFacts }>
  | Readonly<{ kind: 'mine'; items: readonly MineItem[] }>
  | Readonly<{ kind: 'application'; application: ApplicationFacts }>
  | Readonly<{ kind: 'receipt'; receipt: ReceiptFacts }>
  | Readonly<{ kind: 'document'; document: DocumentFacts }>
  | Readonly<{ kind: 'language' }>;

/** Shown once, above the screen: why the last answer changed nothing, or what it did. */
export type Notice = 'invalidChoice' | 'notFound' | 'languageSaved';

export type SessionState = Readonly<{
  language: Language;
  stack: readonly Screen[];
  notice?: Notice;
  /** The answer a notFound notice is about (shortened when shown). */
  noticeInput?: string;
}>;

/** Screens that end the session (END): nothing to answer. */
export type EndScreen =
  | Readonly<{ kind: 'paySent'; reference: string; amountMinor: string; currency: string }>
  | Readonly<{ kind: 'payNotSent'; reference: string }>
  | Readonly<{ kind: 'rateLimited' }>
  | Readonly<{ kind: 'timedOut' }>
  | Readonly<{ kind: 'phoneNotServed' }>;

export function freshState(language: Language): SessionState {
  return { language, stack: [{ kind: 'home' }] };
}

export function currentScreen(state: SessionState): Screen {
  return state.stack.at(-1) ?? { kind: 'home' };
}

/** A stored state, checked loosely: anything unreadable starts again at home. */
export function readState(stored: unknown, fallback: Language): SessionState {
  if (typeof stored !== 'object' || stored === null) return freshState(fallback);
  const candidate = stored as Partial<SessionState>;
  const language = candidate.language === 'sw' ? 'sw' : candidate.language === 'en' ? 'en'
    : fallback;
  if (!Array.isArray(candidate.stack) || candidate.stack.length === 0) {
    return freshState(language);
  }
  return { ...candidate, language, stack: candidate.stack };
}
