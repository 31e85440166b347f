/**
 * The OAuth access token: fetched once, shared by every call, renewed a little before it
 * expires (Daraja gives 3599 s), and dropped when Daraja says it is no longer valid. Callers
 * waiting during a renewal share that one request instead of each asking for a token.
 */
import type { Clock } from '#platform/clock/index.ts';
import { err, ok } from '#platform/errors/index.ts';
import { exchange, textOf, type HttpSettings } from './daraja-http.ts';
import type { DarajaResult } from './daraja-types.ts';

export type IssuedToken = Readonly<{ token: string; lifetimeMs: number }>;

export type TokenSource = Readonly<{
  get: () => Promise<DarajaResult<string>>;
  /** Forgets `token` if it is still the cached one (a newer one is kept). */
  invalidate: (token: string) => void;
}>;

/** Renew this long before expiry: a minute, or a tenth of a short lifetime. */
const renewalMarginMsMax = 60_000;
/** Daraja's lifetime, when an answer leaves expires_in out. */
const defaultLifetimeSeconds = 3_599;

export function createTokenSource(
  issue: () => Promise<DarajaResult<IssuedToken>>,
  clock: Clock,
): TokenSource {
  let cached: Readonly<{ token: string; renewAtMs: number }> | undefined;
  let inFlight: Promise<DarajaResult<string>> | undefined;
  const renew = async (): Promise<DarajaResult<string>> => {
    const issued = await issue();
    if (!issued.ok) return issued;
    const marginMs = Math.min(renewalMarginMsMax, issued.value.lifetimeMs / 10);
    cached = {
      token: issued.value.token,
      renewAtMs: clock.now().getTime() + issued.value.lifetimeMs - marginMs,
    };
    return ok(issued.value.token);
  };
  return {
    get: async () => {
      if (cached !== undefined && clock.now().getTime() < cached.renewAtMs) {
        return ok(cached.token);
      }
      inFlight ??= renew().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate: (token) => {
      if (cached?.token === token) cached = undefined;
    },
  };
}

/** GET /oauth/v1/generate with Basic base64(consumerKey:consumerSecret). */
export async function requestAccessToken(
  settings: HttpSettings,
  credentials: Readonly<{ consumerKey: string; consumerSecret: string }>,
): Promise<DarajaResult<IssuedToken>> {
  const basic = Buffer.from(`${credentials.consumerKey}:${credentials.consumerSecret}`, 'utf8')
    .toString('base64');
  const answer = await exchange(settings, 'oauth', {
    method: 'GET',
    path: '/oauth/v1/generate?grant_type=client_credentials',
    authorization: `Basic ${basic}`,
  });
  if (!answer.ok) return answer;
  const token = answer.value.fields['access_token'];
  // expires_in arrives as a string ("3599"); a number is taken too.
  const expiresIn = textOf(answer.value.fields, 'expires_in') ?? String(defaultLifetimeSeconds);
  if (typeof token !== 'string' || token === '' || !/^\d{1,7}$/.test(expiresIn)) {
    return err({ kind: 'unexpected-response', operation: 'oauth', status: answer.value.status,
      message: 'no access_token, or expires_in is not a whole number of seconds' });
  }
  // Seconds of lifetime, not money.
  return ok({ token, lifetimeMs: Number.parseInt(expiresIn, 10) * 1000 });
}
