/**
 * The pure rules of consent: the code (six digits, kept only as a hash bound to its request),
 * what a typed code means (right, wrong, expired or locked), whether a session is live, whom
 * the agent is told they serve (a short name, the ID number masked), and what the agent typed
 * to find the citizen (a phone number or an ID number).
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { consentCodeAttemptsMax } from './assisted-limits.ts';

export const consentCodeDigits = 6;

export function generateConsentCode(): string {
  return String(randomInt(0, 10 ** consentCodeDigits)).padStart(consentCodeDigits, '0');
}

/** SHA-256 of the request id and the code: the same code for another request never matches. */
export function hashConsentCode(consentId: string, code: string): string {
  return createHash('sha256').update(`${consentId}:${code}`).digest('hex');
}

export function sameHash(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type ConsentState = Readonly<{
  attempts: number;
  codeExpiresAt: Date;
  consentedAt: Date | null;
}>;

export type CodeVerdict =
  | Readonly<{ kind: 'consented' }>
  | Readonly<{ kind: 'wrong'; attemptsLeft: number }>
  | Readonly<{ kind: 'expired' }>;

/**
 * What a typed code does: a used, expired or locked request takes no more codes (expired);
 * a wrong code spends an attempt; the right one, in time, consents.
 */
export function judgeConsentCode(state: ConsentState, matches: boolean, now: Date): CodeVerdict {
  if (state.consentedAt !== null || now.getTime() >= state.codeExpiresAt.getTime() ||
    state.attempts >= consentCodeAttemptsMax) {
    return { kind: 'expired' };
  }
  if (matches) return { kind: 'consented' };
  return { kind: 'wrong', attemptsLeft: Math.max(0, consentCodeAttemptsMax - state.attempts - 1) };
}

export type SessionState = Readonly<{
  consentedAt: Date | null;
  sessionExpiresAt: Date | null;
  endedAt: Date | null;
}>;

export function isSessionLive(state: SessionState, now: Date): boolean {
  return state.consentedAt !== null && state.endedAt === null &&
    state.sessionExpiresAt !== null && now.getTime() < state.sessionExpiresAt.getTime();
}

/** The last three characters of an ID number; the rest hidden from the agent. */
export function maskDocumentNumber(documentNumber: string): string {
  const shown = documentNumber.slice(-3);
  return `${'*'.repeat(Math.max(3, documentNumber.length - shown.length))}${shown}`;
}

/** The name the agent sees: the first name and the initial of the last ("Wanjiru O."). */
export function shortName(person: Readonly<{ firstName: string | null; lastName: string | null;
  businessName: string | null }>): string {
  if (person.businessName !== null) return person.businessName;
  const initial = person.lastName === null || person.lastName === ''
    ? '' : ` ${person.lastName.slice(0, 1).toUpperCase()}.`;
  return `${person.firstName ?? ''}${initial}`.trim();
}

export type CitizenQuery =
  | Readonly<{ kind: 'phone'; phone: string }>
  | Readonly<{ kind: 'document'; documentNumber: string }>;

/**
 * A phone number (07.., 01.., +2547.., 2547..; spaces allowed) or an ID number (digits, or a
 * passport's letters and digits); undefined for anything else.
 */
export function parseCitizenQuery(raw: string): CitizenQuery | undefined {
  const compact = raw.replace(/[\s().-]/g, '');
  const kenyan = /^(?:\+254|254|0)([17]\d{8})$/.exec(compact);
  if (kenyan !== null) return { kind: 'phone', phone: `+254${kenyan[1] ?? ''}` };
  if (/^\+[1-9]\d{7,14}$/.test(compact)) return { kind: 'phone', phone: compact };
  if (/^(?=[A-Za-z]*\d)[A-Za-z0-9]{5,12}$/.test(compact)) {
    return { kind: 'document', documentNumber: compact.toUpperCase() };
  }
  return undefined;
}
