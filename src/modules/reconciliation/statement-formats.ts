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
  const usual = usualTimeParts(text);
  if (usual !== undefined) return kenyaInstant(usual);
  let parts: number[];
  const isoLike = timePattern.exec(text);
  const dayFirst = isoLike === null ? dayFirstPattern.exec(text) : null;
  if (isoLike !== null) parts = isoLike.slice(1).map((part) => Number(part ?? 0));
  else if (dayFirst !== null) {
    const [day, month, year, ...rest] = dayFirst.slice(1).map((part) => Number(part ?? 0));
    parts = [year ?? 0, month ?? 0, day ?? 0, ...rest];
  } else return undefined;
  return kenyaInstant(parts);
}

/** "YYYY-MM-DD HH:mm:ss" read from its character codes (the usual shape); else undefined. */
function usualTimeParts(text: string): number[] | undefined {
  if (text.length !== 19 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(10) !== 0x20 || text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a) return undefined;
  const number = (start: number, length: number): number => {
    let value = 0;
    for (let at = start; at < start + length; at += 1) {
      const code = text.charCodeAt(at);
      if (!isDigit(code)) return Number.NaN;
      value = value * 10 + (code - digit0);
    }
    return value;
  };
  const parts = [number(0, 4), number(5, 2), number(8, 2), number(11, 2), number(14, 2),
    number(17, 2)];
  return parts.some(Number.isNaN) ? undefined : parts;
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Year, month, day, hour, minute, second in Kenya time, checked, as an instant. */
function kenyaInstant(parts: readonly number[]): Date | undefined {
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts;
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
