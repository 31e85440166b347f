/**
 * The agency's own bill references, in the shape Huduma routes to us (docs/bill-inquiry.md):
 * our registered prefix, 8 random symbols of the alphabet 0-9 A-Z without I, L, O, U, and a
 * check symbol (the Damm algorithm over GF(32), polynomial x^5 + x^2 + 1, generator x).
 * Written from the document: an agency's billing system does the same in its own language.
 */
import { randomInt } from 'node:crypto';

export const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const randomLength = 8;

function timesGenerator(value: number): number {
  const shifted = value * 2;
  return shifted >= 32 ? shifted ^ 0b100101 : shifted;
}

/** The symbol that brings the running value of `body` + symbol to zero. */
export function checkSymbolOf(body: string): string {
  let running = 0;
  for (const symbol of body) {
    const value = alphabet.indexOf(symbol);
    if (value < 0) throw new Error(`${symbol} is not in the bill reference alphabet`);
    running = timesGenerator(running) ^ value;
  }
  return alphabet[timesGenerator(running)] ?? '';
}

export function newBillReference(prefix: string, random: (max: number) => number = randomInt):
  string {
  let body = prefix;
  for (let index = 0; index < randomLength; index += 1) body += alphabet[random(32)] ?? '0';
  return `${body}${checkSymbolOf(body)}`;
}
