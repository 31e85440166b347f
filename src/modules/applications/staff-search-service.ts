/**
 * The staff search: one box that takes an application reference, a bill reference, an M-Pesa
 * receipt number or a Huduma receipt number, and finds what it names within the officer's
 * agency (treasury and auditors: all). A match outside the scope is simply not found. Results
 * carry no payer names or phone numbers, so a search is not a personal-data read; it is
 * audited (STAFF_SEARCHED) with the kinds matched, never the query.
 */
import { recordAuditInTrx } from '#modules/audit/index.ts';
import {
  agencyScopeOf,
  auditActorOf,
  hasPermission,
  isInAgencyScope,
  type AgencyScope,
  type StaffActor,
} from '#modules/authorisation/index.ts';
import {
  findReceiptByNumber,
  listInvoiceReceipts,
  normaliseReceiptNumber,
  type ReceiptRecord,
} from '#modules/documents/index.ts';
import {
  findPaymentByReceipt,
  invoiceView,
  invoiceViewById,
  parseBillReference,
  type InvoiceView,
  type PaymentView,
} from '#modules/payments/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { applicationsDb } from './application-repo.ts';
import { normaliseApplicationReference } from './application-reference.ts';
import { findApplicationInScope, findInvoiceSubject, type FoundApplication } from
  './staff-search-repo.ts';

export type StaffSearchDeps = Pick<ModuleDeps, 'db' | 'clock' | 'logger'>;

/** Longest query the box takes: every reference it knows is far shorter. */
export const searchQueryLengthMax = 40;
const hudumaReceiptPattern = /^HR[0-9A-Z]{10}$/;
/** M-Pesa receipt numbers are 10 letters and digits; allow a little either side. */
const mpesaReceiptPattern = /^[0-9A-Z]{8,12}$/;

export type QueryKind = 'application' | 'bill' | 'mpesa-receipt' | 'huduma-receipt';

/** What a typed query could be (several at once: a receipt number may also parse as a bill). */
export function queryKindsOf(typed: string): QueryKind[] {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '');
  const kinds: QueryKind[] = [];
  if (normaliseApplicationReference(typed) !== undefined) kinds.push('application');
  if (parseBillReference(typed) !== undefined) kinds.push('bill');
  if (mpesaReceiptPattern.test(compact)) kinds.push('mpesa-receipt');
  if (hudumaReceiptPattern.test(normaliseReceiptNumber(typed))) kinds.push('huduma-receipt');
  return kinds;
}

export type InvoiceMatch = Readonly<{ invoice: InvoiceView; application?: FoundApplication;
  receipts: readonly ReceiptRecord[] }>;

export type SearchMatch =
  | Readonly<{ kind: 'application'; application: FoundApplication }>
  | Readonly<{ kind: 'invoice' } & InvoiceMatch>
  | Readonly<{ kind: 'payment'; payment: PaymentView; paidFor?: InvoiceMatch }>
  | Readonly<{ kind: 'receipt'; receipt: ReceiptRecord; application?: FoundApplication }>;

export type SearchOutcome = Readonly<{ query: string; matches: readonly SearchMatch[] }>;

type Finder = Readonly<{ deps: StaffSearchDeps; scope: AgencyScope; now: Date }>;

async function applicationPaidBy(finder: Finder, invoiceId: string | null):
  Promise<FoundApplication | undefined> {
  if (invoiceId === null) return undefined;
  const db = applicationsDb(finder.deps.db);
  const subject = await findInvoiceSubject(db, invoiceId);
  const id = subject?.startsWith('application:') === true ? subject.slice(12) : '';
  return isUuid(id) ? findApplicationInScope(db, { id }, finder.scope) : undefined;
}

