/**
 * Consent and the assisted session. The agent types the citizen's phone or ID number; a code
 * goes by SMS to the phone on the CITIZEN'S account (never shown to the agent; rate-limited per
 * citizen and per agent; it expires and locks after wrong tries); the agent types the code the
 * citizen reads out, which opens a session for that one citizen, for a limited time, in which
 * the agent may make bills in the citizen's name. Every step is audited, for the citizen.
 */
import { sql } from 'kysely';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { auditActorOf, type StaffActor } from '#modules/authorisation/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import { isUuid, uuidv7 } from '#platform/ids/index.ts';
import { findAgent, type AgentView, type AssistedDeps } from './agent-register-service.ts';
import type { AssistedErrorCode } from './assisted-errors.ts';
import {
  assistedSessionLifetimeMs,
  consentCodeLifetimeMs,
  consentCodesPerAgentMax,
  consentCodesPerCitizenMax,
  consentRateWindowMs,
} from './assisted-limits.ts';
import { assistedDb, type AssistedConsentTable } from './assisted-tables.ts';
import { findCitizen, findCitizenById, type Citizen } from './citizen-lookup.ts';
import {
  generateConsentCode,
  hashConsentCode,
  isSessionLive,
  judgeConsentCode,
  maskDocumentNumber,
  parseCitizenQuery,
  sameHash,
  shortName,
} from './consent-rules.ts';

type Fail = Failure<AssistedErrorCode>;

export type ConsentRequested = Readonly<{ consentId: string; phoneEnding: string }>;

function phoneEnding(phone: string): string {
  return phone.slice(-3);
}

/** The agent's register entry; err ASSISTED_AGENT_NOT_REGISTERED without one. */
export async function registeredAgent(deps: AssistedDeps, agent: StaffActor):
  Promise<Result<AgentView, Fail>> {
  const found = await findAgent(assistedDb(deps.db), agent.staffId);
  return found === undefined ? err(failure('ASSISTED_AGENT_NOT_REGISTERED')) : ok(found);
}

/**
 * Sends a consent code to the citizen's registered phone.
 * @returns err ASSISTED_AGENT_NOT_REGISTERED, ASSISTED_CITIZEN_NOT_FOUND,
 *   ASSISTED_CITIZEN_AMBIGUOUS, ASSISTED_CITIZEN_HAS_NO_PHONE, ASSISTED_CONSENT_RATE_LIMITED.
 */
export async function requestConsent(
  deps: AssistedDeps,
  input: Readonly<{ agent: StaffActor; citizen: string; now: Date; sourceAddress: string | null }>,
): Promise<Result<ConsentRequested, Fail>> {
  const agent = await registeredAgent(deps, input.agent);
  if (!agent.ok) return agent;
  const query = parseCitizenQuery(input.citizen);
  const match = query === undefined ? { kind: 'none' as const }
    : await findCitizen(assistedDb(deps.db), query);
  if (match.kind === 'none') return err(failure('ASSISTED_CITIZEN_NOT_FOUND'));
  if (match.kind === 'many') return err(failure('ASSISTED_CITIZEN_AMBIGUOUS'));
  const citizen = match.citizen;
  if (citizen.phone === null) return err(failure('ASSISTED_CITIZEN_HAS_NO_PHONE'));
  const phone = citizen.phone;
  const { now } = input;
  return assistedDb(deps.db).transaction().execute(async (trx) => {
    // One sender at a time per citizen, so two agents racing cannot both pass the limit.
    await sql`select pg_advisory_xact_lock(hashtext(${`assisted:${citizen.id}`}))`.execute(trx);
    const since = new Date(now.getTime() - consentRateWindowMs);
    const counts = await trx.selectFrom('assisted_consent')
      .select([
        sql<string>`count(*) filter (where citizen_account_id = ${citizen.id})`.as('citizen'),
        sql<string>`count(*) filter (where agent_staff_id = ${input.agent.staffId})`.as('agent'),
      ])
      .where('created_at', '>', since)
      .where((eb) => eb.or([eb('citizen_account_id', '=', citizen.id),
        eb('agent_staff_id', '=', input.agent.staffId)]))
      .executeTakeFirstOrThrow();
    if (BigInt(counts.citizen) >= BigInt(consentCodesPerCitizenMax) ||
      BigInt(counts.agent) >= BigInt(consentCodesPerAgentMax)) {
      return err(failure('ASSISTED_CONSENT_RATE_LIMITED'));
    }
    const consentId = uuidv7(now.getTime());
    const code = generateConsentCode();
    await trx.insertInto('assisted_consent').values({ id: consentId,
      agent_staff_id: input.agent.staffId, citizen_account_id: citizen.id,
      code_hash: hashConsentCode(consentId, code), attempts: 0, created_at: now,
      code_expires_at: new Date(now.getTime() + consentCodeLifetimeMs), consented_at: null,
      session_expires_at: null, ended_at: null }).execute();
    await enqueueNotificationInTrx(trx, { channel: 'sms', to: phone,
      template: 'assisted.consent-code', language: citizen.language, accountId: citizen.id,
      params: { code, agentNumber: agent.value.agentNumber,
        minutes: String(assistedSessionLifetimeMs / 60_000) } }, now);
    await recordAuditInTrx(trx, { action: 'ASSISTED_CONSENT_REQUESTED',
      actor: auditActorOf(input.agent), onBehalfOf: { kind: 'account', id: citizen.id },
      subject: { type: 'assisted_consent', id: consentId }, sourceAddress: input.sourceAddress },
    now);
    return ok({ consentId, phoneEnding: phoneEnding(phone) });
  });
}

