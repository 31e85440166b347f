/**
 * Enforces every route's access declaration (config.access), for the whole app, in two hooks:
 *
 * onRequest: resolves the caller (session cookie, or an API credential through resolvers other
 *   modules add) into request.actor.
 * preValidation (before the route's schema is checked): the route's permission. 'public' and
 *   'provider-callback' pass; { permission } needs a caller (pages: 303 to sign-in; APIs: 401)
 *   holding it (else 403). Then the CSRF token of every state-changing request a browser could
 *   send cross-site (a form post, or anything with a session cookie); the field is removed
 *   from the body so route schemas need not know it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import {
  authorisationErrors,
  csrfField,
  csrfFieldName,
  csrfHeaderName,
  hasPermission,
  isPermission,
  isPublicRole,
  roles,
  rolePermissions,
  type ApiClientActor,
  type AuthorisationErrorCode,
  type Permission,
} from '#modules/authorisation/index.ts';
import { sendProblem, wantsHtml, type RouteAccess } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml, signInReturnForPost } from '#web/index.ts';
import { refusalPage } from './account-views.ts';
import {
  cookieOptions,
  expiredCookieOptions,
  identityCookieNames,
  type IdentityCookieNames,
} from './identity-cookies.ts';
import { identityPaths } from './identity-paths.ts';
import { loadIdentitySecrets } from './secret-repo.ts';
import { generateToken, sameSecret, sign } from './secret-tokens.ts';
import { actorOf, resolveSession } from './session-service.ts';
import { signedInViewOf } from './signed-in-view.ts';

/** Finds the API client an Authorization header names, or undefined if it names none. */
export type CredentialResolver = (request: FastifyRequest) =>
  Promise<ApiClientActor | undefined>;

export type DeclaredRoute = Readonly<{
  method: string;
  url: string;
  access: RouteAccess | undefined;
  /** The route's JSON schemas (params, querystring, body), for tests that generate input. */
  schema: Readonly<Record<string, unknown>> | undefined;
}>;

export type AccessControl = Readonly<{
  /** Lets a module (agency integrations) authenticate API clients. */
  addCredentialResolver: (resolver: CredentialResolver) => void;
  /** Every route registered after access control, with its declaration (for tests, docs). */
  routes: () => readonly DeclaredRoute[];
}>;

declare module 'fastify' {
  interface FastifyInstance {
    accessControl: AccessControl;
  }
  interface FastifyRequest {
    /** The live session's id, when the caller came with one (for CSRF binding). */
    sessionId: string | undefined;
  }
}

/** Requests that never need to know who is asking: no session lookup for them. */
const sessionlessPathPrefixes = ['/assets/', '/favicon.ico', '/healthz', '/readyz', '/metrics'];
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Where an anonymous visitor is sent for a page needing `permission`. */
export function signInPathFor(permission: string): string {
  const publicCanHold = isPermission(permission) && roles.some((role) =>
    isPublicRole(role) && rolePermissions[role].includes(permission));
  return publicCanHold ? identityPaths.signIn : identityPaths.staffSignIn;
}

/** Answers a refusal. Returns nothing: a reply is a thenable, and awaiting it loses it. */
function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  code: AuthorisationErrorCode,
): void {
  if (!wantsHtml(request)) {
    void sendProblem(reply, authorisationErrors, { code });
    return;
  }
  const kind = code === 'AUTHORISATION_CSRF_TOKEN_INVALID' ? 'csrf' : 'forbidden';
  void sendHtml(reply, refusalPage(request.pageContext(), kind),
    authorisationErrors[code].status);
}

/**
 * Where a visitor sent to sign in comes back to: a page, to itself; a form post (which cannot
 * be replayed by a redirect), to where its route says (config.signInReturn), or the web kit
 * says for its shared addresses (Pay on a service page: that service page), else to the page
 * at the same address if there is one (a form that posts to its own page, such as apply),
 * else nowhere in particular.
 */
export function signInReturnOf(request: FastifyRequest): string | undefined {
  if (safeMethods.has(request.method)) return request.url;
  const declared = request.routeOptions.config.signInReturn?.(request) ??
    signInReturnForPost(request.url);
  if (declared !== undefined) return declared;
  const pattern = request.routeOptions.url;
  if (pattern !== undefined && request.server.hasRoute({ method: 'GET', url: pattern })) {
    return request.url;
  }
  return undefined;
}

function askToSignIn(request: FastifyRequest, reply: FastifyReply, permission: string): void {
  if (!wantsHtml(request)) {
    void sendProblem(reply, authorisationErrors, { code: 'AUTHORISATION_SIGN_IN_REQUIRED' });
    return;
  }
  const path = signInPathFor(permission);
  const wanted = signInReturnOf(request);
  const target = wanted === undefined ? path
    : `${path}?${new URLSearchParams({ return: wanted }).toString()}`;
  void reply.redirect(target, 303);
}

type CsrfTokenOf = (request: FastifyRequest, reply: FastifyReply,
  options: Readonly<{ create: boolean }>) => string | undefined;

