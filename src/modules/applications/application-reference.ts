/**
 * Application references: "A-" and 8 random symbols of the bill-reference alphabet (no I, L,
 * O, U), short enough to read over the phone, distinct from bill references by the prefix.
 */
import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const applicationReferencePattern = /^A-[0-9A-HJKMNP-TV-Z]{8}$/;

export function generateApplicationReference(random: (size: number) => Uint8Array = randomBytes):
  string {
  // 32 symbols: 5 bits a symbol, so every byte's low 5 bits pick one without bias.
  const bytes = random(8);
  let symbols = '';
  for (const byte of bytes) symbols += alphabet[byte & 31] ?? '0';
  return `A-${symbols}`;
}

/** A typed reference, forgiving case, spaces and a missing hyphen. */
export function normaliseApplicationReference(typed: string): string | undefined {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '');
  const candidate = compact.startsWith('A') ? `A-${compact.slice(1)}` : '';
  return applicationReferencePattern.test(candidate) ? candidate : undefined;
}
