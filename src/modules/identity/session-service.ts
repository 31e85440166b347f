/**
 * Sessions: a random 256-bit token in an HttpOnly cookie, only its hash in the database; a
 * new one at every sign-in (the old one ends), idle and absolute timeouts, ended server-side.
 */
import type { Kysely } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { auditActorOf, type Actor } from '#modules/authorisation/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { identityDb, type IdentityDeps } from './identity-deps.ts';
import {
  sessionAbsoluteTimeoutMs,
  sessionIdleTimeoutMs,
  sessionTouchIntervalMs,
} from './identity-limits.ts';
import type { IdentityTables } from './identity-tables.ts';
import {
  endSessionInTrx,
  findLiveSession,
  insertSessionInTrx,
  touchSession,
  type LiveSession,
} from './session-repo.ts';
import { generateToken, hashToken } from './secret-tokens.ts';

export type Principal = Readonly<{ kind: 'account' | 'staff'; id: string }>;

export type StartedSession = Readonly<{ sessionId: string; token: string; expiresAt: Date }>;

/**
 * Starts a session in the caller's transaction. The browser's previous session (its cookie's
 * token), if any, ends: a sign-in always gets a fresh token (no session fixation).
 */
export async function startSessionInTrx(
  trx: Kysely<IdentityTables>,
  principal: Principal,
  options: Readonly<{ deviceLabel: string; previousToken?: string | undefined }>,
  now: Date,
): Promise<StartedSession> {
  if (options.previousToken !== undefined) {
    const previous = await trx.selectFrom('session').select('id')
      .where('token_hash', '=', hashToken(options.previousToken)).executeTakeFirst();
    if (previous !== undefined) {
      await endSessionInTrx(trx, { sessionId: previous.id }, 'signed-out', now);
    }
  }
  const token = generateToken();
  const sessionId = uuidv7(now.getTime());
  const expiresAt = new Date(now.getTime() + sessionAbsoluteTimeoutMs);
  await insertSessionInTrx(trx, {
    id: sessionId, tokenHash: hashToken(token), principal,
    deviceLabel: options.deviceLabel, expiresAt,
  }, now);
  return { sessionId, token, expiresAt };
}

export function idleSince(now: Date): Date {
  return new Date(now.getTime() - sessionIdleTimeoutMs);
}

/** The live session a cookie token names, or undefined; refreshes its idle clock. */
export async function resolveSession(
  deps: Pick<IdentityDeps, 'db'>,
  token: string,
  now: Date,
): Promise<LiveSession | undefined> {
  const db = identityDb(deps);
  const session = await findLiveSession(db, hashToken(token), now, idleSince(now));
  if (session === undefined) return undefined;
  if (now.getTime() - session.lastSeenAt.getTime() >= sessionTouchIntervalMs) {
    await touchSession(db, session.id, now);
  }
  return session;
}

export function actorOf(session: LiveSession): Actor | undefined {
  if (session.staff !== null) {
    return {
      kind: 'staff',
      role: session.staff.role,
      staffId: session.staff.id,
      agencyId: session.staff.agencyId,
      sessionId: session.id,
    };
  }
  if (session.accountId === null) return undefined;
  return {
    kind: 'account',
    role: 'account-holder',
    accountId: session.accountId,
    sessionId: session.id,
    onBehalfOf: session.onBehalfOf === null ? null : {
      kind: session.onBehalfOf.kind === 'business' ? 'business' : 'account',
      id: session.onBehalfOf.accountId,
    },
  };
}

const browsers: readonly [RegExp, string][] = [
  [/Edg\//, 'Edge'], [/OPR\/|Opera/, 'Opera'], [/SamsungBrowser/, 'Samsung Internet'],
  [/Firefox\//, 'Firefox'], [/Chrome\/|CriOS/, 'Chrome'], [/Safari\//, 'Safari'],
];
const systems: readonly [RegExp, string][] = [
  [/KAIOS/i, 'KaiOS'], [/Android/, 'Android'], [/iPhone|iPad|iPod/, 'iOS'],
  [/Windows/, 'Windows'], [/Mac OS X|Macintosh/, 'macOS'], [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome · Android": enough to recognise one's own devices in the sessions list. */
export function deviceLabelOf(userAgent: string | undefined): string {
  const text = (userAgent ?? '').slice(0, 512);
  const browser = browsers.find(([pattern]) => pattern.test(text))?.[1];
  const system = systems.find(([pattern]) => pattern.test(text))?.[1];
  if (browser === undefined && system === undefined) return '';
  if (browser === undefined) return system ?? '';
  return system === undefined ? browser : `${browser} · ${system}`;
}

/** Signs out: the session ends server-side (the cookie alone is then worth nothing). */
export async function signOut(
  deps: IdentityDeps,
  actor: Actor,
  source: Readonly<{ address: string }>,
): Promise<void> {
  if (actor.kind === 'api-client') return;
  const now = deps.clock.now();
  await identityDb(deps).transaction().execute(async (trx) => {
    const ended = await endSessionInTrx(trx, { sessionId: actor.sessionId }, 'signed-out', now);
    if (!ended) return;
    await recordAuditInTrx(trx, {
      action: actor.kind === 'staff' ? 'STAFF_SIGNED_OUT' : 'ACCOUNT_SIGNED_OUT',
      actor: auditActorOf(actor),
      subject: actor.kind === 'staff'
        ? { type: 'staff', id: actor.staffId } : { type: 'account', id: actor.accountId },
      agencyId: actor.kind === 'staff' ? actor.agencyId : null,
      detail: { sessionId: actor.sessionId },
      sourceAddress: source.address,
    }, now);
  });
}
