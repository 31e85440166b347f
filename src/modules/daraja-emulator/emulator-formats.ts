/**
 * How Safaricom writes things: Kenya-time timestamps, receipt numbers, request ids, masked or
 * hashed MSISDNs, amounts. Written apart from the platform's Daraja client on purpose: a fake
 * that shared the client's code would agree with it even where both are wrong.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { toMajorString, type Money } from '#platform/money/index.ts';

/** East Africa Time is UTC+3 all year (no daylight saving). */
const kenyaOffsetMs = 3 * 60 * 60 * 1000;
const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const receiptAlphabet = `${letters}0123456789`;
/** Day of the month in a receipt: 1-9, then A = 10 ... V = 31. */
const receiptDayCharacters = '123456789ABCDEFGHIJKLMNOPQRSTUV';
/** Receipts of 2019 start with N ("NLJ7RT61SV"), of 2023 with R ("RKL51ZDR4F"). */
const receiptYearZero = 2006;
const receiptRandomLength = 7;

type Parts = Readonly<{
  year: number; month: number; day: number; hour: number; minute: number; second: number;
}>;

function kenyaParts(date: Date): Parts {
  const shifted = new Date(date.getTime() + kenyaOffsetMs);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

const two = (value: number) => String(value).padStart(2, '0');

/** "YYYYMMDDHHmmss" in Kenya time, as in TransTime and TransactionDate. */
export function kenyaTimestamp(date: Date): string {
  const p = kenyaParts(date);
  return `${p.year}${two(p.month)}${two(p.day)}${two(p.hour)}${two(p.minute)}${two(p.second)}`;
}

/** "YYYY-MM-DD HH:mm:ss" in Kenya time, as in statements and Pull Transactions dates. */
export function kenyaDateTime(date: Date): string {
  const p = kenyaParts(date);
  return `${p.year}-${two(p.month)}-${two(p.day)} ` +
    `${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/** Reads "YYYY-MM-DD HH:mm:ss" (Kenya time); seconds may be one digit, as integrators send. */
export function parseKenyaDateTime(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{1,2}))?$/.exec(text.trim());
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  return fromKenyaParts({
    year: year ?? 0, month: month ?? 0, day: day ?? 0,
    hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0,
  });
}

/** A "YYYYMMDDHHmmss" that names a real moment; Daraja checks only the format. */
export function isDarajaTimestamp(text: string): boolean {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  return fromKenyaParts({
    year: year ?? 0, month: month ?? 0, day: day ?? 0,
    hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0,
  }) !== undefined;
}

function fromKenyaParts(p: Parts): Date | undefined {
  const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const back = new Date(utc);
  const valid = back.getUTCFullYear() === p.year && back.getUTCMonth() === p.month - 1 &&
    back.getUTCDate() === p.day && p.hour < 24 && p.minute < 60 && p.second < 60;
  return valid ? new Date(utc - kenyaOffsetMs) : undefined;
}

/** STK Password: base64(BusinessShortCode + Passkey + Timestamp). */
export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`, 'utf8').toString('base64');
}

function randomText(alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += alphabet[randomInt(alphabet.length)];
  return text;
}

/**
 * A receipt number as M-Pesa writes them: year letter, month letter (A = January), day
 * character, then seven random characters; ten in all.
 */
export function receiptNumber(date: Date): string {
  const p = kenyaParts(date);
  const year = letters[(((p.year - receiptYearZero) % 26) + 26) % 26] ?? 'A';
  const month = letters[p.month - 1] ?? 'A';
  const day = receiptDayCharacters[p.day - 1] ?? '1';
  return `${year}${month}${day}${randomText(receiptAlphabet, receiptRandomLength)}`;
}

/** "29115-34620561-1": MerchantRequestID, OriginatorConversationID, requestId. */
export function requestIdentifier(): string {
  return `${randomInt(1_000, 100_000)}-${randomInt(1_000_000, 100_000_000)}-1`;
}

/** "ws_CO_191220191020363925": DDMMYYYYHHmmss (Kenya time) and four random digits. */
export function checkoutRequestIdentifier(date: Date): string {
  const p = kenyaParts(date);
  return `ws_CO_${two(p.day)}${two(p.month)}${p.year}${two(p.hour)}${two(p.minute)}` +
    `${two(p.second)}${randomText('0123456789', 4)}`;
}

/** "AG_20191219_00005797af5d7d75f652": a ConversationID. */
export function conversationIdentifier(date: Date): string {
  return `AG_${kenyaTimestamp(date).slice(0, 8)}_${randomBytes(10).toString('hex')}`;
}

export function accessToken(): string {
  return randomText(receiptAlphabet + receiptAlphabet.toLowerCase(), 28);
}

/** v2 privacy: "2547 ***** 126". */
export function maskMsisdn(msisdn: string): string {
  return `${msisdn.slice(0, 4)} ***** ${msisdn.slice(-3)}`;
}

/** v1 privacy: the SHA-256 of the number, in hex. */
export function hashMsisdn(msisdn: string): string {
  return createHash('sha256').update(msisdn).digest('hex');
}

/** Statements show "2547******149". */
export function statementMsisdn(msisdn: string): string {
  return `${msisdn.slice(0, 4)}******${msisdn.slice(-3)}`;
}

const firstNames = ['John', 'Mary', 'Wanjiru', 'Otieno', 'Achieng', 'Kamau', 'Njeri', 'Kiprop'];
const lastNames = ['Doe', 'Mwangi', 'Odhiambo', 'Wambui', 'Kiptoo', 'Mutua', 'Chebet', 'Ouma'];

/** The registered name of a subscriber: made up, but the same for the same number. */
export function subscriberName(msisdn: string): Readonly<{
  firstName: string; middleName: string; lastName: string;
}> {
  const digest = createHash('sha256').update(msisdn).digest();
  return {
    firstName: firstNames[(digest[0] ?? 0) % firstNames.length] ?? 'John',
    middleName: '',
    lastName: lastNames[(digest[1] ?? 0) % lastNames.length] ?? 'Doe',
  };
}

/** "5.00": C2B TransAmount, OrgAccountBalance, statement amounts. */
export function shillingsText(amount: Money): string {
  return toMajorString(amount);
}

/** Whole shillings as a JSON number (Amount in STK callbacks and status results). */
export function shillingsNumber(amount: Money): number {
  return Number(amount.amountMinor / 100n);
}
