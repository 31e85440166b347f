/** Small helpers shared by identity's routes: form bodies, sources, views, cookies. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeReturnPath } from '#web/index.ts';
import type { View } from './account-views.ts';
import type { FormState } from './form-views.ts';
import { cookieOptions, expiredCookieOptions, identityCookieNames } from './identity-cookies.ts';
import type { RequestSource } from './identity-deps.ts';
import { identityErrors, type IdentityErrorCode } from './identity-errors.ts';
import { httpSignInRequestsPerMinuteMax } from './identity-limits.ts';
import { deviceLabelOf } from './session-service.ts';

/** Form posts are flat strings; everything is checked by the use case, not the schema. */
export function formBody(fields: readonly string[]) {
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((field) =>
      [field, { type: 'string', maxLength: 1_000 }])),
  } as const;
}

export type FormBody = Readonly<Record<string, string | undefined>>;

export function field(body: FormBody, name: string): string {
  return body[name] ?? '';
}

export const returnQuery = {
  type: 'object',
  properties: { return: { type: 'string', maxLength: 2_000 } },
} as const;

export function returnPathOf(request: FastifyRequest, fallback: string): string {
  const query = request.query as { return?: string } | undefined;
  const wanted = query?.return;
  return safeReturnPath(wanted, fallback);
}

export function sourceOf(request: FastifyRequest): RequestSource {
  const secure = identityCookieNames(true).device;
  const plain = identityCookieNames(false).device;
  return {
    address: request.ip, deviceLabel: deviceLabelOf(request.headers['user-agent']),
    deviceTokens: request.cookies[secure] ?? request.cookies[plain],
  };
}

export function viewOf(request: FastifyRequest): View {
  return { context: request.pageContext(), request };
}

/** The form as it was posted, with the failure's field errors or whole-form problem. */
export function formAfter(
  body: FormBody,
  failed: Readonly<{ code: IdentityErrorCode; fields?: Readonly<Record<string, string>> }>,
  options: Readonly<{ attemptsLeft?: number | undefined }> = {},
): FormState {
  const values = Object.fromEntries(Object.entries(body)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  if (failed.fields !== undefined && Object.keys(failed.fields).length > 0) {
    return { values, errors: failed.fields };
  }
  const left = options.attemptsLeft;
  return {
    values,
    errors: {},
    problem: left === undefined ? `identity.problem.${failed.code}`
      : 'identity.problem.IDENTITY_CODE_NOT_RIGHT_TRIES_LEFT',
    problemParams: left === undefined ? undefined : { count: left },
  };
}

export function statusOf(code: IdentityErrorCode): number {
  return identityErrors[code].status;
}

export const signInRateLimit = {
  rateLimit: { max: httpSignInRequestsPerMinuteMax, timeWindow: 60_000 },
} as const;

export type CookieJar = Readonly<{
  setSession: (reply: FastifyReply, token: string) => void;
  clearSession: (reply: FastifyReply) => void;
  setChallenge: (reply: FastifyReply, token: string) => void;
  clearChallenge: (reply: FastifyReply) => void;
  session: (request: FastifyRequest) => string | undefined;
  challenge: (request: FastifyRequest) => string | undefined;
  setDevice: (reply: FastifyReply, tokens: string) => void;
  device: (request: FastifyRequest) => string | undefined;
}>;

export function cookieJar(secure: boolean): CookieJar {
  const names = identityCookieNames(secure);
  const read = (request: FastifyRequest, name: string) => {
    const value = request.cookies[name];
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    setSession: (reply, token) => {
      reply.setCookie(names.session, token, cookieOptions(secure, 'session'));
    },
    clearSession: (reply) => {
      reply.clearCookie(names.session, expiredCookieOptions(secure));
    },
    setChallenge: (reply, token) => {
      reply.setCookie(names.challenge, token, cookieOptions(secure, 'challenge'));
    },
    clearChallenge: (reply) => {
      reply.clearCookie(names.challenge, expiredCookieOptions(secure));
    },
    session: (request) => read(request, names.session),
    challenge: (request) => read(request, names.challenge),
    setDevice: (reply, tokens) => {
      reply.setCookie(names.device, tokens, cookieOptions(secure, 'device'));
    },
    device: (request) => read(request, names.device),
  };
}
