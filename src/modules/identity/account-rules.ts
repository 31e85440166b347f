/**
 * Checks on what people type into identity forms: pure, no I/O. Each failure is a message key
 * (identity.field.*) the page shows next to the field.
 */
import { passwordLengthMax, passwordLengthMin } from './password-hashing.ts';
import { containsDocumentNumber, isCommonPassword } from './password-policy.ts';
import {
  normaliseDocumentNumber,
  type SignInDocumentType,
} from './register/index.ts';

export type FieldErrors = Record<string, string>;

const documentPatterns: Readonly<Record<SignInDocumentType, RegExp>> = {
  national_id: /^\d{6,9}$/,
  alien_id: /^\d{6,10}$/,
  passport: /^[A-Z][A-Z0-9]{5,9}$/,
};

export function checkDocumentNumber(type: SignInDocumentType, raw: string): string | undefined {
  const number = normaliseDocumentNumber(raw);
  return documentPatterns[type].test(number) ? number : undefined;
}

/**
 * A phone number in E.164 (+254712345678). Kenyan numbers may be typed the local way
 * (0712 345 678, 712345678, 254712345678); others need their + and country code.
 */
export function normalisePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s().-]/g, '');
  const kenyan = /^(?:\+?254|0)?([17]\d{8})$/.exec(compact);
  if (kenyan !== null) return `+254${kenyan[1] ?? ''}`;
  return /^\+[1-9]\d{7,14}$/.test(compact) ? compact : undefined;
}

const emailLengthMax = 254;

export function normaliseEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  if (email.length > emailLengthMax) return undefined;
  return /^[^\s@<>,;"]+@[^\s@<>,;".]+(\.[^\s@<>,;".]+)+$/.test(email) ? email : undefined;
}

/** A new password's first broken rule, or undefined; `documentNumber` may be '' (staff). */
export function checkNewPassword(password: string, documentNumber: string): string | undefined {
  if (password.length < passwordLengthMin) return 'identity.field.passwordTooShort';
  if (password.length > passwordLengthMax) return 'identity.field.passwordTooLong';
  if (containsDocumentNumber(password, documentNumber)) {
    return 'identity.field.passwordHasDocument';
  }
  if (isCommonPassword(password)) return 'identity.field.passwordTooCommon';
  return undefined;
}

/** "•••• 5678" or "a•••@example.org": enough to recognise one's own, no more. */
export function maskDestination(destination: string): string {
  if (destination.includes('@')) {
    const [local = '', domain = ''] = destination.split('@');
    return `${local.slice(0, 1)}•••@${domain}`;
  }
  return `•••• ${destination.slice(-4)}`;
}

export function accountKindOf(type: SignInDocumentType): 'citizen' | 'resident' | 'foreigner' {
  if (type === 'national_id') return 'citizen';
  return type === 'alien_id' ? 'resident' : 'foreigner';
}
