/**
 * The agent's routes under /staff/assisted, for who holds assisted.serve (the assisted-agent
 * role). Forms answer with the page and its problem (the status of the error), or redirect on
 * success (post, redirect, get), so they work with JavaScript off. Every session and bill is
 * looked up as this agent's own: another agent's id finds nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { csrfField, type StaffActor } from '#modules/authorisation/index.ts';
import { firstPageId } from '#modules/applications/index.ts';
import { paymentsErrors, stkDepsFor } from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { ProblemError } from '#platform/http/index.ts';
import { sendHtml } from '#web/index.ts';
import { renderAgentHome, renderBillPage, renderCodePage,
  renderSessionPage } from './agent-views.ts';
import { assistedErrors, type AssistedErrorCode } from './assisted-errors.ts';
import { assistedPaths } from './assisted-paths.ts';
import { assistedBill, makeAssistedBill, promptCitizen } from './assisted-payment-service.ts';
import { assistedApplication,
  startAssistedApplication } from './assisted-application-service.ts';
import { assistedDb } from './assisted-tables.ts';
import { listAssistedBills } from './bill-listing.ts';
import { findCitizenById } from './citizen-lookup.ts';
import { confirmConsent, endSession, findAgentConsent, liveSession, registeredAgent,
  requestConsent } from './consent-service.ts';
import { agentBillsSection } from './list-views.ts';
import { applicationRoutes } from './application-routes.ts';

const agents = { access: { permission: 'assisted.serve' as const } };
const Text = (maxLength: number) => Type.String({ maxLength });
const SessionParams = Type.Object({ sessionId: Text(36) });
const BillParams = Type.Object({ sessionId: Text(36), billId: Text(36) });
const BillQuery = Type.Object({ notice: Type.Optional(Type.Literal('prompted')) });

function agentOf(request: FastifyRequest): StaffActor {
  const actor = request.actor;
  if (actor?.kind !== 'staff') throw new ProblemError({ code: 'AUTHORISATION_PERMISSION_DENIED' });
  return actor;
}

function statusOf(code: string): number {
  return (assistedErrors as Readonly<Record<string, { status: number }>>)[code]?.status ??
    (paymentsErrors as Readonly<Record<string, { status: number }>>)[code]?.status ?? 409;
}

function sessionGone(code: AssistedErrorCode): never {
  throw new ProblemError({ code });
}

/** The first page of an application the agent just started. */
async function firstPage(deps: ModuleDeps, request: FastifyRequest, sessionId: string,
  id: string): Promise<string> {
  const found = await assistedApplication(deps, agentOf(request), sessionId, id,
    deps.clock.now());
  if (!found.ok) return sessionGone(found.error.code);
  return assistedPaths.applicationPage(sessionId, id,
    firstPageId(found.value.draft.form, found.value.draft.answers));
}

export async function agentRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  await consentRoutes(scope, deps);
  await sessionRoutes(scope, deps);
  await applicationRoutes(scope, deps);
}

/** Serve a citizen: find them, send the code, enter the code. */
function consentRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const home = async (request: FastifyRequest, reply: FastifyReply,
    extra: Readonly<{ code?: string; citizen?: string; notice?: string }> = {}) => {
    const agent = agentOf(request);
    const registered = await registeredAgent(deps, agent);
    const recent = registered.ok ? agentBillsSection(request.pageContext(),
      await listAssistedBills(deps, { agentStaffId: agent.staffId })) : undefined;
    return sendHtml(reply.header('cache-control', 'no-store'), renderAgentHome(
      request.pageContext(), { agent: registered.ok ? registered.value : undefined,
        csrf: csrfField(request), ...extra, ...(recent === undefined ? {} : { recent }) }),
    extra.code === undefined ? 200 : statusOf(extra.code));
  };

  app.get(assistedPaths.agentHome, { config: agents, schema: { hide: true,
    querystring: Type.Object({ notice: Type.Optional(Type.Literal('ended')) }) } },
  async (request, reply) => home(request, reply, request.query.notice === undefined ? {}
    : { notice: 'assisted.notice.ended' }));

  app.post(assistedPaths.consents, { config: agents,
    schema: { hide: true, body: Type.Object({ citizen: Text(40) }) } }, async (request, reply) => {
    const requested = await requestConsent(deps, { agent: agentOf(request),
      citizen: request.body.citizen, now: deps.clock.now(), sourceAddress: request.ip });
    if (!requested.ok) {
      return home(request, reply, { code: requested.error.code, citizen: request.body.citizen });
    }
    return reply.redirect(assistedPaths.consent(requested.value.consentId), 303);
  });

  const codePage = async (request: FastifyRequest, reply: FastifyReply, consentId: string,
    code?: AssistedErrorCode, left?: string) => {
    const consent = await findAgentConsent(deps, agentOf(request), consentId);
    if (consent === undefined) return sessionGone('ASSISTED_CONSENT_NOT_FOUND');
    const citizen = await findCitizenById(assistedDb(deps.db), consent.citizen_account_id);
    return sendHtml(reply.header('cache-control', 'no-store'), renderCodePage(
      request.pageContext(), { consentId, phoneEnding: citizen?.phone?.slice(-3) ?? '',
        csrf: csrfField(request), code, params: { left: left ?? '' } }),
    code === undefined ? 200 : statusOf(code));
  };

  app.get(assistedPaths.consentPattern, { config: agents,
    schema: { hide: true, params: Type.Object({ consentId: Text(36) }) } },
  async (request, reply) => codePage(request, reply, request.params.consentId));

  app.post(assistedPaths.consentPattern, { config: agents, schema: { hide: true,
    params: Type.Object({ consentId: Text(36) }), body: Type.Object({ code: Text(20) }) } },
  async (request, reply) => {
    const confirmed = await confirmConsent(deps, { agent: agentOf(request),
      consentId: request.params.consentId, code: request.body.code, now: deps.clock.now(),
      sourceAddress: request.ip });
    if (!confirmed.ok) {
      if (confirmed.error.code === 'ASSISTED_CONSENT_NOT_FOUND') {
        return sessionGone(confirmed.error.code);
      }
      return codePage(request, reply, request.params.consentId, confirmed.error.code,
        confirmed.error.detail);
    }
    return reply.redirect(assistedPaths.session(confirmed.value.sessionId), 303);
  });
  return Promise.resolve();
}

