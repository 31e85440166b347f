/**
 * An agency's services, as its administrator (or a platform administrator) manages them:
 * create one (in the sandbox: not shown nor payable to the public), edit its names,
 * descriptions, requirements, SLA, delivery, who may apply and its application form, and move
 * it from the sandbox to live once it has a fee in force and a form. Fees change only through
 * fee changes (fee-change-service.ts). Every change is audited in its transaction.
 */
import { parseFormDefinition } from '#modules/applications/index.ts';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { agencyScopeOf, auditActorOf, type StaffActor } from '#modules/authorisation/index.ts';
import {
  hasFeeInForceInTrx,
  insertServiceInTrx,
  kenyanDate,
  lockStaffServiceInTrx,
  serviceSlugTaken,
  setServiceStatusInTrx,
  updateServiceInTrx,
  type ServiceDetails,
  type StaffService,
} from '#modules/catalogue/index.ts';
import type { Database } from '#platform/db/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import type { OnboardingDeps } from './onboarding-service.ts';
import { decideGoLive, readServiceForm, slugify, type ServiceForm } from './onboarding-rules.ts';
import { onboardingDb } from './onboarding-tables.ts';

export type ServiceFailure = Failure<'AGENCY_ONBOARDING_FORM_INVALID' |
  'AGENCY_ONBOARDING_FORM_SCHEMA_INVALID' | 'AGENCY_ONBOARDING_SLUG_TAKEN' |
  'AGENCY_ONBOARDING_AGENCY_NOT_FOUND' | 'AGENCY_ONBOARDING_SERVICE_NOT_FOUND' |
  'AGENCY_ONBOARDING_NOT_SANDBOX' | 'AGENCY_ONBOARDING_LIVE_NEEDS_FEE' |
  'AGENCY_ONBOARDING_LIVE_NEEDS_FORM'>;

/** The posted service form: its text fields and the account types ticked. */
export type ServicePost = Readonly<{
  fields: Readonly<Record<string, string>>;
  eligibleAccountTypes: readonly string[];
}>;

/** Whether the caller may manage this agency's services (their own, or any for platform). */
export function managesAgency(actor: StaffActor, agencyId: string): boolean {
  const scope = agencyScopeOf(actor);
  return isUuid(agencyId) && (scope === 'all' || scope === agencyId);
}

/**
 * The form's JSON text as a checked form definition (null for none). A problem names where
 * the definition is wrong (applications' parseFormDefinition), in the failure's detail.
 */
function checkedDetails(form: ServiceForm): Result<ServiceDetails, ServiceFailure> {
  let formSchema: unknown = null;
  if (form.formSchemaText !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(form.formSchemaText);
    } catch (error) {
      return err(failure('AGENCY_ONBOARDING_FORM_SCHEMA_INVALID',
        `not JSON: ${error instanceof Error ? error.message : String(error)}`));
    }
    const definition = parseFormDefinition(parsed);
    if (!definition.ok) {
      return err(failure('AGENCY_ONBOARDING_FORM_SCHEMA_INVALID', definition.error.join('; ')));
    }
    formSchema = definition.value;
  }
  return ok({ nameEn: form.nameEn, nameSw: form.nameSw, descriptionEn: form.descriptionEn,
    descriptionSw: form.descriptionSw, requirementsEn: form.requirementsEn,
    requirementsSw: form.requirementsSw, slaDays: form.slaDays, deliveryMode: form.deliveryMode,
    eligibleAccountTypes: form.eligibleAccountTypes, formSchema });
}

function readDetails(post: ServicePost): Result<ServiceDetails, ServiceFailure> {
  const form = readServiceForm(post.fields, post.eligibleAccountTypes);
  if (!form.ok) return err(failure('AGENCY_ONBOARDING_FORM_INVALID', undefined, form.fields));
  return checkedDetails(form.value);
}

/**
 * Creates a service of an agency, in the sandbox, audited SERVICE_CREATED.
 * @returns err AGENCY_ONBOARDING_AGENCY_NOT_FOUND (not in the caller's scope, or none),
 *   AGENCY_ONBOARDING_FORM_INVALID, AGENCY_ONBOARDING_FORM_SCHEMA_INVALID,
 *   AGENCY_ONBOARDING_SLUG_TAKEN.
 */
