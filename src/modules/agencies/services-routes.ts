/**
 * The onboarding pages for an agency's services, for who holds catalogue.manage (the agency's
 * administrator for their agency, platform administrators for any; another agency's service is
 * simply not found): create a service (in the sandbox), edit it, move it live, propose a fee
 * change, and approve or reject one someone else proposed. Every id is checked to be a uuid
 * before it reaches SQL; a form with problems is drawn again with them, otherwise a 303 leads
 * to the service's page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { agencyScopeOf, csrfField } from '#modules/authorisation/index.ts';
import { findStaffService, listFeeVersions } from '#modules/catalogue/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { findFeeChange, listFeeChanges } from './fee-change-repo.ts';
import {
  approveFeeChange,
  proposeFeeChange,
  rejectFeeChange,
  type FeeChangeFailure,
} from './fee-change-service.ts';
import { onboardingErrors } from './onboarding-errors.ts';
import {
  FormPost,
  listField,
  NoticeQuery,
  noticeKey,
  staffOf,
  textFields,
} from './onboarding-routes.ts';
import { findAgencyDetail } from './onboarding-service.ts';
import { onboardingDb } from './onboarding-tables.ts';
import { blankForm, nameIn, onboardingPaths, type FormView } from './onboarding-view-parts.ts';
import {
  createService,
  makeServiceLive,
  managesAgency,
  updateService,
  type ServiceFailure,
} from './services-service.ts';
import { renderNewServicePage, renderServicePage, serviceFormValues } from './services-views.ts';

const changesShownMax = 50;
const AgencyParams = Type.Object({ agencyId: Type.String({ maxLength: 36 }) });
const ServiceParams = Type.Object({ agencyId: Type.String({ maxLength: 36 }),
  serviceId: Type.String({ maxLength: 36 }) });
const ChangeParams = Type.Object({ agencyId: Type.String({ maxLength: 36 }),
  changeId: Type.String({ maxLength: 36 }) });
type Ids = Readonly<{ agencyId: string; serviceId: string }>;
type Body = Readonly<Record<string, string | readonly string[]>>;

function problemOf(failure: ServiceFailure | FeeChangeFailure, values: FormView['values']):
FormView {
  return { values, errors: failure.fields ?? {}, problem: {
    messageKey: `agencies.onboarding.error.${failure.code}`, detail: failure.detail } };
}

/** The service's page, with the edit and fee forms as given (blank: as stored). */
async function showService(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  ids: Ids, view: Readonly<{ form?: FormView; feeForm?: FormView; notice?: string | undefined;
    status?: number }>) {
  const actor = staffOf(request);
  const service = managesAgency(actor, ids.agencyId) && isUuid(ids.serviceId)
    ? await findStaffService(deps.db, ids.agencyId, ids.serviceId) : undefined;
  if (service === undefined) return reply.callNotFound();
  const versions = await listFeeVersions(deps.db, service.id);
  const changes = await listFeeChanges(onboardingDb(deps.db), { agencyId: ids.agencyId,
    serviceId: service.id }, changesShownMax);
  return sendHtml(reply.header('cache-control', 'no-store'), renderServicePage(
    request.pageContext(), { agencyId: ids.agencyId, service, versions, changes,
      viewerStaffId: actor.staffId, form: view.form ?? { values: serviceFormValues(service),
        errors: {} }, feeForm: view.feeForm ?? blankForm, csrf: csrfField(request),
      notice: view.notice }), view.status ?? 200);
}

async function showNewService(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  agencyId: string, form: FormView, status = 200) {
  const detail = await findAgencyDetail(deps, agencyScopeOf(staffOf(request)), agencyId);
  if (detail === undefined) return reply.callNotFound();
  return sendHtml(reply.header('cache-control', 'no-store'), renderNewServicePage(
    request.pageContext(), { agencyId, agencyName: nameIn(request.pageContext(), detail.agency),
      form, csrf: csrfField(request) }), status);
}

const servicePost = (body: Body) => ({ fields: textFields(body),
  eligibleAccountTypes: listField(body, 'eligibleAccountTypes') });
const postedValues = (body: Body): FormView['values'] => ({ ...textFields(body),
  eligibleAccountTypes: listField(body, 'eligibleAccountTypes') });

