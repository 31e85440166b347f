/**
 * Invariant 4 for applications: the status is a function of the log. For every application,
 * the action log is a path through the transition table, and the projection (application_state)
 * says what the log says: the status it implies, its last sequence number, its bill (the one
 * its 'pay' names, else the newest its 'invoice' or 'reissue' issued) and the document of its
 * 'issue' action; and its bills (applications-bills-check.ts). Run by `huduma ledger check`.
 */
import type { Kysely } from 'kysely';
import { checkApplicationBills } from './applications-bills-check.ts';
import { applicationsDb, type ApplicationsDb } from './application-repo.ts';
import { deriveApplicationStatus, type ApplicationActionKind } from './application-status.ts';

export type ApplicationFinding = Readonly<{ applicationId: string; detail: string }>;

export type ApplicationsCheckReport = Readonly<{
  applicationsChecked: number;
  findings: readonly ApplicationFinding[];
}>;

const batchSize = 500;
const findingsMax = 100;

type LoggedAction = Readonly<{ seq: number; kind: ApplicationActionKind; detail: unknown }>;
type StateRow = Readonly<{ application_id: string; status: string; last_seq: number;
  invoice_id: string | null; document_id: string | null }>;

function detailOf(action: LoggedAction | undefined, key: string): unknown {
  const detail = action?.detail;
  return typeof detail === 'object' && detail !== null
    ? (detail as Readonly<Record<string, unknown>>)[key] : undefined;
}

/** What is wrong with one application's projection against its log (pure). */
export function applicationFindings(state: StateRow, actions: readonly LoggedAction[]):
  string[] {
  const problems: string[] = [];
  // Every application is written with its 'start': a projection with no log says nothing true.
  if (actions.length === 0) return ['action log is empty'];
  const seqs = actions.map((action) => action.seq);
  if (seqs.some((seq, index) => seq !== index + 1)) problems.push('action log has a gap');
  let derived: string | undefined;
  try {
    derived = deriveApplicationStatus(actions.map((action) => action.kind));
  } catch (error) {
    problems.push(`log breaks the transition table: ${(error as Error).message}`);
  }
  if (derived !== undefined && derived !== state.status) {
    problems.push(`status ${state.status} but the log says ${derived}`);
  }
  if ((actions.at(-1)?.seq ?? 0) !== state.last_seq) problems.push('last_seq is not the log\'s');
  // The bill paid, else the newest issued (a reissue replaces an expired one).
  const paidBill = detailOf(actions.find((action) => action.kind === 'pay'), 'invoiceId');
  const issuedBill = detailOf(actions.findLast((action) =>
    action.kind === 'invoice' || action.kind === 'reissue'), 'invoiceId');
  if ((paidBill ?? issuedBill ?? null) !== state.invoice_id) {
    problems.push('invoice differs from the log\'s');
  }
  const issued = detailOf(actions.find((action) => action.kind === 'issue'), 'documentId');
  if ((issued ?? null) !== state.document_id) problems.push('document differs from the log\'s');
  return problems;
}

async function batch(db: ApplicationsDb, after: string | undefined): Promise<StateRow[]> {
  let query = db.selectFrom('application_state')
    .select(['application_id', 'status', 'last_seq', 'invoice_id', 'document_id']);
  if (after !== undefined) query = query.where('application_id', '>', after);
  return query.orderBy('application_id').limit(batchSize).execute();
}

export async function checkApplications<DB>(database: Kysely<DB>,
  onProgress?: (done: number) => void): Promise<ApplicationsCheckReport> {
  const db = applicationsDb(database);
  const findings: ApplicationFinding[] = [];
  let checked = 0;
  let after: string | undefined;
  for (;;) {
    const states = await batch(db, after);
    if (states.length === 0) break;
    const ids = states.map((state) => state.application_id);
    const actions = await db.selectFrom('application_action')
      .select(['application_id', 'seq', 'kind', 'detail'])
      .where('application_id', 'in', ids).orderBy('application_id').orderBy('seq').execute();
    const byApplication = Map.groupBy(actions, (action) => action.application_id);
    for (const state of states) {
      for (const detail of applicationFindings(state,
        byApplication.get(state.application_id) ?? [])) {
        if (findings.length < findingsMax) {
          findings.push({ applicationId: state.application_id, detail });
        }
      }
    }
    checked += states.length;
    onProgress?.(checked);
    after = ids.at(-1);
    if (states.length < batchSize) break;
  }
  // An application without its projection is invisible to every list and queue.
  const orphans = await db.selectFrom('application').select('application.id')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('application_state').select('application_id')
      .whereRef('application_state.application_id', '=', 'application.id'))))
    .orderBy('application.id').limit(findingsMax).execute();
  for (const orphan of orphans) {
    if (findings.length < findingsMax) {
      findings.push({ applicationId: orphan.id, detail: 'application has no application_state' });
    }
  }
  for (const finding of await checkApplicationBills(database, findingsMax)) {
    if (findings.length < findingsMax) findings.push(finding);
  }
  return { applicationsChecked: checked, findings };
}
