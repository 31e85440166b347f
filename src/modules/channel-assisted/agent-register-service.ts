/**
 * The agent register: a platform administrator lists a member of staff who holds the
 * assisted-agent role with their business or centre, its kind, location and agent number (the
 * number citizens see on their messages). An agent not listed serves no one. Audited.
 */
import { recordAuditInTrx, type AuditActor } from '#modules/audit/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import type { AssistedErrorCode } from './assisted-errors.ts';
import { listedMax } from './assisted-limits.ts';
import {
  agentKinds,
  assistedDb,
  type AgentKind,
  type AssistedAgentTable,
  type AssistedDb,
} from './assisted-tables.ts';

export type AssistedDeps = Pick<ModuleDeps, 'db' | 'clock' | 'logger' | 'config'>;

export type AgentView = Readonly<{
  staffId: string;
  agentNumber: string;
  businessName: string;
  kind: AgentKind;
  location: string;
  registeredAt: Date;
}>;

export type NewAgent = Readonly<{
  email: string;
  agentNumber: string;
  businessName: string;
  kind: string;
  location: string;
}>;

function viewOf(row: AssistedAgentTable): AgentView {
  return { staffId: row.staff_id, agentNumber: row.agent_number,
    businessName: row.business_name, kind: row.kind, location: row.location,
    registeredAt: row.registered_at };
}

function isAgentKind(value: string): value is AgentKind {
  return (agentKinds as readonly string[]).includes(value);
}

/** The cleaned entry, or undefined when a field breaks the register's rules. */
export function cleanAgent(input: NewAgent):
  (Omit<NewAgent, 'kind'> & Readonly<{ kind: AgentKind }>) | undefined {
  const agentNumber = input.agentNumber.trim().toUpperCase();
  const businessName = input.businessName.trim();
  const location = input.location.trim();
  if (!/^[A-Z0-9][A-Z0-9-]{2,19}$/.test(agentNumber) || !isAgentKind(input.kind) ||
    businessName.length < 1 || businessName.length > 120 || location.length < 1 ||
    location.length > 120) {
    return undefined;
  }
  return { email: input.email.trim().toLowerCase(), agentNumber, businessName,
    kind: input.kind, location };
}

export async function findAgent(db: AssistedDb, staffId: string): Promise<AgentView | undefined> {
  const row = await db.selectFrom('assisted_agent').selectAll().where('staff_id', '=', staffId)
    .executeTakeFirst();
  return row === undefined ? undefined : viewOf(row);
}

export async function listAgents(deps: Pick<ModuleDeps, 'db'>): Promise<AgentView[]> {
  const rows = await assistedDb(deps.db).selectFrom('assisted_agent').selectAll()
    .orderBy('agent_number').limit(listedMax).execute();
  return rows.map(viewOf);
}

/**
 * Lists an assisted agent in the register.
 * @returns err ASSISTED_AGENT_INVALID, ASSISTED_AGENT_STAFF_NOT_FOUND (no active staff member
 *   with the role and that e-mail), ASSISTED_AGENT_NUMBER_TAKEN (number or person listed).
 */
export async function registerAgent(
  deps: AssistedDeps,
  input: NewAgent & Readonly<{ actor: AuditActor & Readonly<{ id: string }>; now: Date }>,
): Promise<Result<AgentView, Failure<AssistedErrorCode>>> {
  const clean = cleanAgent(input);
  if (clean === undefined) return err(failure('ASSISTED_AGENT_INVALID'));
  return assistedDb(deps.db).transaction().execute(async (trx) => {
    const staff = await trx.selectFrom('staff_member').select(['id'])
      .where('email', '=', clean.email).where('role', '=', 'assisted-agent')
      .where('status', '=', 'active').executeTakeFirst();
    if (staff === undefined) return err(failure('ASSISTED_AGENT_STAFF_NOT_FOUND'));
    const row: AssistedAgentTable = { staff_id: staff.id, agent_number: clean.agentNumber,
      business_name: clean.businessName, kind: clean.kind, location: clean.location,
      registered_by_staff_id: input.actor.id, registered_at: input.now };
    const inserted = await trx.insertInto('assisted_agent').values(row)
      .onConflict((conflict) => conflict.doNothing()).returning('staff_id').executeTakeFirst();
    if (inserted === undefined) return err(failure('ASSISTED_AGENT_NUMBER_TAKEN'));
    await recordAuditInTrx(trx, { action: 'ASSISTED_AGENT_REGISTERED', actor: input.actor,
      subject: { type: 'staff', id: staff.id },
      detail: { agentNumber: clean.agentNumber, kind: clean.kind } }, input.now);
    return ok(viewOf(row));
  });
}
