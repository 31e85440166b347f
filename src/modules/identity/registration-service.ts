/**
 * Registration: a person proves they exist in the population register (ID number, first
 * name, year of birth), chooses a password and where codes go, and is signed in by a code
 * sent there: the first code also proves the phone or e-mail is theirs.
 */
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { insertAccountInTrx } from './account-repo.ts';
import {
  accountKindOf,
  checkDocumentNumber,
  checkNewPassword,
  normaliseEmail,
  normalisePhone,
  type FieldErrors,
} from './account-rules.ts';
import { startChallengeInTrx } from './challenge-service.ts';
import { identityDb, type IdentityDeps, type RequestSource } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import type { CodeChannel } from './identity-tables.ts';

import { hashPasswordAtGate } from './password-hash-gate.ts';
import { allowAttempt } from './rate-limits.ts';
import {
  isSignInDocumentType,
  type PersonClaim,
  type SignInDocumentType,
} from './register/index.ts';

export type RegistrationForm = Readonly<{
  documentType: string;
  documentNumber: string;
  firstName: string;
  birthYear: string;
  phone: string;
  email: string;
  codeChannel: string;
  password: string;
  language: 'en' | 'sw';
}>;

type ValidRegistration = Readonly<{
  claim: PersonClaim;
  phone: string | null;
  email: string | null;
  codeChannel: CodeChannel;
  password: string;
}>;

const nameLengthMax = 100;
const birthYearMin = 1900;

export function validateRegistration(
  form: RegistrationForm,
  now: Date,
): Result<ValidRegistration, FieldErrors> {
  const fields: FieldErrors = {};
  const documentType = form.documentType;
  let documentNumber: string | undefined;
  if (!isSignInDocumentType(documentType)) {
    fields.documentType = 'identity.field.documentTypeMissing';
  } else {
    documentNumber = checkDocumentNumber(documentType, form.documentNumber);
    if (documentNumber === undefined) {
      fields.documentNumber = 'identity.field.documentNumberInvalid';
    }
  }
  const firstName = form.firstName.trim();
  if (firstName === '' || firstName.length > nameLengthMax) {
    fields.firstName = 'identity.field.firstNameMissing';
  }
  const birthYear = /^\d{4}$/.test(form.birthYear.trim()) ? Number(form.birthYear.trim()) : NaN;
  if (!(birthYear >= birthYearMin && birthYear <= now.getUTCFullYear())) {
    fields.birthYear = 'identity.field.birthYearInvalid';
  }
  const phone = form.phone.trim() === '' ? null : normalisePhone(form.phone) ?? undefined;
  if (phone === undefined) fields.phone = 'identity.field.phoneInvalid';
  const email = form.email.trim() === '' ? null : normaliseEmail(form.email) ?? undefined;
  if (email === undefined) fields.email = 'identity.field.emailInvalid';
  const codeChannel = form.codeChannel === 'email' ? 'email' : 'sms';
  if (codeChannel === 'sms' && phone === null) fields.phone = 'identity.field.phoneNeeded';
  if (codeChannel === 'email' && email === null) fields.email = 'identity.field.emailNeeded';
  const passwordProblem = checkNewPassword(form.password, documentNumber ?? '');
  if (passwordProblem !== undefined) fields.password = passwordProblem;
  if (Object.keys(fields).length > 0 || documentNumber === undefined ||
    phone === undefined || email === undefined) {
    return { ok: false, error: fields };
  }
  return ok({
    claim: {
      documentType: documentType as SignInDocumentType, documentNumber, firstName, birthYear,
    },
    phone, email, codeChannel, password: form.password,
  });
}

export type Registered = Readonly<{ accountId: string; challengeToken: string; sentTo: string }>;

/**
 * @returns err IDENTITY_FORM_INVALID (fields), IDENTITY_TOO_MANY_ATTEMPTS,
 *   IDENTITY_REGISTER_MISMATCH (never says which detail), IDENTITY_REGISTER_UNAVAILABLE,
 *   IDENTITY_ALREADY_REGISTERED.
 */
export async function registerAccount(
  deps: IdentityDeps,
  form: RegistrationForm,
  source: RequestSource,
): Promise<Result<Registered, Failure<IdentityErrorCode>>> {
  const now = deps.clock.now();
  const valid = validateRegistration(form, now);
  if (!valid.ok) return err(failure('IDENTITY_FORM_INVALID', undefined, valid.error));
  const db = identityDb(deps);
  const { claim } = valid.value;
  if (!await allowAttempt(db, deps.secrets.addressKey, 'code-send',
    { address: source.address }, now)) {
    return err(failure('IDENTITY_TOO_MANY_ATTEMPTS'));
  }
  const person = await deps.register.verifyPerson(claim);
  if (!person.ok) {
    return err(failure(person.error === 'mismatch'
      ? 'IDENTITY_REGISTER_MISMATCH' : 'IDENTITY_REGISTER_UNAVAILABLE'));
  }
  const passwordHash = await hashPasswordAtGate(deps.passwordGate, valid.value.password);
  if (passwordHash === 'busy') return err(failure('IDENTITY_SIGN_IN_BUSY'));
  const accountId = uuidv7(now.getTime());
  const channel = valid.value.codeChannel;
  const destination = channel === 'sms' ? valid.value.phone : valid.value.email;
  if (destination === null) throw new Error('validated: the code channel has a destination');
  const outcome = await db.transaction().execute(async (trx) => {
    const inserted = await insertAccountInTrx(trx, {
      id: accountId,
      kind: accountKindOf(claim.documentType),
      documentType: claim.documentType,
      documentNumber: claim.documentNumber,
      firstName: person.value.firstName,
      middleName: person.value.middleName,
      lastName: person.value.lastName,
      birthDate: person.value.birthDate,
      businessName: null,
      passwordHash,
      phone: valid.value.phone,
      email: valid.value.email,
      codeChannel: channel,
      language: form.language,
    }, now);
    if (!inserted) return undefined;
    const challengeToken = await startChallengeInTrx(trx, {
      purpose: 'sign-in', accountId, channel, destination, language: form.language,
    }, now);
    if (valid.value.email !== null) {
      await enqueueNotificationInTrx(trx, {
        channel: 'email', to: valid.value.email, template: 'identity.registration-welcome',
        language: form.language, params: { url: deps.config.publicBaseUrl }, accountId,
      }, now);
    }
    await recordAuditInTrx(trx, {
      action: 'ACCOUNT_REGISTERED',
      actor: { kind: 'account', id: accountId, role: 'account-holder' },
      subject: { type: 'account', id: accountId },
      detail: { documentType: claim.documentType, codeChannel: channel },
      sourceAddress: source.address,
    }, now);
    return challengeToken;
  });
  if (outcome === undefined) return err(failure('IDENTITY_ALREADY_REGISTERED'));
  return ok({ accountId, challengeToken: outcome, sentTo: destination });
}
