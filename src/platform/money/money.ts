/**
 * Money is a bigint count of minor units (cents) with its currency. Never a JS number.
 * This module owns parsing, arithmetic and formatting; nothing else formats money.
 */
import assert from 'node:assert/strict';

export const currencies = ['KES', 'USD'] as const;
export type Currency = (typeof currencies)[number];

export type Money = Readonly<{ amountMinor: bigint; currency: Currency }>;

/** Both currencies have two decimal places (ISO 4217). */
const minorUnitsPerMajor = 100n;

export function isCurrency(value: string): value is Currency {
  return (currencies as readonly string[]).includes(value);
}

export function money(amountMinor: bigint, currency: Currency): Money {
  assert.equal(typeof amountMinor, 'bigint', 'amountMinor must be a bigint');
  assert.ok(isCurrency(currency), `unknown currency ${String(currency)}`);
  return Object.freeze({ amountMinor, currency });
}

export function zero(currency: Currency): Money {
  return money(0n, currency);
}

export function add(left: Money, right: Money): Money {
  assertSameCurrency(left, right);
  return money(left.amountMinor + right.amountMinor, left.currency);
}

export function subtract(left: Money, right: Money): Money {
  assertSameCurrency(left, right);
  return money(left.amountMinor - right.amountMinor, left.currency);
}

export function sum(items: readonly Money[], currency: Currency): Money {
  return items.reduce((total, item) => add(total, item), zero(currency));
}

export function compare(left: Money, right: Money): -1 | 0 | 1 {
  assertSameCurrency(left, right);
  if (left.amountMinor === right.amountMinor) return 0;
  return left.amountMinor < right.amountMinor ? -1 : 1;
}

export function equals(left: Money, right: Money): boolean {
  return left.currency === right.currency && left.amountMinor === right.amountMinor;
}

function assertSameCurrency(left: Money, right: Money): void {
  assert.equal(left.currency, right.currency, 'money of different currencies cannot be combined');
}

/**
 * Parses a decimal major-unit string ("1050", "1,050.5", "1050.50") exactly into minor units.
 * Returns undefined for anything else (more than two decimals, signs, exponents, garbage).
 */
export function parseMajor(text: string, currency: Currency): Money | undefined {
  const cleaned = text.trim().replaceAll(',', '');
  const match = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (match === null) return undefined;
  const whole = BigInt(match[1] ?? '0');
  const fraction = BigInt((match[2] ?? '').padEnd(2, '0'));
  return money(whole * minorUnitsPerMajor + fraction, currency);
}

/** "1050.00": major units with exactly two decimals, no grouping (for APIs and CSV). */
export function toMajorString(value: Money): string {
  const negative = value.amountMinor < 0n;
  const absolute = negative ? -value.amountMinor : value.amountMinor;
  const whole = absolute / minorUnitsPerMajor;
  const fraction = (absolute % minorUnitsPerMajor).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole.toString()}.${fraction}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** "KES 1,050.00" for people, in the page's language; exact for any size of amount. */
export function format(value: Money, language: 'en' | 'sw' = 'en'): string {
  const key = `${language}:${value.currency}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(language === 'sw' ? 'sw-KE' : 'en-KE', {
      style: 'currency',
      currency: value.currency,
      currencyDisplay: 'code',
    });
    formatters.set(key, formatter);
  }
  // Intl formats a decimal string exactly (no float), so bigint amounts stay exact.
  return formatter.format(toMajorString(value) as unknown as number);
}
