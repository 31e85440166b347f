/**
 * What the menus look up, through the other modules' index.ts: bills (payments, names from the
 * catalogue), M-Pesa payments by receipt (no payer data), the caller's own payments, their own
 * applications, receipts and documents by number. Every lookup a caller can guess with counts
 * against the phone's hourly limit, checked before the database is asked.
 */
import { uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { findApplicationStatusForPhone } from '#modules/applications/index.ts';
import { findAgencyById, findServiceById } from '#modules/catalogue/index.ts';
import {
  findIssuedDocumentByNumber,
  findReceiptByNumber,
  kenyaDate,
} from '#modules/documents/index.ts';
import {
  findPaymentByReceipt,
  initiateStkPush,
  invoiceView,
  listPaymentsFromPhone,
  stkPushView,
  type InvoiceView,
  type StkDeps,
} from '#modules/payments/index.ts';
import type { Lookup, UssdLookups } from './ussd-menu.ts';
import { countLookup, listPayments, recordPayment, saveLanguage } from './ussd-repo.ts';
import type { BillFacts, MineItem, Screen } from './ussd-state.ts';

export type UssdCaller = Readonly<{
  sessionId: string;
  /** +254XXXXXXXXX, as the authenticated gateway asserted it. */
  phone: string;
  phoneKey: string;
}>;

const windowMs = 60 * 60_000;
const paymentsShown = 3;
const mineWindowMs = 90 * 24 * 60 * 60_000;
const payableStatuses = new Set(['unpaid', 'partially_paid']);

/** True while the phone has lookups left this hour (counting this one). */
async function allowed(deps: ModuleDeps, caller: UssdCaller): Promise<boolean> {
  const now = deps.clock.now().getTime();
  const windowStart = new Date(now - (now % windowMs));
  const count = await countLookup(deps.db, caller.phoneKey, windowStart);
  return count <= deps.config.ussd.lookupsPerHour;
}

async function billFacts(deps: ModuleDeps, view: InvoiceView): Promise<BillFacts> {
  const [service, agency] = await Promise.all([findServiceById(deps, view.serviceId),
    findAgencyById(deps, view.agencyId)]);
  return {
    reference: view.reference,
    serviceEn: service?.nameEn ?? '-', serviceSw: service?.nameSw ?? null,
    agencyEn: agency?.nameEn ?? '-', agencySw: agency?.nameSw ?? null,
    status: view.status, currency: view.total.currency,
    totalMinor: view.total.amountMinor.toString(), dueMinor: view.balanceDue.amountMinor.toString(),
    payable: payableStatuses.has(view.status) && view.balanceDue.amountMinor > 0n,
  };
}

/** A typed receipt or reference as looked up: upper case, no spaces. */
function compact(typed: string): string {
  return typed.toUpperCase().replace(/\s/g, '');
}

async function paymentScreen(deps: ModuleDeps, typed: string):
  Promise<Lookup<Extract<Screen, { kind: 'payment' }>>> {
  const receipt = compact(typed);
  if (!/^[A-Z0-9]{10}$/.test(receipt)) return 'not-found';
  const payment = await findPaymentByReceipt(deps, receipt);
  if (payment === undefined) return 'not-found';
  return { kind: 'payment', payment: {
    receipt, amountMinor: payment.amount.amountMinor.toString(),
    currency: payment.amount.currency,
    billReference: payment.accountReference === '' ? null : payment.accountReference.slice(0, 20),
    paidOn: kenyaDate(payment.paidAt), disposition: payment.disposition,
  } };
}

async function verifyScreen(deps: ModuleDeps, typed: string):
  Promise<Lookup<Extract<Screen, { kind: 'receipt' } | { kind: 'document' }>>> {
  const number = compact(typed);
  if (number.startsWith('HD')) {
    const document = await findIssuedDocumentByNumber(deps, number);
    if (document === undefined) return 'not-found';
    const now = deps.clock.now();
    const status = document.revokedAt !== null ? 'revoked'
      : document.expiresAt !== null && document.expiresAt <= now ? 'expired' : 'valid';
    return { kind: 'document', document: {
      number: document.number, status, serviceEn: document.serviceName.en,
      serviceSw: document.serviceName.sw, issuedOn: kenyaDate(document.issuedAt) } };
  }
  const receipt = await findReceiptByNumber(deps, number);
  if (receipt === undefined) return 'not-found';
  return { kind: 'receipt', receipt: {
    number: receipt.number, amountMinor: receipt.amount.amountMinor.toString(),
    currency: receipt.amount.currency, agencyEn: receipt.agencyName,
    agencySw: receipt.details.agencyNameSw, billReference: receipt.invoiceReference,
    paidOn: kenyaDate(receipt.paidAt) } };
}

/**
 * The phone's last payments: every paid M-Pesa prompt sent to this number (from USSD, the web
 * or an agency), from payments, with the prompts it asked for over USSD that are not paid
 * (waiting, not paid), newest first. A paid USSD prompt is in the first list, so it is skipped
 * in the second. Only the last 90 days: a number passed on to someone else forgets.
 */
async function mineScreen(deps: ModuleDeps, caller: UssdCaller):
  Promise<Extract<Screen, { kind: 'mine' }>> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - mineWindowMs);
  const [paid, rows] = await Promise.all([
    listPaymentsFromPhone(deps, { phone: caller.phone, since, limit: paymentsShown }),
    listPayments(deps.db, caller.phoneKey, paymentsShown)]);
  const items: Array<MineItem & Readonly<{ at: number }>> = paid.map((payment) => ({
    reference: payment.billReference, amountMinor: payment.amount.amountMinor.toString(),
    currency: payment.amount.currency, outcome: 'confirmed', on: kenyaDate(payment.paidAt),
    at: payment.paidAt.getTime() }));
  for (const row of rows) {
    const push = await stkPushView(deps, row.stkPushId, now);
    if (push === undefined || push.status.kind === 'confirmed' || push.createdAt < since) continue;
    items.push({ reference: push.invoiceReference,
      amountMinor: push.amount.amountMinor.toString(), currency: push.amount.currency,
      // Pending and unconfirmed prompts are still "waiting" to the caller.
      outcome: push.status.kind === 'failed' ? 'failed' : 'waiting',
      on: kenyaDate(push.createdAt), at: push.createdAt.getTime() });
  }
  items.sort((a, b) => b.at - a.at);
  return { kind: 'mine', items: items.slice(0, paymentsShown)
    .map(({ at: _at, ...item }) => item) };
}

