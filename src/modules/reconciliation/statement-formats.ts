/**
 * How statements write receipts, amounts and times, read exactly: amounts to bigint cents
 * (never through a float), times as Kenya time (UTC+3, no daylight saving) to UTC.
 */

/** As payment.provider_reference allows. */
export const receiptPattern = /^[A-Za-z0-9]{4,40}$/;

const amountPattern = /^(-)?(\d{1,3}(?:,\d{3})+|\d{1,15})(?:\.(\d{1,2}))?$/;

/**
 * "1,234.50", "150", "-20.00" to cents; '' is 0. A minus sign is dropped (portals write
 * withdrawals negative) unless `signed`, when it is kept (a balance). Undefined otherwise.
 */
export function parseAmountMinor(text: string, signed = false): bigint | undefined {
  if (text === '') return 0n;
  const usual = usualAmountMinor(text);
  if (usual !== undefined) return BigInt(usual);
  const match = amountPattern.exec(text);
  if (match === null) return undefined;
  const whole = BigInt((match[2] ?? '0').replaceAll(',', ''));
  const cents = BigInt((match[3] ?? '').padEnd(2, '0'));
  const amount = whole * 100n + cents;
  return signed && match[1] === '-' ? -amount : amount;
}

const digit0 = 0x30;
const digit9 = 0x39;
const isDigit = (code: number) => code >= digit0 && code <= digit9;

/**
 * The usual shape, "1234.50" (up to 13 whole digits: the cents stay a safe integer), read
 * from its character codes: a million of them cost a regular expression and two BigInts
 * each otherwise. Undefined for any other shape (parseAmountMinor then reads it).
 */
function usualAmountMinor(text: string): number | undefined {
  const point = text.length - 3;
  if (point < 1 || point > 13 || text.charCodeAt(point) !== 0x2e) return undefined;
  let cents = 0;
  for (let index = 0; index < text.length; index += 1) {
    if (index === point) continue;
    const code = text.charCodeAt(index);
    if (!isDigit(code)) return undefined;
    cents = cents * 10 + (code - digit0);
  }
  return cents;
}

/** Cents as "1234.50" (no grouping), for CSV exports. */
export function minorText(amountMinor: bigint): string {
  const sign = amountMinor < 0n ? '-' : '';
  const absolute = amountMinor < 0n ? -amountMinor : amountMinor;
  return `${sign}${(absolute / 100n).toString()}.${(absolute % 100n).toString().padStart(2, '0')}`;
}

const kenyaOffsetMs = 3 * 60 * 60 * 1000;
const timePattern = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{1,2}))?$/;
const dayFirstPattern = /^(\d{2})[-/](\d{2})[-/](\d{4}) (\d{1,2}):(\d{2})(?::(\d{1,2}))?$/;

/** "2026-12-01 14:03:09" or "01-12-2026 14:03:09" (Kenya time) to a Date; else undefined. */
export function parseStatementTime(text: string): Date | undefined {
  const usual = usualTime(text);
  if (usual !== null) return usual;
  let parts: number[];
  const isoLike = timePattern.exec(text);
  const dayFirst = isoLike === null ? dayFirstPattern.exec(text) : null;
  if (isoLike !== null) parts = isoLike.slice(1).map((part) => Number(part ?? 0));
  else if (dayFirst !== null) {
    const [day, month, year, ...rest] = dayFirst.slice(1).map((part) => Number(part ?? 0));
    parts = [year ?? 0, month ?? 0, day ?? 0, ...rest];
  } else return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts;
  return kenyaInstant(year, month, day, hour, minute, second);
}

/** The digits of text[start, start + length) as a number; NaN if any is not a digit. */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let at = start; at < start + length; at += 1) {
    const code = text.charCodeAt(at);
    if (!isDigit(code)) return Number.NaN;
    value = value * 10 + (code - digit0);
  }
  return value;
}

/**
 * "YYYY-MM-DD HH:mm:ss" (the usual shape) read from its character codes, checked as
 * kenyaInstant checks: a million of them cost a regular expression and arrays each otherwise.
 * Null for any other shape (the patterns then read it).
 */
function usualTime(text: string): Date | undefined | null {
  if (text.length !== 19 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x20 || text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  // A character that is not a digit: not the usual shape after all.
  if (Number.isNaN(year + month + day + hour + minute + second)) return null;
  return kenyaInstant(year, month, day, hour, minute, second);
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Year, month, day, hour, minute, second in Kenya time, checked, as an instant. */
function kenyaInstant(year: number, month: number, day: number, hour: number, minute: number,
  second: number): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : daysInMonth[month - 1] ?? 0)) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - kenyaOffsetMs);
}

/** The Kenya calendar day (YYYY-MM-DD) of an instant. */
export function kenyaDay(at: Date): string {
  return new Date(at.getTime() + kenyaOffsetMs).toISOString().slice(0, 10);
}

/** The start (inclusive) of a Kenya calendar day YYYY-MM-DD, as an instant. */
export function kenyaDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - kenyaOffsetMs);
}

/** "YYYY-MM-DD HH:mm:ss" in Kenya time, as statements write it. */
export function kenyaText(at: Date): string {
  return new Date(at.getTime() + kenyaOffsetMs).toISOString().slice(0, 19).replace('T', ' ');
}
