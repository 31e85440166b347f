/**
 * The onboarding pages for agencies: /staff/agencies (platform administrators, who hold
 * agency.onboard: the list and the new-agency form), an agency's page (catalogue.manage: its
 * administrator for their agency, platform administrators for any; another agency's is simply
 * not found), and /staff/agency-services, the staff header's way to one's own agency. Every id
 * reaching SQL is checked to be a uuid first; forms post with their CSRF token and answer with
 * a 303 to the page that shows the result.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  agencyScopeOf,
  csrfField,
  type Actor,
  type StaffActor,
} from '#modules/authorisation/index.ts';
import {
  cataloguePageMax,
  listAgencies,
  listMinistryChoices,
  listStaffServices,
} from '#modules/catalogue/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { listFeeChanges } from './fee-change-repo.ts';
import { onboardingErrors } from './onboarding-errors.ts';
import { createAgency, findAgencyDetail } from './onboarding-service.ts';
import { onboardingDb } from './onboarding-tables.ts';
import { blankForm, onboardingPaths, type FormView } from './onboarding-view-parts.ts';
import { renderAgenciesPage, renderAgencyPage } from './onboarding-views.ts';
import { agencyFormFields } from './onboarding-rules.ts';

const agenciesPageSize = 50;
const choicesMax = 1000;
const servicesShownMax = 200;
const changesShownMax = 50;

export const FormPost = Type.Record(Type.String({ maxLength: 40 }), Type.Union([
  Type.String({ maxLength: 100_000 }), Type.Array(Type.String({ maxLength: 200 }),
    { maxItems: 10 })]));
const AgencyParams = Type.Object({ agencyId: Type.String({ maxLength: 36 }) });
const ListQuery = Type.Object({ page: Type.Optional(Type.String({ maxLength: 6 })) });
export const noticeKeys = ['created', 'saved', 'live', 'proposed', 'approved', 'rejected'] as const;
export const NoticeQuery = Type.Object({ notice: Type.Optional(Type.Union(
  noticeKeys.map((key) => Type.Literal(key)))) });

export function staffOf(request: FastifyRequest): StaffActor {
  const actor: Actor | undefined = request.actor;
  if (actor?.kind !== 'staff') throw new Error('a signed-in member of staff is required');
  return actor;
}

/** The posted text fields (the first of any repeated one); lists come by name. */
export function textFields(body: Readonly<Record<string, string | readonly string[]>>):
Record<string, string> {
  return Object.fromEntries(Object.entries(body).map(([name, value]) =>
    [name, typeof value === 'string' ? value : value[0] ?? '']));
}

export function listField(body: Readonly<Record<string, string | readonly string[]>>,
  name: string): readonly string[] {
  const value = body[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

export function noticeKey(notice: string | undefined): string | undefined {
  return notice === undefined ? undefined : `agencies.onboarding.notice.${notice}`;
}

async function showAgencies(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  form: FormView, page: number, status = 200) {
  const agencies = await listAgencies(deps, {}, { page, pageSize: agenciesPageSize });
  const choices = await listMinistryChoices(deps.db, choicesMax);
  return sendHtml(reply.header('cache-control', 'no-store'), renderAgenciesPage(
    request.pageContext(), { agencies: agencies.items, total: agencies.total, page,
      pageSize: agenciesPageSize, ministries: choices.ministries,
      departments: choices.departments, form, csrf: csrfField(request) }), status);
}

async function showAgency(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  agencyId: string, notice: string | undefined) {
  const actor = staffOf(request);
  const detail = await findAgencyDetail(deps, agencyScopeOf(actor), agencyId);
  if (detail === undefined) return reply.callNotFound();
  const services = await listStaffServices(deps.db, agencyId, servicesShownMax);
  const pendingChanges = await listFeeChanges(onboardingDb(deps.db),
    { agencyId, pendingOnly: true }, changesShownMax);
  const appoint = actor.role === 'platform-admin' ? 'agency-admin' as const
    : actor.role === 'agency-admin' ? 'agency-officer' as const : undefined;
  return sendHtml(reply.header('cache-control', 'no-store'), renderAgencyPage(
    request.pageContext(), { detail, services, pendingChanges, appoint,
      viewerStaffId: actor.staffId, csrf: csrfField(request), notice: noticeKey(notice) }));
}

export async function onboardingRoutes(scope: FastifyInstance, deps: ModuleDeps):
Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const onboarders = { access: { permission: 'agency.onboard' as const } };
  const managers = { access: { permission: 'catalogue.manage' as const } };

  app.get(onboardingPaths.agencies, { config: onboarders,
    schema: { hide: true, querystring: ListQuery } }, async (request, reply) => {
    const asked = Number.parseInt(request.query.page ?? '1', 10);
    const page = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, cataloguePageMax) : 1;
    return showAgencies(deps, request, reply, blankForm, page);
  });

  app.post(onboardingPaths.agencies, { config: onboarders,
    schema: { hide: true, body: FormPost } }, async (request, reply) => {
    const fields = textFields(request.body);
    const created = await createAgency(deps, staffOf(request), fields);
    if (created.ok) {
      return reply.redirect(`${onboardingPaths.agency(created.value.agencyId)}?notice=created`,
        303);
    }
    const values = Object.fromEntries(agencyFormFields.map((name) => [name, fields[name] ?? '']));
    return showAgencies(deps, request, reply, { values, errors: created.error.fields ?? {},
      problem: { messageKey: `agencies.onboarding.error.${created.error.code}` } }, 1,
    onboardingErrors[created.error.code].status);
  });

  app.get(onboardingPaths.agencyPattern, { config: managers,
    schema: { hide: true, params: AgencyParams, querystring: NoticeQuery } },
  async (request, reply) => showAgency(deps, request, reply, request.params.agencyId,
    request.query.notice));

  app.get(onboardingPaths.myServices, { config: managers, schema: { hide: true } },
    async (request, reply) => {
      const scope = agencyScopeOf(staffOf(request));
      return reply.redirect(scope === 'all' ? onboardingPaths.agencies
        : onboardingPaths.agency(scope), 303);
    });
}
