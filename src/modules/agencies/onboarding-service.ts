/**
 * Onboarding an agency (platform administrators): its legal names, ministry (and department),
 * a contact, and the bank account it is settled to, recorded together in one transaction with
 * the audit record. Its administrator is then appointed on the staff pages (identity's
 * appointStaff, a one-time enrolment link), and appoints the agency's officers and supervisors.
 */
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { auditActorOf, type StaffActor } from '#modules/authorisation/index.ts';
import {
  agencySlugTaken,
  findAgencyById,
  insertAgencyInTrx,
  ministryAndDepartmentExist,
  type Agency,
} from '#modules/catalogue/index.ts';
import {
  findSettlementProfile,
  recordAgencySettlementAccountInTrx,
  type SettlementAccount,
} from '#modules/settlement/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { readAgencyForm, slugify } from './onboarding-rules.ts';
import { onboardingDb } from './onboarding-tables.ts';

export type OnboardingDeps = Pick<ModuleDeps, 'db' | 'clock'>;

export type CreateAgencyFailure = Failure<'AGENCY_ONBOARDING_FORM_INVALID' |
  'AGENCY_ONBOARDING_SLUG_TAKEN'>;

/** A slug for a new agency: its English name, or that and a few characters of its id. */
async function freeAgencySlug(deps: OnboardingDeps, nameEn: string, id: string):
Promise<string> {
  const base = slugify(nameEn);
  return await agencySlugTaken(deps.db, base) ? `${base}-${id.slice(-6)}` : base;
}

/**
 * Creates an agency (origin 'onboarded') with its contact and settlement bank account, and
 * audits AGENCY_ONBOARDED (no personal data in the record: the contact is only in its table).
 * `fields` are the form's answers as posted (onboarding-rules.ts agencyFormFields).
 * @returns err AGENCY_ONBOARDING_FORM_INVALID (fields name each problem: an unknown ministry,
 *   or a department not of that ministry, is a problem of its field) or
 *   AGENCY_ONBOARDING_SLUG_TAKEN (another agency took the address at the same moment).
 */
export async function createAgency(deps: OnboardingDeps, actor: StaffActor,
  fields: Readonly<Record<string, string>>): Promise<Result<{ agencyId: string; slug: string },
    CreateAgencyFailure>> {
  const form = readAgencyForm(fields);
  if (!form.ok) return err(failure('AGENCY_ONBOARDING_FORM_INVALID', undefined, form.fields));
  const agency = form.value;
  if (!await ministryAndDepartmentExist(deps.db, agency.ministryId, agency.departmentId)) {
    return err(failure('AGENCY_ONBOARDING_FORM_INVALID', undefined,
      agency.departmentId === null ? { ministryId: 'agencies.onboarding.field.ministryId' }
        : { departmentId: 'agencies.onboarding.field.departmentId' }));
  }
  const now = deps.clock.now();
  const agencyId = uuidv7(now.getTime());
  const slug = await freeAgencySlug(deps, agency.nameEn, agencyId);
  const created = await deps.db.transaction().execute(async (trx) => {
    if (!await insertAgencyInTrx(trx, { id: agencyId, ministryId: agency.ministryId,
      departmentId: agency.departmentId, slug, nameEn: agency.nameEn, nameSw: agency.nameSw,
      now })) {
      return false;
    }
    await onboardingDb(trx).insertInto('agency_contact').values({ id: uuidv7(now.getTime()),
      agency_id: agencyId, name: agency.contact.name, email: agency.contact.email,
      phone: agency.contact.phone, created_at: now }).execute();
    await recordAgencySettlementAccountInTrx(trx, agencyId, agency.bank, now);
    await recordAuditInTrx(trx, { action: 'AGENCY_ONBOARDED', actor: auditActorOf(actor),
      subject: { type: 'agency', id: agencyId }, agencyId,
      detail: { slug, ministryId: agency.ministryId, departmentId: agency.departmentId,
        bankCode: agency.bank.bankCode } }, now);
    return true;
  });
  if (!created) return err(failure('AGENCY_ONBOARDING_SLUG_TAKEN'));
  return ok({ agencyId, slug });
}

export type AgencyContact = Readonly<{ name: string; email: string; phone: string }>;

export type AgencyDetail = Readonly<{
  agency: Agency;
  contacts: readonly AgencyContact[];
  settlementAccount: SettlementAccount | undefined;
}>;

/** An agency with its contacts and settlement account, if it is in the caller's scope. */
export async function findAgencyDetail(deps: OnboardingDeps, scope: string,
  agencyId: string): Promise<AgencyDetail | undefined> {
  if (!isUuid(agencyId) || (scope !== 'all' && scope !== agencyId)) return undefined;
  const agency = await findAgencyById(deps, agencyId);
  if (agency === undefined) return undefined;
  const contacts = await onboardingDb(deps.db).selectFrom('agency_contact')
    .select(['name', 'email', 'phone']).where('agency_id', '=', agencyId)
    .orderBy('created_at').limit(20).execute();
  const profile = await findSettlementProfile(deps.db, agencyId);
  return { agency, contacts, settlementAccount: profile === undefined ? undefined : {
    bankName: profile.bank_name, bankCode: profile.bank_code, branch: profile.branch,
    accountNumber: profile.account_number, accountName: profile.account_name } };
}
