/**
 * Acting for someone else: a parent or guardian for their child (under 18), a director for
 * their business, as the population register says. The register is asked again each time the
 * list is shown; when it cannot be reached, links it confirmed in the last day still count.
 * Choosing whom to act for is audited, and so is every act done for them (onBehalfOf).
 */
import type { Kysely } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { auditActorOf, type AccountActor } from '#modules/authorisation/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import {
  findAccountByDocument,
  findAccountById,
  insertAccountInTrx,
  listRepresentedAccounts,
  upsertRepresentativeInTrx,
  type AccountRow,
  type RepresentedAccount,
} from './account-repo.ts';
import { identityDb, type IdentityDeps, type RequestSource } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import type { IdentityTables } from './identity-tables.ts';
import type { DocumentReference, RegisterBusiness, RegisterPerson } from './register/index.ts';
import { setOnBehalfOfInTrx } from './session-repo.ts';

/** How long a link the register confirmed still counts when the register is down. */
const representationTrustMs = 24 * 60 * 60 * 1000;
const adultAgeYears = 18;

export type ActingOptions = Readonly<{
  represented: readonly RepresentedAccount[];
  /** False when the register could not be asked and older confirmations were used. */
  registerAnswered: boolean;
}>;

function isMinor(birthDate: string, now: Date): boolean {
  const adultOn = new Date(`${birthDate}T00:00:00Z`);
  adultOn.setUTCFullYear(adultOn.getUTCFullYear() + adultAgeYears);
  return adultOn.getTime() > now.getTime();
}

async function ensurePersonAccountInTrx(
  trx: Kysely<IdentityTables>, person: RegisterPerson, now: Date,
): Promise<AccountRow> {
  await insertAccountInTrx(trx, {
    id: uuidv7(now.getTime()), kind: 'citizen', documentType: person.documentType,
    documentNumber: person.documentNumber, firstName: person.firstName,
    middleName: person.middleName, lastName: person.lastName, birthDate: person.birthDate,
    businessName: null, passwordHash: null, phone: null, email: null, codeChannel: 'sms',
    language: 'en',
  }, now);
  const row = await findAccountByDocument(trx, person.documentType, person.documentNumber);
  if (row === undefined) throw new Error('the account was just inserted');
  return row;
}

async function ensureBusinessAccountInTrx(
  trx: Kysely<IdentityTables>, business: RegisterBusiness, now: Date,
): Promise<AccountRow> {
  await insertAccountInTrx(trx, {
    id: uuidv7(now.getTime()), kind: 'business', documentType: 'business_registration',
    documentNumber: business.registrationNumber, firstName: null, middleName: null,
    lastName: null, birthDate: null, businessName: business.name, passwordHash: null,
    phone: null, email: null, codeChannel: 'sms', language: 'en',
  }, now);
  const row = await findAccountByDocument(trx, 'business_registration',
    business.registrationNumber);
  if (row === undefined) throw new Error('the account was just inserted');
  return row;
}

/** The dependants and businesses the holder may act for, refreshed from the register. */
export async function listActingOptions(
  deps: IdentityDeps,
  actor: AccountActor,
): Promise<ActingOptions> {
  const db = identityDb(deps);
  const now = deps.clock.now();
  const holder = await findAccountById(db, actor.accountId);
  if (holder === undefined) throw new Error('a live session names an account that exists');
  const reference: DocumentReference = {
    documentType: holder.document_type as DocumentReference['documentType'],
    documentNumber: holder.document_number,
  };
  const [children, businesses] = await Promise.all([
    deps.register.findDependants(reference), deps.register.findBusinessesDirectedBy(reference),
  ]);
  if (!children.ok || !businesses.ok) {
    const since = new Date(now.getTime() - representationTrustMs);
    return { represented: await listRepresentedAccounts(db, holder.id, since),
      registerAnswered: false };
  }
  await db.transaction().execute(async (trx) => {
    for (const child of children.value.filter((c) => isMinor(c.birthDate, now))) {
      const account = await ensurePersonAccountInTrx(trx, child, now);
      await upsertRepresentativeInTrx(trx, { representedAccountId: account.id,
        representativeAccountId: holder.id, relationship: 'guardian' }, now);
    }
    for (const business of businesses.value) {
      const account = await ensureBusinessAccountInTrx(trx, business, now);
      await upsertRepresentativeInTrx(trx, { representedAccountId: account.id,
        representativeAccountId: holder.id, relationship: 'director' }, now);
    }
  });
  // Only links confirmed just now: one the register no longer has is left out.
  return { represented: await listRepresentedAccounts(db, holder.id, now),
    registerAnswered: true };
}

/**
 * Acts for `representedAccountId` from now on in this session (null: for oneself again).
 * @returns err IDENTITY_REPRESENTED_ACCOUNT_NOT_FOUND when there is no such link.
 */
export async function chooseActingFor(
  deps: IdentityDeps,
  actor: AccountActor,
  representedAccountId: string | null,
  source: RequestSource,
): Promise<Result<null, Failure<IdentityErrorCode>>> {
  const db = identityDb(deps);
  const now = deps.clock.now();
  let onBehalfOf: { kind: 'account' | 'business'; id: string } | null = null;
  if (representedAccountId !== null) {
    const since = new Date(now.getTime() - representationTrustMs);
    const links = await listRepresentedAccounts(db, actor.accountId, since);
    const link = links.find((entry) => entry.account.id === representedAccountId);
    if (link === undefined) return err(failure('IDENTITY_REPRESENTED_ACCOUNT_NOT_FOUND'));
    onBehalfOf = { kind: link.account.kind === 'business' ? 'business' : 'account',
      id: link.account.id };
  }
  await db.transaction().execute(async (trx) => {
    await setOnBehalfOfInTrx(trx, actor.sessionId, representedAccountId);
    await recordAuditInTrx(trx, {
      action: onBehalfOf === null ? 'ACCOUNT_ACTING_FOR_SELF' : 'ACCOUNT_ACTING_FOR_STARTED',
      actor: auditActorOf(actor),
      onBehalfOf,
      subject: { type: 'account', id: representedAccountId ?? actor.accountId },
      sourceAddress: source.address,
    }, now);
  });
  return ok(null);
}
