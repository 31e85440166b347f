/**
 * Staff pages: sign-in with password and authenticator code, the staff home, staff lists and
 * appointments (agency-scoped in the query: another agency's staff are simply not found), and
 * the audited account lookup.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  agencyScopeOf,
  grantableRoles,
  hasPermission,
  type StaffActor,
} from '#modules/authorisation/index.ts';
import type { Failure } from '#platform/errors/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { renderPageSections, sendHtml } from '#web/index.ts';
import { messagePage } from './account-views.ts';
import { emptyForm } from './form-views.ts';
import { identityDb, type IdentityDeps } from './identity-deps.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import { identityPaths } from './identity-paths.ts';
import { lookUpAccountByDocument } from './personal-data-service.ts';
import {
  cookieJar,
  field,
  formAfter,
  formBody,
  returnPathOf,
  returnQuery,
  signInRateLimit,
  sourceOf,
  statusOf,
  viewOf,
  type FormBody,
} from './route-support.ts';
import { completeEnrolment, openEnrolment } from './staff-enrolment-service.ts';
import { signInStaff } from './staff-sign-in-service.ts';
import {
  agencyExistsInScope,
  agencyNamesOf,
  findStaffById,
  listAgenciesInScope,
  listStaffInScope,
} from './staff-repo.ts';
import {
  appointStaff,
  changeStaffRole,
  changeStaffStatus,
  findStaffForActor,
} from './staff-service.ts';
import {
  accountLookupPage,
  enrolmentPage,
  newStaffPage,
  staffAppointedPage,
  staffHomePage,
  staffListPage,
  staffPersonPage,
  staffSignInPage,
} from './staff-views.ts';

type FormRequest = FastifyRequest<{ Body: FormBody; Querystring: { return?: string } }>;
type PersonRequest = FastifyRequest<{ Params: { staffId: string }; Body: FormBody }>;

const staffPageSize = 200;
const agencyChoicesMax = 500;
const personParams = {
  type: 'object', properties: { staffId: { type: 'string', maxLength: 36 } },
  required: ['staffId'],
} as const;

/** The route's permission guarantees a member of staff; anything else is a bug. */
function staffActor(request: FastifyRequest): StaffActor {
  const actor = request.actor;
  if (actor?.kind !== 'staff') throw new Error('staff routes need a member of staff');
  return actor;
}

export async function staffRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const cookies = cookieJar(deps.config.cookieSecure);
  const db = identityDb(deps);

  app.get(identityPaths.staffSignIn, {
    config: { access: 'public' },
    schema: { hide: true, querystring: { type: 'object', properties: {
      ...returnQuery.properties, notice: { type: 'string', maxLength: 40 } } } },
  }, async (request: FastifyRequest<{ Querystring: { return?: string; notice?: string } }>,
    reply) => sendHtml(reply, staffSignInPage(viewOf(request), emptyForm,
    returnPathOf(request, identityPaths.staffHome),
    request.query.notice === 'enrolled' ? 'identity.staffSignIn.notice.enrolled' : undefined)));

  app.post(identityPaths.staffSignIn, {
    config: { access: 'public', ...signInRateLimit },
    schema: { hide: true, body: formBody(['email', 'password', 'totpCode']),
      querystring: returnQuery },
  }, async (request: FormRequest, reply) => {
    const returnTo = returnPathOf(request, identityPaths.staffHome);
    const previous = cookies.session(request);
    const signedIn = await signInStaff(deps, {
      email: field(request.body, 'email'), password: field(request.body, 'password'),
      totpCode: field(request.body, 'totpCode'),
    }, { ...sourceOf(request), ...(previous === undefined ? {} : {
      previousSessionToken: previous }) });
    if (!signedIn.ok) {
      return sendHtml(reply, staffSignInPage(viewOf(request),
        formAfter({ email: field(request.body, 'email') }, signedIn.error), returnTo),
      statusOf(signedIn.error.code));
    }
    cookies.setSession(reply, signedIn.value.token);
    cookies.setDevice(reply, signedIn.value.deviceTokens);
    return reply.redirect(returnTo, 303);
  });

  app.get(identityPaths.staffHome, {
    config: { access: { permission: 'staff.self' } }, schema: { hide: true },
  }, async (request, reply) => {
    const actor = staffActor(request);
    const me = await findStaffById(db, actor.staffId);
    if (me === undefined) throw new Error('a live staff session names a member of staff');
    const panels = await renderPageSections(request, 'staffHome');
    return sendHtml(reply, staffHomePage(viewOf(request), me, {
      people: hasPermission(actor, 'agency.staff.read'),
      accounts: hasPermission(actor, 'accounts.read'),
    }, panels));
  });

  app.get(identityPaths.accountLookup, {
    config: { access: { permission: 'accounts.read' } },
    schema: { hide: true, querystring: formBody(['documentType', 'documentNumber']) },
  }, async (request: FastifyRequest<{ Querystring: FormBody }>, reply) => {
    const query = request.query;
    if (query.documentNumber === undefined) {
      return sendHtml(reply, accountLookupPage(viewOf(request), emptyForm, undefined));
    }
    const found = await lookUpAccountByDocument(deps, staffActor(request), {
      documentType: field(query, 'documentType'), documentNumber: field(query, 'documentNumber'),
    }, request.ip);
    if (!found.ok) {
      return sendHtml(reply, accountLookupPage(viewOf(request), formAfter(query, found.error),
        undefined), statusOf(found.error.code));
    }
    return sendHtml(reply, accountLookupPage(viewOf(request),
      { values: query as Record<string, string>, errors: {} }, found.value));
  });

  await peopleRoutes(app, deps);
  await personChangeRoutes(app, deps);
  await enrolmentRoutes(app, deps);
}

