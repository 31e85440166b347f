/**
 * Bill references: the account number a payer types into M-Pesa (paybill 222222), so short,
 * unambiguous and self-checking. Pure: no I/O.
 *
 * - Alphabet: the 32 symbols 0-9 A-Z without I, L, O, U (Crockford's base 32), so no symbol
 *   looks like another. On input, the look-alikes a person may type instead (O for 0; I, L for
 *   1) are read as the digit, case is ignored, and spaces and hyphens are dropped.
 * - Length: at most 12 characters, the STK AccountReference limit. A platform reference is
 *   9 random symbols and a check symbol (32^9, about 3.5e13 references); an agency that keeps
 *   its own billing has a registered prefix of 2 or 3 symbols, then 8 random symbols and the
 *   check symbol (11 or 12 characters), so the length alone tells the two apart.
 * - Check symbol: the Damm algorithm over the field GF(32). Each step maps the running value
 *   `r` and a symbol `s` to `alpha*r + s`, with `alpha` the field's generator (neither 0 nor 1);
 *   the check symbol brings the final value to 0. Because every step is a bijection in both `r`
 *   and `s`, and (alpha + 1) and (alpha + 1)^2 are not 0, it detects EVERY single-symbol
 *   error, EVERY adjacent transposition (ab -> ba), every jump transposition (abc -> cba) and
 *   every twin error (aa -> bb). The property tests in bill-reference.test.ts prove each claim.
 */
import type { Branded } from '#platform/ids/index.ts';

export type BillReference = Branded<string, 'BillReference'>;

export const billReferenceAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const billReferenceLengthMax = 12;
/** Shorter than any reference we issue: anything below it is a typo, not a reference. */
export const billReferenceLengthMin = 6;
export const billReferenceRandomLength = 9;
export const agencyPrefixLengthMin = 2;
export const agencyPrefixLengthMax = 3;
const prefixedRandomLength = 8;

const symbolValues: ReadonlyMap<string, number> = new Map(
  [...billReferenceAlphabet].map((symbol, index) => [symbol, index]),
);

/** Read as the symbol they are mistaken for; U has no twin and stays invalid. */
const lookAlikes: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

/** x^5 + x^2 + 1, a primitive polynomial of degree 5: GF(32) = GF(2)[x] / (this). */
const fieldPolynomial = 0b100101;
const fieldSize = 32;
/** The generator x of GF(32): not 0 and not 1, as the Damm construction needs. */
const alpha = 0b10;

/** alpha * value in GF(32): a shift, reduced by the field polynomial on overflow. */
function timesAlpha(value: number): number {
  const shifted = value * alpha;
  return shifted >= fieldSize ? shifted ^ fieldPolynomial : shifted;
}

/** The Damm running value over symbol values; 0 for a body followed by its check symbol. */
function dammValue(values: readonly number[]): number {
  let running = 0;
  for (const value of values) running = timesAlpha(running) ^ value;
  return running;
}

function valuesOf(text: string): number[] | undefined {
  const values: number[] = [];
  for (const symbol of text) {
    const value = symbolValues.get(symbol);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

/** The check symbol for a body of alphabet symbols; throws on a symbol outside it (a bug). */
export function checkSymbol(body: string): string {
  const values = valuesOf(body);
  if (values === undefined) throw new Error('a bill reference body symbol is outside the alphabet');
  // alpha*r + c = 0 in a field of characteristic 2 means c = alpha*r.
  return billReferenceAlphabet[timesAlpha(dammValue(values))] ?? '';
}

/** Upper-case, without spaces or hyphens, look-alikes read as digits. Nothing else changes. */
export function normaliseBillReferenceInput(text: string): string {
  return [...text.toUpperCase().replaceAll(/[\s-]+/g, '')]
    .map((symbol) => lookAlikes[symbol] ?? symbol).join('');
}

/**
 * The reference a person typed, normalised, when it is well formed and its check symbol
 * agrees; undefined for anything else (wrong length, a symbol outside the alphabet, a typo).
 */
export function parseBillReference(text: string): BillReference | undefined {
  const normalised = normaliseBillReferenceInput(text);
  if (normalised.length < billReferenceLengthMin || normalised.length > billReferenceLengthMax) {
    return undefined;
  }
  const values = valuesOf(normalised);
  if (values === undefined || dammValue(values) !== 0) return undefined;
  return normalised as BillReference;
}

export function isAgencyPrefix(prefix: string): boolean {
  return prefix.length >= agencyPrefixLengthMin && prefix.length <= agencyPrefixLengthMax &&
    valuesOf(prefix) !== undefined;
}

/**
 * A new reference from random bytes (one byte per symbol; 256 is a multiple of 32, so every
 * symbol is equally likely). `prefix` is an agency's registered prefix, already normalised.
 */
export function generateBillReference(
  randomBytes: (count: number) => Uint8Array,
  prefix = '',
): BillReference {
  if (prefix !== '' && !isAgencyPrefix(prefix)) {
    throw new Error('an agency prefix is 2 or 3 symbols of the bill reference alphabet');
  }
  const randomLength = prefix === '' ? billReferenceRandomLength : prefixedRandomLength;
  const bytes = randomBytes(randomLength);
  let body = prefix;
  for (let index = 0; index < randomLength; index += 1) {
    body += billReferenceAlphabet[(bytes[index] ?? 0) % fieldSize] ?? '';
  }
  return `${body}${checkSymbol(body)}` as BillReference;
}