/** The token bound to the session, else to the pre-session cookie (set here if asked). */
function csrfTokens(csrfKey: Buffer, names: IdentityCookieNames, secure: boolean): CsrfTokenOf {
  return (request, reply, options) => {
    if (request.sessionId !== undefined) {
      return sign(csrfKey, `session:${request.sessionId}`); // as csrfTokenForSession
    }
    let preSession = request.cookies[names.preSession];
    if (preSession === undefined || preSession === '') {
      if (!options.create) return undefined;
      preSession = generateToken();
      request.cookies[names.preSession] = preSession;
      reply.setCookie(names.preSession, preSession, cookieOptions(secure, 'preSession'));
    }
    return sign(csrfKey, `pre-session:${preSession}`);
  };
}

/** Refuses a request that must carry a CSRF token and does not; true when refused. */
async function checkCsrf(
  request: FastifyRequest, reply: FastifyReply, tokenOf: CsrfTokenOf,
): Promise<boolean> {
  if (safeMethods.has(request.method)) return false;
  const access = request.routeOptions.config.access;
  if (access === undefined || access === 'provider-callback') return false;
  if (request.actor?.kind === 'api-client') return false;
  const body = typeof request.body === 'object' && request.body !== null
    ? request.body as Record<string, unknown> : undefined;
  const contentType = request.headers['content-type'] ?? '';
  const isForm = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(contentType);
  // JSON without a session cookie carries no ambient authority a forged request could use.
  if (!isForm && request.sessionId === undefined) return false;
  const fromBody = body?.[csrfFieldName];
  const given = typeof fromBody === 'string' ? fromBody : request.headers[csrfHeaderName];
  if (body !== undefined) delete body[csrfFieldName];
  const expected = tokenOf(request, reply, { create: false });
  if (typeof given !== 'string' || expected === undefined || !sameSecret(given, expected)) {
    refuse(request, reply, 'AUTHORISATION_CSRF_TOKEN_INVALID');
    return true;
  }
  return false;
}

/** Refuses a caller the route's declared access does not admit; true when refused. */
function checkAccess(request: FastifyRequest, reply: FastifyReply): boolean {
  const access = request.routeOptions.config.access;
  if (access === undefined || access === 'public' || access === 'provider-callback') {
    return false;
  }
  if (request.actor === undefined) {
    askToSignIn(request, reply, access.permission);
    return true;
  }
  if (!isPermission(access.permission) ||
    !hasPermission(request.actor, access.permission as Permission)) {
    refuse(request, reply, 'AUTHORISATION_PERMISSION_DENIED');
    return true;
  }
  return false;
}

async function accessControlPlugin(
  app: FastifyInstance,
  options: Readonly<{ deps: ModuleDeps }>,
): Promise<void> {
  const { deps } = options;
  const secrets = await loadIdentitySecrets(deps.db, deps.clock.now());
  const secure = deps.config.cookieSecure;
  const names = identityCookieNames(secure);
  const tokenOf = csrfTokens(secrets.csrfKey, names, secure);
  const resolvers: CredentialResolver[] = [];
  const declared: DeclaredRoute[] = [];
  app.decorate('accessControl', {
    addCredentialResolver: (resolver: CredentialResolver) => {
      resolvers.push(resolver);
    },
    routes: () => declared,
  });
  app.decorateRequest('actor', undefined);
  app.decorateRequest('sessionId', undefined);
  app.decorateRequest('csrfToken', () => {
    throw new Error('csrfToken() is set by the access-control hook');
  });

  const identify = async (request: FastifyRequest, reply: FastifyReply) => {
    if (sessionlessPathPrefixes.some((prefix) => request.url.startsWith(prefix))) return;
    const token = request.cookies[names.session];
    if (token !== undefined && token !== '') {
      const session = await resolveSession(deps, token, deps.clock.now());
      if (session === undefined) reply.clearCookie(names.session, expiredCookieOptions(secure));
      else {
        request.actor = actorOf(session);
        request.sessionId = session.id;
        const signOutToken = tokenOf(request, reply, { create: false }) ?? '';
        request.signedIn = signedInViewOf(session, csrfField({ csrfToken: () => signOutToken }));
      }
    }
    if (request.actor === undefined && request.headers.authorization !== undefined) {
      for (const resolver of resolvers) {
        request.actor = await resolver(request);
        if (request.actor !== undefined) break;
      }
    }
  };

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      declared.push({ method, url: route.url, access: route.config?.access,
        schema: route.schema as Readonly<Record<string, unknown>> | undefined });
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    await identify(request, reply);
    request.csrfToken = () => tokenOf(request, reply, { create: true }) ?? '';
  });
  // After the web kit's onRequest has chosen the language the refusal page is shown in.
  // A refusal returns the reply, which ends the request there: one answer, and no CSRF check
  // (nor a second answer) after a refused access.
  app.addHook('preValidation', async (request, reply) => {
    if (checkAccess(request, reply) || await checkCsrf(request, reply, tokenOf)) return reply;
    return undefined;
  });
}

// Registered before the web kit so that its routes are in the registry too; the refusal page
// needs request.pageContext() only when a request is refused, long after start-up.
export const accessControl = fastifyPlugin(accessControlPlugin, {
  name: 'huduma-access-control',
});