async function peopleRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const db = identityDb(deps);
  const read = { access: { permission: 'agency.staff.read' } } as const;
  const manage = { access: { permission: 'agency.staff.manage' } } as const;
  const agencyChoices = async (actor: StaffActor) => actor.role === 'agency-admin' ? null
    : listAgenciesInScope(db, agencyScopeOf(actor), agencyChoicesMax);

  app.get(identityPaths.staffPeople, { config: read, schema: { hide: true } },
    async (request, reply) => {
      const actor = staffActor(request);
      const people = await listStaffInScope(db, agencyScopeOf(actor),
        { limit: staffPageSize, offset: 0 });
      return sendHtml(reply, staffListPage(viewOf(request), people,
        { canAppoint: hasPermission(actor, 'agency.staff.manage') }));
    });

  // ?agencyId=&role= pre-select the form (the onboarding page links here to appoint a new
  // agency's administrator); a chosen agency in scope is offered even past the list's limit.
  app.get(identityPaths.staffNew, { config: manage,
    schema: { hide: true, querystring: formBody(['agencyId', 'role']) } },
  async (request: FastifyRequest<{ Querystring: FormBody }>, reply) => {
    const actor = staffActor(request);
    const chosen = field(request.query, 'agencyId');
    let agencies = await agencyChoices(actor);
    if (agencies !== null && isUuid(chosen) && !agencies.some((a) => a.id === chosen) &&
      await agencyExistsInScope(db, agencyScopeOf(actor), chosen)) {
      const name = (await agencyNamesOf(db, [chosen])).get(chosen) ?? chosen;
      agencies = [{ id: chosen, name }, ...agencies];
    }
    const values = { agencyId: chosen, role: field(request.query, 'role') };
    return sendHtml(reply, newStaffPage(viewOf(request), { values, errors: {} }, {
      grantable: grantableRoles(actor.role), agencies,
    }));
  });

  app.post(identityPaths.staffPeople, {
    config: manage,
    schema: { hide: true, body: formBody(['email', 'displayName', 'role', 'agencyId']) },
  }, async (request: FormRequest, reply) => {
    const actor = staffActor(request);
    const agencyId = field(request.body, 'agencyId');
    const created = await appointStaff(deps, actor, {
      email: field(request.body, 'email'), displayName: field(request.body, 'displayName'),
      role: field(request.body, 'role'), agencyId: agencyId === '' ? null : agencyId,
    }, { address: request.ip });
    if (!created.ok) {
      return sendHtml(reply, newStaffPage(viewOf(request), formAfter(request.body,
        created.error), { grantable: grantableRoles(actor.role),
        agencies: await agencyChoices(actor) }), statusOf(created.error.code));
    }
    return sendHtml(reply, staffAppointedPage(viewOf(request), created.value), 201);
  });

  app.get('/staff/people/:staffId', {
    config: read, schema: { hide: true, params: personParams },
  }, async (request: PersonRequest, reply) => {
    const actor = staffActor(request);
    const person = await findStaffForActor(deps, actor, request.params.staffId);
    if (!person.ok) return sendHtml(reply, staffNotFound(request), 404);
    return sendHtml(reply, staffPersonPage(viewOf(request), person.value, {
      grantable: hasPermission(actor, 'agency.staff.manage') &&
        person.value.id !== actor.staffId ? grantableRoles(actor.role) : [],
      form: emptyForm,
    }));
  });

}