async function pay(deps: ModuleDeps, stk: StkDeps, caller: UssdCaller, bill: BillFacts):
  Promise<boolean> {
  const now = deps.clock.now();
  const sent = await initiateStkPush(stk, {
    invoiceReference: bill.reference, phone: caller.phone, requestedBy: 'ussd',
    requestKey: `ussd:${caller.sessionId}:${bill.reference}`.slice(0, 100), now,
  });
  if (!sent.ok) return false;
  await recordPayment(deps.db, { id: uuidv7(now.getTime()), phoneKey: caller.phoneKey,
    invoiceReference: bill.reference, stkPushId: sent.value.id, now });
  return sent.value.status.kind !== 'failed';
}

/** The lookups of one request, for one authenticated caller. */
export function lookupsFor(deps: ModuleDeps, stk: StkDeps, caller: UssdCaller): UssdLookups {
  const limited = <T>(find: (typed: string) => Promise<Lookup<T>>) =>
    async (typed: string): Promise<Lookup<T>> =>
      await allowed(deps, caller) ? find(typed) : 'rate-limited';
  return {
    bill: limited(async (typed) => {
      const view = await invoiceView(deps, typed, deps.clock.now());
      return view === undefined ? 'not-found' : billFacts(deps, view);
    }),
    payment: limited((typed) => paymentScreen(deps, typed)),
    application: limited(async (typed) => {
      const found = await findApplicationStatusForPhone(deps, typed, caller.phone);
      return found === undefined ? 'not-found' : { kind: 'application', application: {
        reference: found.reference, status: found.status, serviceEn: found.serviceNameEn,
        serviceSw: found.serviceNameSw } };
    }),
    verify: limited((typed) => verifyScreen(deps, typed)),
    mine: () => mineScreen(deps, caller),
    pay: (bill) => pay(deps, stk, caller, bill),
    saveLanguage: (language) => saveLanguage(deps.db, caller.phoneKey, language,
      deps.clock.now()),
  };
}
