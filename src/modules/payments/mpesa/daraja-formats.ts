/**
 * Daraja's formats at our boundary: timestamps (Kenya time), the STK Password, phone numbers,
 * and shillings to Money exactly (never through a float: JSON numbers are read from their
 * shortest decimal text, which is the text Safaricom wrote for any amount we can receive).
 */
import { money, parseMajor, type Money } from '#platform/money/index.ts';
import type { TimestampZone } from './daraja-types.ts';

/** East Africa Time is UTC+3 all year. */
const kenyaOffsetMs = 3 * 60 * 60 * 1000;

const two = (value: number) => String(value).padStart(2, '0');

type Parts = Readonly<{
  year: number; month: number; day: number; hour: number; minute: number; second: number;
}>;

function partsOf(date: Date, zone: TimestampZone): Parts {
  const shifted = new Date(date.getTime() + (zone === 'kenya' ? kenyaOffsetMs : 0));
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(), hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(),
  };
}

/** "YYYYMMDDHHmmss" in the given clock (the STK Timestamp). */
export function darajaTimestamp(date: Date, zone: TimestampZone = 'kenya'): string {
  const p = partsOf(date, zone);
  return `${p.year}${two(p.month)}${two(p.day)}${two(p.hour)}${two(p.minute)}${two(p.second)}`;
}

/** "YYYY-MM-DD HH:mm:ss" in Kenya time (Pull Transactions StartDate and EndDate). */
export function kenyaDateTime(date: Date): string {
  const p = partsOf(date, 'kenya');
  return `${p.year}-${two(p.month)}-${two(p.day)} ` +
    `${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/** STK Password: base64(BusinessShortCode + Passkey + Timestamp). */
export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`, 'utf8').toString('base64');
}

function fromKenyaDigits(digits: readonly string[]): Date | undefined {
  const [year, month, day, hour, minute, second] = digits.map((part) => Number.parseInt(part, 10));
  if (year === undefined || month === undefined || day === undefined || hour === undefined ||
    minute === undefined || second === undefined) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  const valid = check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return valid ? new Date(utc - kenyaOffsetMs) : undefined;
}

/**
 * Reads TransTime / TransactionDate ("YYYYMMDDHHmmss", string or JSON number) as Kenya time:
 * "20231121121325" is 2023-11-21T09:13:25Z.
 */
export function parseDarajaTimestamp(value: unknown): Date | undefined {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  return match === null ? undefined : fromKenyaDigits(match.slice(1));
}

/** An ISO date with a zone ("2020-08-05T10:13:00Z"), or "YYYY-MM-DD HH:mm:ss" in Kenya time. */
export function parseDarajaDateTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  return match === null ? undefined : fromKenyaDigits(match.slice(1));
}

/**
 * Shillings as Daraja writes them ("5.00", "400.0", 1.0, 150) to Money, exactly. Undefined for
 * anything else: negatives, more than two decimals, exponents, NaN.
 */
export function decimalShillings(value: unknown): Money | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,15}(\.\d{1,2})?$/.test(text.trim())) return undefined;
  return parseMajor(text, 'KES');
}

/** Like decimalShillings, but only whole shillings ("150", 150, 150.0, "150.00"). */
export function wholeShillings(value: unknown): Money | undefined {
  const amount = decimalShillings(value);
  return amount !== undefined && amount.amountMinor % 100n === 0n ? amount : undefined;
}

/** Money to the whole shillings Daraja takes; undefined for cents, non-KES or not positive. */
export function toWholeShillings(amount: Money): bigint | undefined {
  if (amount.currency !== 'KES' || amount.amountMinor <= 0n) return undefined;
  if (amount.amountMinor % 100n !== 0n) return undefined;
  return amount.amountMinor / 100n;
}

export function shillings(whole: bigint): Money {
  return money(whole * 100n, 'KES');
}

/**
 * A Safaricom number in the 2547XXXXXXXX / 2541XXXXXXXX form Daraja wants, from what people
 * type: 0712 345 678, +254712345678, 254712345678, 712345678.
 */
export function normalisePhoneNumber(text: string): string | undefined {
  const digits = text.replaceAll(/[\s-]/g, '').replace(/^\+/, '');
  const match = /^(?:254|0)?([17]\d{8})$/.exec(digits);
  return match === null ? undefined : `254${match[1] ?? ''}`;
}

/** An http(s) URL, as every callback field needs. */
export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'https:' || protocol === 'http:';
}
