/**
 * The signed-in account holder's pages (permission 'account.self'): profile, contact change
 * verified by code, ending sessions, and choosing whom to act for.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccountActor } from '#modules/authorisation/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { renderPageSections, sendHtml } from '#web/index.ts';
import { findAccountById } from './account-repo.ts';
import { maskDestination } from './account-rules.ts';
import { codePage, messagePage } from './account-views.ts';
import { findChallenge } from './challenge-repo.ts';
import { emptyForm } from './form-views.ts';
import { identityDb, type IdentityDeps } from './identity-deps.ts';
import { identityPaths } from './identity-paths.ts';
import {
  completeContactChange,
  endOwnSession,
  loadProfile,
  startContactChange,
} from './profile-service.ts';
import { actForPage, contactChangePage, profilePage } from './profile-views.ts';
import { chooseActingFor, listActingOptions } from './representation-service.ts';
import {
  cookieJar,
  field,
  formAfter,
  formBody,
  sourceOf,
  statusOf,
  viewOf,
  type FormBody,
} from './route-support.ts';
import { hashToken } from './secret-tokens.ts';
import { agencyNamesOf } from './staff-repo.ts';
import { fullName } from './view-format.ts';

const accountPage = { access: { permission: 'account.self' } } as const;
const notices = new Set(['contactChanged', 'sessionEnded', 'actingChanged']);

type FormRequest = FastifyRequest<{ Body: FormBody }>;

/** The route's permission guarantees an account holder; anything else is a bug. */
function holder(request: FastifyRequest): AccountActor {
  const actor = request.actor;
  if (actor?.kind !== 'account') throw new Error('account.self routes need an account holder');
  return actor;
}

export async function profileRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const db = identityDb(deps);

  app.get(identityPaths.account, {
    config: accountPage,
    schema: { hide: true, querystring: { type: 'object',
      properties: { notice: { type: 'string', maxLength: 40 } } } },
  }, async (request: FastifyRequest<{ Querystring: { notice?: string } }>, reply) => {
    const actor = holder(request);
    const profile = await loadProfile(deps, actor);
    const agencyIds = profile.personalDataReads.flatMap((read) =>
      read.agencyId === null ? [] : [read.agencyId]);
    const actingFor = actor.onBehalfOf === null ? null
      : await findAccountById(db, actor.onBehalfOf.id);
    const notice = request.query.notice;
    const sections = await renderPageSections(request, 'account');
    return sendHtml(reply, profilePage(viewOf(request), profile, {
      sections,
      currentSessionId: actor.sessionId,
      actingFor: actingFor === undefined || actingFor === null ? null : fullName(actingFor),
      agencyNames: await agencyNamesOf(db, agencyIds),
      notice: notice !== undefined && notices.has(notice)
        ? `identity.profile.notice.${notice}` : undefined,
    }));
  });

  app.post('/account/sessions/:sessionId/end', {
    config: accountPage,
    schema: { hide: true, params: { type: 'object',
      properties: { sessionId: { type: 'string', maxLength: 36 } }, required: ['sessionId'] } },
  }, async (request: FastifyRequest<{ Params: { sessionId: string } }>, reply) => {
    const sessionId = request.params.sessionId;
    const ended = isUuid(sessionId)
      ? await endOwnSession(deps, holder(request), sessionId, sourceOf(request)) : undefined;
    if (ended === undefined || !ended.ok) {
      return sendHtml(reply, messagePage(request.pageContext(), {
        titleKey: 'identity.problem.IDENTITY_SESSION_NOT_FOUND',
        link: { href: identityPaths.account, labelKey: 'identity.backToAccount' },
      }), 404);
    }
    return reply.redirect(`${identityPaths.account}?notice=sessionEnded`, 303);
  });

  await contactRoutes(app, deps);
  await actForRoutes(app, deps);
}

