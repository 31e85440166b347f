/**
 * One USSD request, as a gateway sends it: the session, the caller's phone (asserted by the
 * authenticated gateway) and every answer so far (`text`, joined by `*`). The answers not yet
 * applied move the session's state; the reply is the screen to show (CON) or the last (END).
 * A session idle longer than the configured limit ends (END) and the next dial starts afresh.
 */
import type { ModuleDeps } from '#platform/module.ts';
import type { StkDeps } from '#modules/payments/index.ts';
import { lookupsFor } from './ussd-lookups.ts';
import { applyAnswers, type StepResult } from './ussd-menu.ts';
import { normaliseUssdPhone, phoneKeyOf } from './ussd-phone.ts';
import { findLanguage, findSession, saveSession, type UssdSessionRow } from './ussd-repo.ts';
import { drawEnd, drawScreen } from './ussd-screens.ts';
import { freshState, readState, type SessionState } from './ussd-state.ts';

export type UssdRequest = Readonly<{
  sessionId: string;
  serviceCode: string;
  phoneNumber: string;
  text: string;
}>;

export type UssdReply = Readonly<{ end: boolean; text: string }>;

/** The reply as the gateway takes it: "CON <screen>" or "END <screen>". */
export function replyBody(reply: UssdReply): string {
  return `${reply.end ? 'END' : 'CON'} ${reply.text}`;
}

/** The answers in `text`: none for the first request of a session (empty text). */
export function answersOf(text: string): string[] {
  return text === '' ? [] : text.split('*');
}

type Loaded =
  | Readonly<{ kind: 'open'; state: SessionState; applied: number; startedAt: Date }>
  | Readonly<{ kind: 'timed-out'; state: SessionState }>;

async function loadSession(deps: ModuleDeps, request: UssdRequest, phoneKey: string,
  answers: readonly string[]): Promise<Loaded> {
  const now = deps.clock.now();
  const row = await findSession(deps.db, request.sessionId);
  const idleMs = deps.config.ussd.sessionIdleSeconds * 1000;
  if (row !== undefined && row.phoneKey === phoneKey && row.endedAt === null) {
    const state = readState(row.state, 'en');
    if (now.getTime() - row.lastSeenAt.getTime() > idleMs) return { kind: 'timed-out', state };
    if (answers.length >= row.answersApplied) {
      return { kind: 'open', state, applied: row.answersApplied, startedAt: row.lastSeenAt };
    }
  }
  // A new session, an ended one dialled again, or answers the gateway started afresh: home,
  // with the answers already sent counted as seen (only the first request of a session has
  // none).
  const language = await findLanguage(deps.db, phoneKey) ?? 'en';
  return { kind: 'open', state: freshState(language),
    applied: row === undefined ? 0 : answers.length, startedAt: now };
}

/** Answers one gateway request (the gateway route and the simulator both call this). */
export async function handleUssdRequest(deps: ModuleDeps, stk: StkDeps, request: UssdRequest):
  Promise<UssdReply> {
  const phone = normaliseUssdPhone(request.phoneNumber);
  if (phone === undefined) return { end: true, text: drawEnd({ kind: 'phoneNotServed' }, 'en') };
  const phoneKey = phoneKeyOf(deps.config.ussd.phoneKey, phone);
  const answers = answersOf(request.text);
  const now = deps.clock.now();
  const loaded = await loadSession(deps, request, phoneKey, answers);
  if (loaded.kind === 'timed-out') {
    const { language } = loaded.state;
    await saveSession(deps.db, { sessionId: request.sessionId, phoneKey,
      state: freshState(language), answersApplied: answers.length, startedAt: now,
      lastSeenAt: now, endedAt: now });
    return { end: true, text: drawEnd({ kind: 'timedOut' }, language) };
  }
  const lookups = lookupsFor(deps, stk, { sessionId: request.sessionId, phone, phoneKey });
  const result: StepResult = await applyAnswers(loaded.state,
    answers.slice(loaded.applied), lookups);
  const session: UssdSessionRow & Readonly<{ startedAt: Date }> = {
    sessionId: request.sessionId, phoneKey, state: result.state, answersApplied: answers.length,
    startedAt: loaded.startedAt, lastSeenAt: now,
    endedAt: result.kind === 'end' ? now : null,
  };
  await saveSession(deps.db, session);
  return result.kind === 'end'
    ? { end: true, text: drawEnd(result.end, result.state.language) }
    : { end: false, text: drawScreen(result.state) };
}