export async function createService(deps: OnboardingDeps, actor: StaffActor, agencyId: string,
  post: ServicePost): Promise<Result<{ serviceId: string; slug: string }, ServiceFailure>> {
  if (!managesAgency(actor, agencyId)) return err(failure('AGENCY_ONBOARDING_AGENCY_NOT_FOUND'));
  const details = readDetails(post);
  if (!details.ok) return details;
  const now = deps.clock.now();
  const serviceId = uuidv7(now.getTime());
  const base = slugify(details.value.nameEn);
  const slug = await serviceSlugTaken(deps.db, base) ? `${base}-${serviceId.slice(-6)}` : base;
  const created = await deps.db.transaction().execute(async (trx) => {
    const agency = await onboardingDb(trx).selectFrom('agency').select('id')
      .where('id', '=', agencyId).executeTakeFirst();
    if (agency === undefined) return 'AGENCY_ONBOARDING_AGENCY_NOT_FOUND' as const;
    if (!await insertServiceInTrx(trx, { id: serviceId, agencyId, slug,
      details: details.value, now })) {
      return 'AGENCY_ONBOARDING_SLUG_TAKEN' as const;
    }
    await recordAuditInTrx(trx, { action: 'SERVICE_CREATED', actor: auditActorOf(actor),
      subject: { type: 'service', id: serviceId }, agencyId,
      detail: { slug, status: 'sandbox', hasForm: details.value.formSchema !== null } }, now);
    return undefined;
  });
  return created === undefined ? ok({ serviceId, slug }) : err(failure(created));
}

async function withLockedService<T>(deps: OnboardingDeps, actor: StaffActor,
  ids: Readonly<{ agencyId: string; serviceId: string }>,
  work: (trx: Database, service: StaffService, now: Date) =>
  Promise<Result<T, ServiceFailure>>): Promise<Result<T, ServiceFailure>> {
  if (!managesAgency(actor, ids.agencyId) || !isUuid(ids.serviceId)) {
    return err(failure('AGENCY_ONBOARDING_SERVICE_NOT_FOUND'));
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const service = await lockStaffServiceInTrx(trx, ids.agencyId, ids.serviceId);
    if (service === undefined) return err(failure('AGENCY_ONBOARDING_SERVICE_NOT_FOUND'));
    return work(trx, service, now);
  });
}

/**
 * Edits a service's details (not its fee, status or address), audited SERVICE_UPDATED with
 * the names of the fields that changed.
 * @returns err AGENCY_ONBOARDING_SERVICE_NOT_FOUND, AGENCY_ONBOARDING_FORM_INVALID,
 *   AGENCY_ONBOARDING_FORM_SCHEMA_INVALID.
 */
export async function updateService(deps: OnboardingDeps, actor: StaffActor,
  ids: Readonly<{ agencyId: string; serviceId: string }>, post: ServicePost):
  Promise<Result<{ changed: readonly string[] }, ServiceFailure>> {
  const details = readDetails(post);
  if (!details.ok) {
    return managesAgency(actor, ids.agencyId) ? details
      : err(failure('AGENCY_ONBOARDING_SERVICE_NOT_FOUND'));
  }
  return withLockedService(deps, actor, ids, async (trx, service, now) => {
    const changed = (Object.keys(details.value) as (keyof ServiceDetails)[]).filter((key) =>
      JSON.stringify(details.value[key]) !== JSON.stringify(service[key]));
    await updateServiceInTrx(trx, service.id, details.value, now);
    await recordAuditInTrx(trx, { action: 'SERVICE_UPDATED', actor: auditActorOf(actor),
      subject: { type: 'service', id: service.id }, agencyId: service.agencyId,
      detail: { changed: changed.join(',') } }, now);
    return ok({ changed });
  });
}

/**
 * Moves a sandbox service live (shown and payable from then on), audited SERVICE_WENT_LIVE.
 * @returns err AGENCY_ONBOARDING_SERVICE_NOT_FOUND, AGENCY_ONBOARDING_NOT_SANDBOX,
 *   AGENCY_ONBOARDING_LIVE_NEEDS_FEE (no fee in force today, Kenya time),
 *   AGENCY_ONBOARDING_LIVE_NEEDS_FORM.
 */
export async function makeServiceLive(deps: OnboardingDeps, actor: StaffActor,
  ids: Readonly<{ agencyId: string; serviceId: string }>):
  Promise<Result<{ serviceId: string }, ServiceFailure>> {
  return withLockedService(deps, actor, ids, async (trx, service, now) => {
    const refusal = decideGoLive(service,
      await hasFeeInForceInTrx(trx, service.id, kenyanDate(now)));
    if (refusal !== undefined) return err(failure(refusal));
    await setServiceStatusInTrx(trx, service.id, 'live', now);
    await recordAuditInTrx(trx, { action: 'SERVICE_WENT_LIVE', actor: auditActorOf(actor),
      subject: { type: 'service', id: service.id }, agencyId: service.agencyId,
      detail: { from: 'sandbox', to: 'live' } }, now);
    return ok({ serviceId: service.id });
  });
}