async function contactRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const cookies = cookieJar(deps.config.cookieSecure);
  const db = identityDb(deps);

  app.get(identityPaths.contactChange, { config: accountPage, schema: { hide: true } },
    async (request, reply) => sendHtml(reply, contactChangePage(viewOf(request),
      { values: { kind: 'phone' }, errors: {} })));

  app.post(identityPaths.contactChange, {
    config: accountPage, schema: { hide: true, body: formBody(['kind', 'value', 'password']) },
  }, async (request: FormRequest, reply) => {
    const started = await startContactChange(deps, holder(request), {
      kind: field(request.body, 'kind'), value: field(request.body, 'value'),
      password: field(request.body, 'password'), language: request.language,
    }, sourceOf(request));
    if (!started.ok) {
      return sendHtml(reply, contactChangePage(viewOf(request),
        formAfter(request.body, started.error)), statusOf(started.error.code));
    }
    cookies.setChallenge(reply, started.value.challengeToken);
    return reply.redirect(identityPaths.contactVerify, 303);
  });

  const renderCode = async (request: FastifyRequest, form = emptyForm, closed = false) => {
    const token = cookies.challenge(request);
    const challenge = token === undefined ? undefined
      : await findChallenge(db, hashToken(token), 'contact-change');
    if (challenge === undefined || challenge.account_id !== holder(request).accountId) {
      return undefined;
    }
    return codePage(viewOf(request), form, {
      action: identityPaths.contactVerify, restart: identityPaths.contactChange,
      sentTo: maskDestination(challenge.destination), channel: challenge.channel,
      submitKey: 'identity.code.submitContact', closed,
    });
  };

  app.get(identityPaths.contactVerify, { config: accountPage, schema: { hide: true } },
    async (request, reply) => {
      const body = await renderCode(request);
      return body === undefined ? reply.redirect(identityPaths.contactChange, 303)
        : sendHtml(reply, body);
    });

  app.post(identityPaths.contactVerify, {
    config: accountPage, schema: { hide: true, body: formBody(['code']) },
  }, async (request: FormRequest, reply) => {
    const token = cookies.challenge(request);
    if (token === undefined) return reply.redirect(identityPaths.contactChange, 303);
    const changed = await completeContactChange(deps, holder(request),
      { challengeToken: token, code: field(request.body, 'code') }, sourceOf(request));
    if (!changed.ok) {
      const form = formAfter({}, changed.error, { attemptsLeft: changed.error.attemptsLeft });
      const body = await renderCode(request, form,
        changed.error.code !== 'IDENTITY_CODE_NOT_RIGHT');
      if (body === undefined) return reply.redirect(identityPaths.contactChange, 303);
      return sendHtml(reply, body, statusOf(changed.error.code));
    }
    cookies.clearChallenge(reply);
    return reply.redirect(`${identityPaths.account}?notice=contactChanged`, 303);
  });
}

async function actForRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  app.get(identityPaths.actFor, { config: accountPage, schema: { hide: true } },
    async (request, reply) => {
      const actor = holder(request);
      const options = await listActingOptions(deps, actor);
      return sendHtml(reply, actForPage(viewOf(request), {
        ...options, current: actor.onBehalfOf?.id ?? null, form: emptyForm,
      }));
    });

  app.post(identityPaths.actFor, {
    config: accountPage, schema: { hide: true, body: formBody(['accountId']) },
  }, async (request: FormRequest, reply) => {
    const actor = holder(request);
    const wanted = field(request.body, 'accountId');
    const chosen = wanted === 'self' || wanted === '' ? null : wanted;
    const result = chosen !== null && !isUuid(chosen)
      ? { ok: false as const, error: { code: 'IDENTITY_REPRESENTED_ACCOUNT_NOT_FOUND' as const } }
      : await chooseActingFor(deps, actor, chosen, sourceOf(request));
    if (!result.ok) {
      const options = await listActingOptions(deps, actor);
      return sendHtml(reply, actForPage(viewOf(request), {
        ...options, current: actor.onBehalfOf?.id ?? null,
        form: { values: {}, errors: {}, problem: `identity.problem.${result.error.code}` },
      }), statusOf(result.error.code));
    }
    return reply.redirect(`${identityPaths.account}?notice=actingChanged`, 303);
  });
}
