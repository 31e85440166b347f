/**
 * The population register adapter: registration proves a person exists by matching the ID
 * number, first name and year of birth against the national register (IPRS in Kenya). Two
 * implementations: a built-in register of synthetic people (embedded default, demo, tests)
 * and an HTTP client for a real register.
 *
 * A mismatch never says which detail was wrong, so the register cannot be used to find out a
 * stranger's name or age one field at a time.
 */
import type { Result } from '#platform/errors/index.ts';

/** Documents that identify a person in the register. Children have a birth certificate. */
export type DocumentType = 'national_id' | 'alien_id' | 'passport' | 'birth_certificate';

export const signInDocumentTypes = ['national_id', 'alien_id', 'passport'] as const;
export type SignInDocumentType = (typeof signInDocumentTypes)[number];

export function isSignInDocumentType(value: string): value is SignInDocumentType {
  return (signInDocumentTypes as readonly string[]).includes(value);
}

export type RegisterPerson = Readonly<{
  documentType: DocumentType;
  documentNumber: string;
  firstName: string;
  middleName: string | null;
  lastName: string;
  /** YYYY-MM-DD. */
  birthDate: string;
}>;

export type RegisterBusiness = Readonly<{
  registrationNumber: string;
  name: string;
}>;

/** What a person registering tells us about themselves. */
export type PersonClaim = Readonly<{
  documentType: SignInDocumentType;
  documentNumber: string;
  firstName: string;
  birthYear: number;
}>;

export type DocumentReference = Readonly<{ documentType: DocumentType; documentNumber: string }>;

export type RegisterUnavailable = 'unavailable';

export type PopulationRegister = Readonly<{
  /** The person when every claimed detail matches; 'mismatch' otherwise, never which. */
  verifyPerson: (claim: PersonClaim) =>
    Promise<Result<RegisterPerson, 'mismatch' | RegisterUnavailable>>;
  /** Children (under 18) for whom this person is a registered parent or guardian. */
  findDependants: (guardian: DocumentReference) =>
    Promise<Result<readonly RegisterPerson[], RegisterUnavailable>>;
  /** Businesses this person is a registered director of. */
  findBusinessesDirectedBy: (director: DocumentReference) =>
    Promise<Result<readonly RegisterBusiness[], RegisterUnavailable>>;
}>;

/** Names compare without case, accents or extra spaces: "  amína " matches "Amina". */
export function sameName(left: string, right: string): boolean {
  const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '')
    .trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
  return fold(left) === fold(right);
}

/** Document numbers compare without case or spaces. */
export function normaliseDocumentNumber(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase();
}

export function claimMatches(claim: PersonClaim, person: RegisterPerson): boolean {
  return person.documentType === claim.documentType &&
    normaliseDocumentNumber(person.documentNumber) ===
      normaliseDocumentNumber(claim.documentNumber) &&
    sameName(person.firstName, claim.firstName) &&
    Number(person.birthDate.slice(0, 4)) === claim.birthYear;
}