/** A member of staff's role and access (deactivate, reactivate). */
async function personChangeRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const manage = { access: { permission: 'agency.staff.manage' } } as const;
  /** A refused change: the person's page again, with the reason; 404 outside the scope. */
  const refused = async (request: PersonRequest, reply: FastifyReply,
    error: Failure<IdentityErrorCode>) => {
    const actor = staffActor(request);
    const person = error.code === 'IDENTITY_STAFF_NOT_FOUND' ? undefined
      : await findStaffForActor(deps, actor, request.params.staffId);
    if (person === undefined || !person.ok) return sendHtml(reply, staffNotFound(request), 404);
    return sendHtml(reply, staffPersonPage(viewOf(request), person.value, {
      grantable: grantableRoles(actor.role), form: formAfter(request.body, error),
    }), statusOf(error.code));
  };

  app.post('/staff/people/:staffId/role', {
    config: manage, schema: { hide: true, params: personParams, body: formBody(['role']) },
  }, async (request: PersonRequest, reply) => {
    const changed = await changeStaffRole(deps, staffActor(request), request.params.staffId,
      field(request.body, 'role'), { address: request.ip });
    if (!changed.ok) return refused(request, reply, changed.error);
    return reply.redirect(identityPaths.staffPerson(request.params.staffId), 303);
  });

  app.post('/staff/people/:staffId/status', {
    config: manage, schema: { hide: true, params: personParams, body: formBody(['status']) },
  }, async (request: PersonRequest, reply) => {
    const changed = await changeStaffStatus(deps, staffActor(request), request.params.staffId,
      field(request.body, 'status'), { address: request.ip });
    if (!changed.ok) return refused(request, reply, changed.error);
    return reply.redirect(identityPaths.staffPerson(request.params.staffId), 303);
  });
}

function staffNotFound(request: FastifyRequest): string {
  return messagePage(request.pageContext(), {
    titleKey: 'identity.problem.IDENTITY_STAFF_NOT_FOUND',
    link: { href: identityPaths.staffPeople, labelKey: 'identity.staff.backToPeople' },
  });
}

async function enrolmentRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  type EnrolRequest = FastifyRequest<{ Params: { token: string }; Body: FormBody }>;
  const params = {
    type: 'object', properties: { token: { type: 'string', maxLength: 64 } },
    required: ['token'],
  } as const;
  const linkNotValid = (request: FastifyRequest) => messagePage(request.pageContext(), {
    titleKey: 'identity.problem.IDENTITY_ENROLMENT_NOT_FOUND',
    bodyKey: 'identity.enrol.askAgain',
    link: { href: identityPaths.staffSignIn, labelKey: 'identity.staffSignIn.title' },
  });

  app.get('/staff/enrol/:token', {
    config: { access: 'public' }, schema: { hide: true, params },
  }, async (request: EnrolRequest, reply) => {
    const opened = await openEnrolment(deps, request.params.token);
    if (!opened.ok) return sendHtml(reply, linkNotValid(request), 404);
    return sendHtml(reply, enrolmentPage(viewOf(request), emptyForm, {
      action: identityPaths.staffEnrol(request.params.token), enrolment: opened.value,
    }));
  });

  app.post('/staff/enrol/:token', {
    config: { access: 'public', ...signInRateLimit },
    schema: { hide: true, params, body: formBody(['password', 'totpCode']) },
  }, async (request: EnrolRequest, reply) => {
    const token = request.params.token;
    const enrolled = await completeEnrolment(deps, token, {
      password: field(request.body, 'password'), totpCode: field(request.body, 'totpCode'),
    }, sourceOf(request));
    if (enrolled.ok) return reply.redirect(`${identityPaths.staffSignIn}?notice=enrolled`, 303);
    const opened = await openEnrolment(deps, token);
    if (!opened.ok) return sendHtml(reply, linkNotValid(request), 404);
    return sendHtml(reply, enrolmentPage(viewOf(request), formAfter({}, enrolled.error), {
      action: identityPaths.staffEnrol(token), enrolment: opened.value,
    }), statusOf(enrolled.error.code));
  });
}