/** In a session: make a bill, see it, prompt the citizen's phone, end. */
function sessionRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const stk = { ...deps, ...stkDepsFor(deps) };
  const sessionPage = async (request: FastifyRequest, reply: FastifyReply, sessionId: string,
    extra: Readonly<{ code?: string; params?: Record<string, string>; service?: string;
      agentFee?: string }> = {}) => {
    const session = await liveSession(deps, agentOf(request), sessionId, deps.clock.now());
    if (!session.ok) return sessionGone(session.error.code);
    return sendHtml(reply.header('cache-control', 'no-store'), renderSessionPage(
      request.pageContext(), { session: session.value, csrf: csrfField(request),
        requestKey: uuidv7(), ...extra }), extra.code === undefined ? 200 : statusOf(extra.code));
  };

  app.get(assistedPaths.sessionPattern, { config: agents,
    schema: { hide: true, params: SessionParams } },
  async (request, reply) => sessionPage(request, reply, request.params.sessionId));

  app.post(assistedPaths.billsPattern, { config: agents, schema: { hide: true,
    params: SessionParams,
    body: Type.Object({ service: Text(200), agentFee: Text(20), requestKey: Text(36) }) } },
  async (request, reply) => {
    const { sessionId } = request.params;
    const input = { agent: agentOf(request), sessionId, agentFee: request.body.agentFee,
      requestKey: request.body.requestKey, now: deps.clock.now() };
    const made = await makeAssistedBill(deps, { ...input, service: request.body.service });
    if (made.ok) return reply.redirect(assistedPaths.bill(sessionId, made.value.billId), 303);
    // A service with a form: the citizen's application, on its first page.
    const started = made.error.code === 'ASSISTED_SERVICE_NEEDS_FORM'
      ? await startAssistedApplication(deps, { ...input, serviceId: made.error.detail ?? '' })
      : made;
    if (started.ok) {
      return reply.redirect(await firstPage(deps, request, sessionId, started.value.id), 303);
    }
    if (started.error.code === 'ASSISTED_SESSION_NOT_ACTIVE') {
      return sessionGone(started.error.code);
    }
    return sessionPage(request, reply, sessionId, { code: started.error.code,
      params: { cap: started.error.detail ?? '' }, service: request.body.service,
      agentFee: request.body.agentFee });
  });

  const billPage = async (request: FastifyRequest, reply: FastifyReply,
    ids: Readonly<{ sessionId: string; billId: string }>,
    extra: Readonly<{ code?: string; notice?: string }> = {}) => {
    const bill = await assistedBill(deps, agentOf(request), ids.sessionId, ids.billId,
      deps.clock.now());
    if (!bill.ok) return sessionGone(bill.error.code);
    return sendHtml(reply.header('cache-control', 'no-store'), renderBillPage(
      request.pageContext(), { bill: bill.value, csrf: csrfField(request), ...extra }),
    extra.code === undefined ? 200 : statusOf(extra.code));
  };

  app.get(assistedPaths.billPattern, { config: agents,
    schema: { hide: true, params: BillParams, querystring: BillQuery } },
  async (request, reply) => billPage(request, reply, request.params,
    request.query.notice === undefined ? {} : { notice: 'assisted.notice.prompted' }));

  app.post(assistedPaths.promptPattern, { config: agents,
    schema: { hide: true, params: BillParams } }, async (request, reply) => {
    const { sessionId, billId } = request.params;
    const pushed = await promptCitizen(stk, agentOf(request), sessionId, billId,
      deps.clock.now());
    if (!pushed.ok) return billPage(request, reply, request.params, { code: pushed.error.code });
    return reply.redirect(`${assistedPaths.bill(sessionId, billId)}?notice=prompted`, 303);
  });

  app.post(assistedPaths.endPattern, { config: agents,
    schema: { hide: true, params: SessionParams } }, async (request, reply) => {
    await endSession(deps, agentOf(request), request.params.sessionId, deps.clock.now());
    return reply.redirect(`${assistedPaths.agentHome}?notice=ended`, 303);
  });
  return Promise.resolve();
}
