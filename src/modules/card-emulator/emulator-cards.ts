/**
 * Card numbers on the hosted page: Luhn, expiry, brand, and the published test cards that
 * choose each outcome (failure injection by card number). A card number lives only for the
 * request that carries it: the emulator keeps the brand and the last four digits.
 */
export type CardBrand = 'visa' | 'mastercard' | 'other';

export type CardScenario =
  | Readonly<{ kind: 'approved' }>
  | Readonly<{ kind: 'challenge' }>
  | Readonly<{ kind: 'declined'; failureCode: 'card_declined' | 'insufficient_funds' }>
  | Readonly<{ kind: 'delayed-notification' }>
  | Readonly<{ kind: 'duplicate-notification' }>
  | Readonly<{ kind: 'refund-declined' }>;

export type CardEmulatorTestCard = Readonly<{
  /** Grouped in fours, as printed in docs/card-emulator.md. */
  number: string;
  brand: CardBrand;
  scenario: CardScenario;
  outcome: string;
}>;

/** The one-time code of the challenge step; the challenge page shows it. */
export const cardEmulatorChallengeCode = '123456';

/** Wrong codes allowed before the payment fails 'authentication_failed'. */
export const challengeAttemptsMax = 3;

export const cardEmulatorTestCards: readonly CardEmulatorTestCard[] = Object.freeze([
  { number: '4242 4242 4242 4242', brand: 'visa', scenario: { kind: 'approved' },
    outcome: 'approved, no challenge' },
  { number: '4000 0000 0000 3220', brand: 'visa', scenario: { kind: 'challenge' },
    outcome: `challenge: the code ${cardEmulatorChallengeCode} approves; 3 wrong codes fail ` +
      "'authentication_failed'; Cancel fails 'cancelled'" },
  { number: '4000 0000 0000 0002', brand: 'visa',
    scenario: { kind: 'declined', failureCode: 'card_declined' },
    outcome: "declined 'card_declined'" },
  { number: '4000 0000 0000 9995', brand: 'visa',
    scenario: { kind: 'declined', failureCode: 'insufficient_funds' },
    outcome: "declined 'insufficient_funds'" },
  { number: '4000 0000 0000 0119', brand: 'visa', scenario: { kind: 'delayed-notification' },
    outcome: 'approved; the notification is sent only after a long delay (or a flush)' },
  { number: '4000 0000 0000 0077', brand: 'visa', scenario: { kind: 'duplicate-notification' },
    outcome: 'approved; the notification is delivered twice (same eventId)' },
  { number: '4000 0000 0000 5126', brand: 'visa', scenario: { kind: 'refund-declined' },
    outcome: "approved; every refund of it fails 'refund_declined'" },
]);

const scenarioByNumber: ReadonlyMap<string, CardScenario> = new Map(
  cardEmulatorTestCards.map((card) => [card.number.replaceAll(' ', ''), card.scenario]));

/** The outcome a (valid) card number asks for; any card not in the table is approved. */
export function scenarioForCard(digits: string): CardScenario {
  return scenarioByNumber.get(digits) ?? { kind: 'approved' };
}

/** The digits of a typed card number (spaces and dashes allowed), or undefined. */
export function cardDigits(typed: string): string | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{12,19}$/.test(digits) ? digits : undefined;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function cardBrand(digits: string): CardBrand {
  if (digits.startsWith('4')) return 'visa';
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  return 'other';
}

export type CardExpiry = Readonly<{ month: number; year: number }>;

/** "MM/YY" (also "MM / YY" or "MMYY"), or undefined when it is not a month of a year. */
export function parseExpiry(typed: string): CardExpiry | undefined {
  const match = /^(\d{2})\s*\/?\s*(\d{2})$/.exec(typed.trim());
  if (match === null) return undefined;
  const month = Number(match[1]);
  if (month < 1 || month > 12) return undefined;
  return { month, year: 2000 + Number(match[2]) };
}

/** A card is good through the last day of its expiry month (UTC). */
export function isExpired(expiry: CardExpiry, now: Date): boolean {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  return expiry.year < year || (expiry.year === year && expiry.month < month);
}
