/**
 * What the overload run sends, per target: search (GET /api/v1/services through the search
 * benchmark's query mix), sign-in (POST /sign-in with a wrong password for a random national ID
 * number, from a random client address, so neither the per-account nor the per-address limits
 * answer instead of the password check) and M-Pesa C2B confirmations (a new receipt each, for
 * a bill reference that matches nothing, so each is stored, processed and put in suspense).
 */
import { randomInt } from 'node:crypto';
import { buildQueryMix, queryPath } from '../../bench/search/query-mix.ts';

export type Target = 'search' | 'sign-in' | 'callbacks';

export const targets: readonly Target[] = ['search', 'sign-in', 'callbacks'];

export type OutgoingRequest = Readonly<{
  method: 'GET' | 'POST';
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
}>;

/** The secret path segment of the callback URLs the app under load is started with. */
export const overloadCallbackToken = 'overload-callback-token-0123456789';

/** The search benchmark's mix (whole words, prefixes, typos, Swahili, pages), without filters. */
const searchPaths = buildQueryMix(2_000, [], []).map(queryPath);

/** The sign-in form's pre-session cookie and its CSRF token, read once from GET /sign-in. */
export type SignInSession = Readonly<{ cookie: string; csrfToken: string }>;

export async function openSignInSession(baseUrl: string): Promise<SignInSession> {
  const answer = await fetch(`${baseUrl}/sign-in`, { signal: AbortSignal.timeout(10_000) });
  const cookie = answer.headers.getSetCookie().map((line) => line.split(';')[0] ?? '')
    .filter((pair) => pair !== '').join('; ');
  const page = await answer.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (token === undefined || cookie === '') throw new Error('GET /sign-in gave no CSRF token');
  return { cookie, csrfToken: token };
}

const randomAddress = () =>
  `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** The index-th request of a target (the index varies the search query). */
export function requestFor(
  target: Target,
  index: number,
  session: SignInSession | undefined,
): OutgoingRequest {
  if (target === 'search') {
    return { method: 'GET', path: searchPaths[index % searchPaths.length] ?? '/api/v1/services',
      headers: { accept: 'application/json' } };
  }
  if (target === 'sign-in') {
    if (session === undefined) throw new Error('sign-in needs a session');
    const body = new URLSearchParams({ _csrf: session.csrfToken, documentType: 'national_id',
      documentNumber: String(randomInt(10_000_000, 99_999_999)),
      password: 'not-the-password-of-anyone' }).toString();
    return { method: 'POST', path: '/sign-in', body, headers: {
      'content-type': 'application/x-www-form-urlencoded', 'cookie': session.cookie,
      'x-forwarded-for': randomAddress(), 'accept': 'text/html',
    } };
  }
  const receipt = `OV${randomInt(0, 2 ** 40).toString(36).toUpperCase().padStart(8, '0')}`;
  const body = JSON.stringify({
    TransactionType: 'Pay Bill', TransID: receipt, TransTime: '20261203101500',
    TransAmount: '100.00', BusinessShortCode: '222222', BillRefNumber: 'NOSUCHBILL',
    InvoiceNumber: '', OrgAccountBalance: '', ThirdPartyTransID: '', MSISDN: '2547 ***** 126',
    FirstName: 'LOAD', MiddleName: '', LastName: 'TEST',
  });
  return { method: 'POST', body, headers: { 'content-type': 'application/json' },
    path: `/api/v1/payments/callbacks/${overloadCallbackToken}/c2b/confirmation` };
}
