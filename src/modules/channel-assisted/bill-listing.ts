/**
 * Lists of bills made through agents: the citizen's own (on their account page), an agency's
 * (its staff see which of its bills came through which agent), and an agent's own. Each row
 * names the bill, the service, the agent and the agent's fee, which is never part of the bill.
 */
import type { AgencyScope } from '#modules/authorisation/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { listedMax } from './assisted-limits.ts';
import { assistedDb } from './assisted-tables.ts';

export type ListedBill = Readonly<{
  id: string;
  createdAt: Date;
  billReference: string;
  governmentFee: Money;
  serviceNameEn: string;
  serviceNameSw: string | null;
  agentNumber: string;
  agentName: string;
  agentFee: Money;
}>;

type Filter = Readonly<{ citizenAccountId: string }> | Readonly<{ agency: AgencyScope }> |
  Readonly<{ agentStaffId: string }>;

export async function listAssistedBills(deps: Pick<ModuleDeps, 'db'>, filter: Filter):
  Promise<ListedBill[]> {
  let query = assistedDb(deps.db).selectFrom('assisted_transaction as t')
    .innerJoin('invoice as i', 'i.id', 't.invoice_id')
    .innerJoin('service as s', 's.id', 't.service_id')
    .innerJoin('assisted_agent as a', 'a.staff_id', 't.agent_staff_id')
    .select(['t.id', 't.created_at', 'i.reference', 'i.currency', 'i.total_minor', 's.name_en',
      's.name_sw', 'a.agent_number', 'a.business_name', 't.agent_fee_minor']);
  if ('citizenAccountId' in filter) {
    query = query.where('t.citizen_account_id', '=', filter.citizenAccountId);
  } else if ('agentStaffId' in filter) {
    query = query.where('t.agent_staff_id', '=', filter.agentStaffId);
  } else if (filter.agency !== 'all') {
    query = query.where('t.agency_id', '=', filter.agency);
  }
  const rows = await query.orderBy('t.created_at', 'desc').limit(listedMax).execute();
  return rows.map((row) => ({ id: row.id, createdAt: row.created_at,
    billReference: row.reference, governmentFee: money(BigInt(row.total_minor), row.currency),
    serviceNameEn: row.name_en, serviceNameSw: row.name_sw, agentNumber: row.agent_number,
    agentName: row.business_name, agentFee: money(BigInt(row.agent_fee_minor), 'KES') }));
}
