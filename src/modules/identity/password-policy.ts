/**
 * Passwords nobody should choose: the commonest ones (common-passwords.txt says where the list
 * comes from and its licence) and ones holding the person's own ID number. Pure once loaded.
 */
import { readFileSync } from 'node:fs';

function loadCommonPasswords(): ReadonlySet<string> {
  const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
  return new Set(text.split('\n').filter((line) => line !== '' && !line.startsWith('#')));
}

const commonPasswords = loadCommonPasswords();

/** True for a listed password, whatever its case, width or spacing ("Password 123456"). */
export function isCommonPassword(password: string): boolean {
  const folded = password.normalize('NFKC').toLowerCase();
  return commonPasswords.has(folded) || commonPasswords.has(folded.replace(/\s+/gu, ''));
}

/** True when the password holds the ID number, even spaced out or in another case. */
export function containsDocumentNumber(password: string, documentNumber: string): boolean {
  if (documentNumber === '') return false;
  const compact = password.normalize('NFKC').toUpperCase().replace(/[\s.\-/]+/gu, '');
  return compact.includes(documentNumber.toUpperCase());
}