async function invoiceMatch(finder: Finder, invoice: InvoiceView | undefined):
  Promise<InvoiceMatch | undefined> {
  if (invoice === undefined || !isInAgencyScope(finder.scope, invoice.agencyId)) return undefined;
  const [application, receipts] = await Promise.all([
    applicationPaidBy(finder, invoice.id), listInvoiceReceipts(finder.deps, invoice.id)]);
  return { invoice, receipts, ...(application === undefined ? {} : { application }) };
}

async function findApplication(finder: Finder, typed: string): Promise<SearchMatch[]> {
  const reference = normaliseApplicationReference(typed);
  if (reference === undefined) return [];
  const application = await findApplicationInScope(applicationsDb(finder.deps.db),
    { reference }, finder.scope);
  return application === undefined ? [] : [{ kind: 'application', application }];
}

async function findInvoice(finder: Finder, typed: string): Promise<SearchMatch[]> {
  const match = await invoiceMatch(finder, await invoiceView(finder.deps, typed, finder.now));
  return match === undefined ? [] : [{ kind: 'invoice', ...match }];
}

async function findPayment(finder: Finder, typed: string): Promise<SearchMatch[]> {
  const payment = await findPaymentByReceipt(finder.deps,
    typed.toUpperCase().replace(/[\s-]/g, ''));
  if (payment === undefined) return [];
  // Money that reached no invoice (suspense, credit) belongs to no agency: treasury's to see.
  if (payment.invoiceId === null) {
    return finder.scope === 'all' ? [{ kind: 'payment', payment }] : [];
  }
  const paidFor = await invoiceMatch(finder,
    await invoiceViewById(finder.deps, payment.invoiceId, finder.now));
  return paidFor === undefined ? [] : [{ kind: 'payment', payment, paidFor }];
}

async function findReceipt(finder: Finder, typed: string): Promise<SearchMatch[]> {
  const receipt = await findReceiptByNumber(finder.deps, typed);
  if (receipt === undefined || !isInAgencyScope(finder.scope, receipt.agencyId)) return [];
  const application = await applicationPaidBy(finder, receipt.invoiceId);
  return [{ kind: 'receipt', receipt, ...(application === undefined ? {} : { application }) }];
}

const finders: Readonly<Record<QueryKind, (finder: Finder, typed: string) =>
  Promise<SearchMatch[]>>> = {
  application: findApplication,
  bill: findInvoice,
  'mpesa-receipt': findPayment,
  'huduma-receipt': findReceipt,
};

/** The kinds a staff member may look for: applications and money need their own permission. */
function permittedKinds(staff: StaffActor, kinds: readonly QueryKind[]): QueryKind[] {
  return kinds.filter((kind) => hasPermission(staff,
    kind === 'application' ? 'applications.read' : 'payments.read'));
}

/**
 * Finds what the query names in the staff member's scope, and audits the search
 * (STAFF_SEARCHED: the kinds the query could be and the kinds matched, not the query).
 * An empty or over-long query finds nothing and is not audited. Never fails.
 */
export async function searchAsStaff(deps: StaffSearchDeps, staff: StaffActor, typed: string):
  Promise<SearchOutcome> {
  const query = typed.trim();
  if (query === '' || query.length > searchQueryLengthMax) return { query, matches: [] };
  const now = deps.clock.now();
  const finder: Finder = { deps, scope: agencyScopeOf(staff), now };
  const kinds = permittedKinds(staff, queryKindsOf(query));
  const matches = (await Promise.all(kinds.map((kind) => finders[kind](finder, query)))).flat();
  await applicationsDb(deps.db).transaction().execute(async (trx) => recordAuditInTrx(trx, {
    action: 'STAFF_SEARCHED', actor: auditActorOf(staff),
    subject: { type: 'staff_search', id: null }, agencyId: staff.agencyId,
    personalDataRead: false,
    detail: { queryKinds: kinds.join(',') || 'none',
      matched: matches.map((match) => match.kind).join(',') || 'none',
      matchCount: matches.length },
  }, now));
  return { query, matches };
}