async function serviceRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const managers = { access: { permission: 'catalogue.manage' as const } };
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.get(onboardingPaths.newServicePattern, { config: managers,
    schema: { hide: true, params: AgencyParams } },
  async (request, reply) => showNewService(deps, request, reply, request.params.agencyId,
    { values: { deliveryMode: 'online', eligibleAccountTypes: ['citizen', 'resident'] },
      errors: {} }));

  typed.post(onboardingPaths.servicesPattern, { config: managers,
    schema: { hide: true, params: AgencyParams, body: FormPost } }, async (request, reply) => {
    const { agencyId } = request.params;
    const created = await createService(deps, staffOf(request), agencyId,
      servicePost(request.body));
    if (created.ok) {
      return reply.redirect(`${onboardingPaths.service(agencyId, created.value.serviceId)
      }?notice=created`, 303);
    }
    if (created.error.code === 'AGENCY_ONBOARDING_AGENCY_NOT_FOUND') return reply.callNotFound();
    return showNewService(deps, request, reply, agencyId,
      problemOf(created.error, postedValues(request.body)),
      onboardingErrors[created.error.code].status);
  });

  typed.get(onboardingPaths.servicePattern, { config: managers,
    schema: { hide: true, params: ServiceParams, querystring: NoticeQuery } },
  async (request, reply) => showService(deps, request, reply, request.params,
    { notice: noticeKey(request.query.notice) }));

  typed.post(onboardingPaths.servicePattern, { config: managers,
    schema: { hide: true, params: ServiceParams, body: FormPost } }, async (request, reply) => {
    const ids = request.params;
    const updated = await updateService(deps, staffOf(request), ids, servicePost(request.body));
    if (updated.ok) {
      return reply.redirect(`${onboardingPaths.service(ids.agencyId, ids.serviceId)
      }?notice=saved`, 303);
    }
    if (updated.error.code === 'AGENCY_ONBOARDING_SERVICE_NOT_FOUND') return reply.callNotFound();
    return showService(deps, request, reply, ids, { form: problemOf(updated.error,
      postedValues(request.body)), status: onboardingErrors[updated.error.code].status });
  });

  typed.post(onboardingPaths.livePattern, { config: managers,
    schema: { hide: true, params: ServiceParams } }, async (request, reply) => {
    const ids = request.params;
    const live = await makeServiceLive(deps, staffOf(request), ids);
    if (live.ok) {
      return reply.redirect(`${onboardingPaths.service(ids.agencyId, ids.serviceId)
      }?notice=live`, 303);
    }
    if (live.error.code === 'AGENCY_ONBOARDING_SERVICE_NOT_FOUND') return reply.callNotFound();
    return showService(deps, request, reply, ids, { form: undefined,
      notice: `agencies.onboarding.error.${live.error.code}`,
      status: onboardingErrors[live.error.code].status });
  });
}

async function feeChangeRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const managers = { access: { permission: 'catalogue.manage' as const } };
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post(onboardingPaths.feeChangesPattern, { config: managers,
    schema: { hide: true, params: ServiceParams, body: FormPost } }, async (request, reply) => {
    const ids = request.params;
    const fields = textFields(request.body);
    const proposed = await proposeFeeChange(deps, staffOf(request), { ...ids, fields });
    if (proposed.ok) {
      return reply.redirect(`${onboardingPaths.service(ids.agencyId, ids.serviceId)
      }?notice=proposed`, 303);
    }
    if (proposed.error.code === 'AGENCY_ONBOARDING_SERVICE_NOT_FOUND') {
      return reply.callNotFound();
    }
    return showService(deps, request, reply, ids, { feeForm: problemOf(proposed.error, fields),
      status: onboardingErrors[proposed.error.code].status });
  });

  const decide = (approve: boolean) => async (request: FastifyRequest<{
    Params: { agencyId: string; changeId: string }; Body: Body | undefined }>,
  reply: FastifyReply) => {
    const { agencyId, changeId } = request.params;
    const actor = staffOf(request);
    const decided = approve ? await approveFeeChange(deps, actor, { agencyId, changeId })
      : await rejectFeeChange(deps, actor, { agencyId, changeId,
        reason: textFields(request.body ?? {}).reason ?? '' });
    if (!decided.ok && decided.error.code === 'AGENCY_FEE_CHANGE_NOT_FOUND') {
      return reply.callNotFound();
    }
    const change = await findFeeChange(onboardingDb(deps.db), agencyScopeOf(actor), changeId);
    if (change === undefined) return reply.callNotFound();
    const ids = { agencyId, serviceId: change.serviceId };
    if (decided.ok) {
      return reply.redirect(`${onboardingPaths.service(agencyId, change.serviceId)}?notice=${
        approve ? 'approved' : 'rejected'}`, 303);
    }
    return showService(deps, request, reply, ids, {
      notice: `agencies.onboarding.error.${decided.error.code}`,
      status: onboardingErrors[decided.error.code].status });
  };
  typed.post(onboardingPaths.approvePattern, { config: managers,
    schema: { hide: true, params: ChangeParams } }, decide(true));
  typed.post(onboardingPaths.rejectPattern, { config: managers,
    schema: { hide: true, params: ChangeParams, body: Type.Optional(FormPost) } }, decide(false));
}

export async function servicesRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  await serviceRoutes(app, deps);
  await feeChangeRoutes(app, deps);
}
