/**
 * Pages before sign-in: register, sign in (password, then code), reset a password, and sign
 * out. Every POST redirects with 303 on success; a failure shows the form again with errors.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendHtml } from '#web/index.ts';
import { maskDestination } from './account-rules.ts';
import {
  codePage,
  passwordResetPage,
  registerPage,
  signInPage,
  withReturnTo,
} from './account-views.ts';
import { findChallenge } from './challenge-repo.ts';
import { emptyForm, type FormState } from './form-views.ts';
import { identityDb, type IdentityDeps } from './identity-deps.ts';
import { identityPaths } from './identity-paths.ts';
import type { ChallengePurpose } from './identity-tables.ts';
import { completePasswordReset, startPasswordReset } from './password-reset-service.ts';
import { registerAccount } from './registration-service.ts';
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
import { hashToken } from './secret-tokens.ts';
import { signOut } from './session-service.ts';
import { completeAccountSignIn, startAccountSignIn } from './sign-in-service.ts';

type FormRequest = FastifyRequest<{ Body: FormBody; Querystring: { return?: string } }>;

const registerFields = ['documentType', 'documentNumber', 'firstName', 'birthYear', 'phone',
  'email', 'codeChannel', 'password'];
const signInNotices = new Set(['passwordChanged', 'signedOut']);

const page = { access: 'public' } as const;
const limitedPage = { access: 'public', ...signInRateLimit } as const;

export async function accountRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const cookies = cookieJar(deps.config.cookieSecure);
  const html = { hide: true };

  app.get(identityPaths.register, {
    config: page, schema: { ...html, querystring: returnQuery },
  }, async (request, reply) => sendHtml(reply, registerPage(viewOf(request),
    { values: { codeChannel: 'sms' }, errors: {} }, returnPathOf(request, identityPaths.account))));

  app.post(identityPaths.register, {
    config: limitedPage,
    schema: { ...html, body: formBody(registerFields), querystring: returnQuery },
  }, async (request: FormRequest, reply) => {
    const body = request.body;
    const returnTo = returnPathOf(request, identityPaths.account);
    const registered = await registerAccount(deps, {
      documentType: field(body, 'documentType'), documentNumber: field(body, 'documentNumber'),
      firstName: field(body, 'firstName'), birthYear: field(body, 'birthYear'),
      phone: field(body, 'phone'), email: field(body, 'email'),
      codeChannel: field(body, 'codeChannel'), password: field(body, 'password'),
      language: request.language,
    }, sourceOf(request));
    if (!registered.ok) {
      return sendHtml(reply, registerPage(viewOf(request), formAfter(body, registered.error),
        returnTo), statusOf(registered.error.code));
    }
    cookies.setChallenge(reply, registered.value.challengeToken);
    return reply.redirect(withReturn(identityPaths.signInCode, returnTo), 303);
  });

  app.get(identityPaths.signIn, {
    config: page, schema: { ...html, querystring: {
      type: 'object', properties: { ...returnQuery.properties,
        notice: { type: 'string', maxLength: 40 } },
    } },
  }, async (request: FastifyRequest<{ Querystring: { return?: string; notice?: string } }>,
    reply) => {
    const notice = request.query.notice;
    return sendHtml(reply, signInPage(viewOf(request), emptyForm, {
      returnTo: returnPathOf(request, identityPaths.account),
      notice: notice !== undefined && signInNotices.has(notice)
        ? `identity.signIn.notice.${notice}` : undefined,
    }));
  });

  app.post(identityPaths.signIn, {
    config: limitedPage,
    schema: { ...html, body: formBody(['documentType', 'documentNumber', 'password']),
      querystring: returnQuery },
  }, async (request: FormRequest, reply) => {
    const body = request.body;
    const returnTo = returnPathOf(request, identityPaths.account);
    const started = await startAccountSignIn(deps, {
      documentType: field(body, 'documentType'), documentNumber: field(body, 'documentNumber'),
      password: field(body, 'password'),
    }, sourceOf(request));
    if (!started.ok) {
      return sendHtml(reply, signInPage(viewOf(request), formAfter(body, started.error),
        { returnTo }), statusOf(started.error.code));
    }
    cookies.setChallenge(reply, started.value.challengeToken);
    return reply.redirect(withReturn(identityPaths.signInCode, returnTo), 303);
  });

  await codeRoutes(app, deps);
  await resetRoutes(app, deps);

  app.post(identityPaths.signOut, { config: page, schema: html }, async (request, reply) => {
    if (request.actor !== undefined) await signOut(deps, request.actor, sourceOf(request));
    cookies.clearSession(reply);
    return reply.redirect(`${identityPaths.signIn}?notice=signedOut`, 303);
  });
}

const withReturn = withReturnTo;

/** The code page of a challenge, in the state the challenge is in. */
async function showChallenge(
  deps: IdentityDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  purpose: ChallengePurpose,
  render: (form: FormState, sentTo: string | undefined, channel: 'sms' | 'email' | undefined,
    closed: boolean) => string,
  restart: string,
): Promise<FastifyReply> {
  const token = cookieJar(deps.config.cookieSecure).challenge(request);
  const challenge = token === undefined ? undefined
    : await findChallenge(identityDb(deps), hashToken(token), purpose);
  if (challenge === undefined) return reply.redirect(restart, 303);
  const now = deps.clock.now();
  const problem = challenge.consumed_at !== null ? 'IDENTITY_CHALLENGE_NOT_FOUND'
    : challenge.locked_at !== null ? 'IDENTITY_CHALLENGE_LOCKED'
      : challenge.expires_at <= now ? 'IDENTITY_CODE_EXPIRED' : undefined;
  const form: FormState = problem === undefined ? emptyForm
    : { values: {}, errors: {}, problem: `identity.problem.${problem}` };
  // A password-reset page never says where the code went: an unknown ID looks the same.
  const vague = purpose === 'password-reset';
  return sendHtml(reply, render(form, vague ? undefined : maskDestination(challenge.destination),
    vague ? undefined : challenge.channel, problem !== undefined));
}

