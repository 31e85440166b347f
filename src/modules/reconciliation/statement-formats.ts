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
  const match = amountPattern.exec(text);
  if (match === null) return undefined;
  const whole = BigInt((match[2] ?? '0').replaceAll(',', ''));
  const cents = BigInt((match[3] ?? '').padEnd(2, '0'));
  const amount = whole * 100n + cents;
  return signed && match[1] === '-' ? -amount : amount;
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
  let parts: number[];
  const isoLike = timePattern.exec(text);
  const dayFirst = isoLike === null ? dayFirstPattern.exec(text) : null;
  if (isoLike !== null) parts = isoLike.slice(1).map((part) => Number(part ?? 0));
  else if (dayFirst !== null) {
    const [day, month, year, ...rest] = dayFirst.slice(1).map((part) => Number(part ?? 0));
    parts = [year ?? 0, month ?? 0, day ?? 0, ...rest];
  } else return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
    second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  return new Date(utc - kenyaOffsetMs);
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