/**
 * Checks the code the citizen read out; the right one opens the session.
 * @returns err ASSISTED_CONSENT_NOT_FOUND (not this agent's), ASSISTED_CONSENT_CODE_WRONG
 *   (detail: attempts left), ASSISTED_CONSENT_EXPIRED (expired, used, or locked).
 */
export async function confirmConsent(
  deps: AssistedDeps,
  input: Readonly<{ agent: StaffActor; consentId: string; code: string; now: Date;
    sourceAddress: string | null }>,
): Promise<Result<{ sessionId: string }, Fail>> {
  if (!isUuid(input.consentId)) return err(failure('ASSISTED_CONSENT_NOT_FOUND'));
  const { now } = input;
  return assistedDb(deps.db).transaction().execute(async (trx) => {
    const row = await trx.selectFrom('assisted_consent').selectAll()
      .where('id', '=', input.consentId).where('agent_staff_id', '=', input.agent.staffId)
      .forUpdate().executeTakeFirst();
    if (row === undefined) return err(failure('ASSISTED_CONSENT_NOT_FOUND'));
    const typed = input.code.replace(/\s/g, '');
    const matches = sameHash(hashConsentCode(row.id, typed), row.code_hash);
    const verdict = judgeConsentCode({ attempts: row.attempts,
      codeExpiresAt: row.code_expires_at, consentedAt: row.consented_at }, matches, now);
    if (verdict.kind === 'expired') return err(failure('ASSISTED_CONSENT_EXPIRED'));
    if (verdict.kind === 'wrong') {
      await trx.updateTable('assisted_consent').set({ attempts: row.attempts + 1 })
        .where('id', '=', row.id).execute();
      return err(failure('ASSISTED_CONSENT_CODE_WRONG', String(verdict.attemptsLeft)));
    }
    await trx.updateTable('assisted_consent').set({ consented_at: now,
      session_expires_at: new Date(now.getTime() + assistedSessionLifetimeMs) })
      .where('id', '=', row.id).execute();
    await recordAuditInTrx(trx, { action: 'ASSISTED_CONSENT_GIVEN',
      actor: auditActorOf(input.agent),
      onBehalfOf: { kind: 'account', id: row.citizen_account_id },
      subject: { type: 'assisted_consent', id: row.id }, sourceAddress: input.sourceAddress },
    now);
    return ok({ sessionId: row.id });
  });
}

export type AssistedSession = Readonly<{
  id: string;
  agent: AgentView;
  citizen: Citizen;
  /** What the agent is shown of the citizen: a short name and the ID number masked. */
  citizenName: string;
  maskedDocument: string;
  phoneEnding: string | null;
  expiresAt: Date;
}>;

/** A consent row of this agent (for the code page), or undefined. */
export async function findAgentConsent(deps: AssistedDeps, agent: StaffActor, id: string):
  Promise<AssistedConsentTable | undefined> {
  if (!isUuid(id)) return undefined;
  return assistedDb(deps.db).selectFrom('assisted_consent').selectAll().where('id', '=', id)
    .where('agent_staff_id', '=', agent.staffId).executeTakeFirst();
}

/**
 * The agent's live session with a citizen.
 * @returns err ASSISTED_SESSION_NOT_ACTIVE when not this agent's, not consented, ended or past
 *   its time; ASSISTED_AGENT_NOT_REGISTERED when the agent left the register.
 */
export async function liveSession(deps: AssistedDeps, agent: StaffActor, sessionId: string,
  now: Date): Promise<Result<AssistedSession, Fail>> {
  const row = await findAgentConsent(deps, agent, sessionId);
  if (row === undefined || !isSessionLive({ consentedAt: row.consented_at,
    sessionExpiresAt: row.session_expires_at, endedAt: row.ended_at }, now)) {
    return err(failure('ASSISTED_SESSION_NOT_ACTIVE'));
  }
  const registered = await registeredAgent(deps, agent);
  if (!registered.ok) return registered;
  const citizen = await findCitizenById(assistedDb(deps.db), row.citizen_account_id);
  if (citizen === undefined) return err(failure('ASSISTED_SESSION_NOT_ACTIVE'));
  return ok({ id: row.id, agent: registered.value, citizen, citizenName: shortName(citizen),
    maskedDocument: maskDocumentNumber(citizen.documentNumber),
    phoneEnding: citizen.phone === null ? null : phoneEnding(citizen.phone),
    expiresAt: row.session_expires_at ?? now });
}

/** Ends the session now (idempotent); audited. */
export async function endSession(deps: AssistedDeps, agent: StaffActor, sessionId: string,
  now: Date): Promise<void> {
  if (!isUuid(sessionId)) return;
  await assistedDb(deps.db).transaction().execute(async (trx) => {
    const ended = await trx.updateTable('assisted_consent').set({ ended_at: now })
      .where('id', '=', sessionId).where('agent_staff_id', '=', agent.staffId)
      .where('ended_at', 'is', null).where('consented_at', 'is not', null)
      .returning('citizen_account_id').executeTakeFirst();
    if (ended === undefined) return;
    await recordAuditInTrx(trx, { action: 'ASSISTED_SESSION_ENDED', actor: auditActorOf(agent),
      onBehalfOf: { kind: 'account', id: ended.citizen_account_id },
      subject: { type: 'assisted_consent', id: sessionId } }, now);
  });
}