async function codeRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const cookies = cookieJar(deps.config.cookieSecure);
  const render = (request: FastifyRequest, returnTo: string) =>
    (form: FormState, sentTo: string | undefined, channel: 'sms' | 'email' | undefined,
      closed: boolean) => codePage(viewOf(request), form, {
      action: withReturn(identityPaths.signInCode, returnTo), restart: identityPaths.signIn,
      sentTo, channel, submitKey: 'identity.code.submitSignIn', closed,
    });

  app.get(identityPaths.signInCode, {
    config: page, schema: { hide: true, querystring: returnQuery },
  }, async (request, reply) => showChallenge(deps, request, reply, 'sign-in',
    render(request, returnPathOf(request, identityPaths.account)), identityPaths.signIn));

  app.post(identityPaths.signInCode, {
    config: limitedPage,
    schema: { hide: true, body: formBody(['code']), querystring: returnQuery },
  }, async (request: FormRequest, reply) => {
    const token = cookies.challenge(request);
    if (token === undefined) return reply.redirect(identityPaths.signIn, 303);
    const previous = cookies.session(request);
    const signedIn = await completeAccountSignIn(deps, {
      challengeToken: token, code: field(request.body, 'code'),
      ...(previous === undefined ? {} : { previousSessionToken: previous }),
    }, sourceOf(request));
    const returnTo = returnPathOf(request, identityPaths.account);
    if (!signedIn.ok) {
      const form = formAfter({}, signedIn.error, { attemptsLeft: signedIn.error.attemptsLeft });
      const closed = signedIn.error.code !== 'IDENTITY_CODE_NOT_RIGHT';
      const challenge = await findChallenge(identityDb(deps), hashToken(token), 'sign-in');
      return sendHtml(reply, render(request, returnTo)(form,
        challenge === undefined ? undefined : maskDestination(challenge.destination),
        challenge?.channel, closed), statusOf(signedIn.error.code));
    }
    cookies.clearChallenge(reply);
    cookies.setSession(reply, signedIn.value.token);
    cookies.setDevice(reply, signedIn.value.deviceTokens);
    return reply.redirect(returnTo, 303);
  });
}

async function resetRoutes(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  const cookies = cookieJar(deps.config.cookieSecure);
  const render = (request: FastifyRequest) => (form: FormState, _sentTo: string | undefined,
    _channel: 'sms' | 'email' | undefined, closed: boolean) => codePage(viewOf(request), form, {
    action: identityPaths.passwordResetCode, restart: identityPaths.passwordReset,
    sentTo: undefined, channel: undefined, submitKey: 'identity.code.submitReset',
    withNewPassword: true, closed,
  });

  app.get(identityPaths.passwordReset, { config: page, schema: { hide: true } },
    async (request, reply) => sendHtml(reply, passwordResetPage(viewOf(request), emptyForm)));

  app.post(identityPaths.passwordReset, {
    config: limitedPage, schema: { hide: true, body: formBody(['documentType', 'documentNumber']) },
  }, async (request: FormRequest, reply) => {
    const started = await startPasswordReset(deps, {
      documentType: field(request.body, 'documentType'),
      documentNumber: field(request.body, 'documentNumber'), language: request.language,
    }, sourceOf(request));
    if (!started.ok) {
      return sendHtml(reply, passwordResetPage(viewOf(request),
        formAfter(request.body, started.error)), statusOf(started.error.code));
    }
    cookies.setChallenge(reply, started.value.challengeToken);
    return reply.redirect(identityPaths.passwordResetCode, 303);
  });

  app.get(identityPaths.passwordResetCode, { config: page, schema: { hide: true } },
    async (request, reply) => showChallenge(deps, request, reply, 'password-reset',
      render(request), identityPaths.passwordReset));

  app.post(identityPaths.passwordResetCode, {
    config: limitedPage, schema: { hide: true, body: formBody(['code', 'password']) },
  }, async (request: FormRequest, reply) => {
    const token = cookies.challenge(request);
    if (token === undefined) return reply.redirect(identityPaths.passwordReset, 303);
    const reset = await completePasswordReset(deps, {
      challengeToken: token, code: field(request.body, 'code'),
      password: field(request.body, 'password'),
    }, sourceOf(request));
    if (!reset.ok) {
      const form = formAfter({}, reset.error, { attemptsLeft: reset.error.attemptsLeft });
      const closed = !['IDENTITY_CODE_NOT_RIGHT', 'IDENTITY_FORM_INVALID']
        .includes(reset.error.code);
      return sendHtml(reply, render(request)(form, undefined, undefined, closed),
        statusOf(reset.error.code));
    }
    cookies.clearChallenge(reply);
    cookies.clearSession(reply);
    return reply.redirect(`${identityPaths.signIn}?notice=passwordChanged`, 303);
  });
}
