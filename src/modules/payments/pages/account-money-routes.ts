/**
 * The citizen's money under /account: their bills by group with Pay and Cancel (a confirmation
 * page, then a CSRF-checked POST answering 303), and their payments, receipts and credit. When
 * the citizen acts for a dependant or a business, these are THAT account's bills and payments
 * (payerAccountIdOf). A bill of another payer is "not found" (404), as on the pay pages.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { auditActorOf, csrfField } from '#modules/authorisation/index.ts';
import { findServiceById } from '#modules/catalogue/index.ts';
import { documentsPaths, listReceiptsBySource } from '#modules/documents/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { money, subtract } from '#platform/money/index.ts';
import {
  pickText,
  registerAccountSection,
  sendHtml,
  type Language,
  type LocalisedText,
} from '#web/index.ts';
import { allocationReceiptKey } from '../allocation-receipt-service.ts';
import { payerCreditBalance } from '../credit-service.ts';
import { cancelInvoice, type InvoiceView } from '../invoice-service.ts';
import { deriveInvoiceStatus } from '../invoice-status.ts';
import {
  accountMoneyPaths,
  accountMoneyRoutePatterns,
  isBillGroup,
  type BillGroup,
} from './account-money-paths.ts';
import {
  countPayerAllocations,
  countPayerBills,
  findBillSubject,
  listPayerAllocations,
  listPayerBills,
  type BillRow,
} from './account-money-repo.ts';
import { accountMoneySection, accountMoneySectionOrder } from './account-money-section.ts';
import { renderBillsPage, renderCancelPage, type BillItem } from './account-money-views.ts';
import { renderPaymentsPage } from './account-payments-views.ts';
import { payerCancelRefusal } from './bill-cancel-policy.ts';
import { actingForNames, payerAccountIdOf, payersInvoice } from './pay-access.ts';

/** Rows per page of bills or payments; open bills offered for credit. */
export const accountMoneyPageSize = 20;
const creditBillsMax = 5;
/** Deeper pages than this are refused (400): nobody has that many bills. */
const pageMax = 500;

const payer = { access: { permission: 'account.self' } } as const;
type ReferenceParams = { Params: { reference: string } };
const referenceParams = {
  type: 'object', properties: { reference: { type: 'string', maxLength: 40 } },
  required: ['reference'],
} as const;
type BillsQuery = { Querystring: { group?: string; page?: number; notice?: string } };
const listQuery = {
  type: 'object', properties: {
    group: { type: 'string', maxLength: 20 },
    page: { type: 'integer', minimum: 1, maximum: pageMax },
    notice: { type: 'string', maxLength: 20 },
  },
} as const;

function pageOf(page: number | undefined): number {
  return page === undefined || page > pageMax ? 1 : page;
}

/** Service names in the reader's language (Swahili from the catalogue, else English). */
async function serviceNames(deps: ModuleDeps, serviceIds: readonly string[],
  language: Language): Promise<Map<string, LocalisedText>> {
  const names = new Map<string, LocalisedText>();
  for (const id of new Set(serviceIds)) {
    const service = await findServiceById(deps, id);
    names.set(id, pickText(language, { en: service?.nameEn ?? id, sw: service?.nameSw }));
  }
  return names;
}

function billItem(row: BillRow, name: LocalisedText, now: Date): BillItem {
  const status = deriveInvoiceStatus({ total: row.total, expiresAt: row.expiresAt,
    cancelledAt: row.cancelledAt, withdrawnAt: row.withdrawnAt },
  [{ amount: row.allocated, allocatedAt: row.issuedAt }], now);
  const difference = subtract(row.total, row.allocated);
  return {
    reference: row.reference, serviceName: name, total: row.total,
    balanceDue: difference.amountMinor > 0n ? difference : money(0n, row.total.currency),
    status, issuedAt: row.issuedAt, expiresAt: row.expiresAt,
    cancellable: payerCancelRefusal({ status, subject: row.subject }) === undefined,
    // Paid for the wrong service: a bill for a fee on its own, or one its application released.
    refundable: (status === 'paid' || status === 'overpaid') &&
      (row.released || row.subject === null) ? row.id : undefined,
  };
}

/** One page of the payer's bills in a group, as the page shows them. */
export async function payerBillItems(deps: ModuleDeps, input: Readonly<{
  payerAccountId: string; group: BillGroup; page: number; pageSize: number; language: Language;
}>): Promise<BillItem[]> {
  const now = deps.clock.now();
  const rows = await listPayerBills(deps.db, { ...input, now });
  const names = await serviceNames(deps, rows.map((row) => row.serviceId), input.language);
  return rows.map((row) => billItem(row, names.get(row.serviceId) ?? { text: row.serviceId,
    language: 'en' }, now));
}

async function cancelPageBill(deps: ModuleDeps, invoice: InvoiceView, language: Language):
  Promise<BillItem & Readonly<{ subject: string | null }>> {
  const subject = await findBillSubject(deps.db, invoice.id);
  const names = await serviceNames(deps, [invoice.serviceId], language);
  return {
    reference: invoice.reference,
    serviceName: names.get(invoice.serviceId) ?? { text: invoice.serviceId, language: 'en' },
    total: invoice.total, balanceDue: invoice.balanceDue, status: invoice.status,
    issuedAt: invoice.issuedAt, expiresAt: invoice.expiresAt,
    cancellable: payerCancelRefusal({ status: invoice.status, subject }) === undefined, subject,
  };
}

export async function accountMoneyRoutes(app: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  app.get<BillsQuery>(accountMoneyRoutePatterns.bills, {
    config: payer, schema: { hide: true, querystring: listQuery },
  }, async (request, reply) => {
    const context = request.pageContext();
    const payerAccountId = payerAccountIdOf(request);
    const group = isBillGroup(request.query.group ?? '') ? request.query.group as BillGroup
      : 'open';
    const page = pageOf(request.query.page);
    const bills = await payerBillItems(deps, { payerAccountId, group, page,
      pageSize: accountMoneyPageSize, language: context.language });
    return sendHtml(reply, renderBillsPage(context, {
      group, bills, page, pageSize: accountMoneyPageSize,
      counts: await countPayerBills(deps.db, payerAccountId, deps.clock.now()),
      actingFor: await actingForNames(deps, request),
      notice: request.query.notice === 'cancelled' ? 'accountMoney.cancel.done' : undefined,
    }));
  });
  await cancelRoutes(app, deps);
  registerAccountSection(app, { id: 'payments.money', order: accountMoneySectionOrder,
    render: accountMoneySection(deps) });
  app.get<BillsQuery>(accountMoneyRoutePatterns.payments, {
    config: payer, schema: { hide: true, querystring: listQuery },
  }, async (request, reply) => sendHtml(reply,
    renderPaymentsPage(request.pageContext(), await paymentsPageInput(deps, request))));
}

async function cancelRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const showCancelPage = async (request: FastifyRequest<ReferenceParams>,
    refusedOnPost: boolean) => {
    const context = request.pageContext();
    const invoice = await payersInvoice(deps, request, request.params.reference);
    const bill = await cancelPageBill(deps, invoice, context.language);
    const refusal = payerCancelRefusal(bill);
    return { context, invoice, bill, refusal, page: renderCancelPage(context, {
      bill, csrf: csrfField(request), actingFor: await actingForNames(deps, request),
      refusal: refusal ?? (refusedOnPost ? 'paid' : undefined),
    }) };
  };
  app.get<ReferenceParams>(accountMoneyRoutePatterns.cancelBill, {
    config: payer, schema: { hide: true, params: referenceParams },
  }, async (request, reply) => {
    const shown = await showCancelPage(request, false);
    return sendHtml(reply, shown.page, shown.refusal === undefined ? 200 : 409);
  });
  app.post<ReferenceParams>(accountMoneyRoutePatterns.cancelBill, {
    config: payer, schema: { hide: true, params: referenceParams },
  }, async (request, reply) => {
    const shown = await showCancelPage(request, false);
    if (shown.refusal !== undefined) return sendHtml(reply, shown.page, 409);
    const cancelled = await cancelInvoice(deps, { reference: shown.invoice.reference,
      actor: auditActorOf(request.actor), now: deps.clock.now() });
    if (!cancelled.ok) {
      // Money arrived between the look and the press: the bill is no longer the payer's to
      // cancel. Show why, as on sight.
      return sendHtml(reply, (await showCancelPage(request, true)).page, 409);
    }
    return reply.redirect(accountMoneyPaths.cancelledNotice, 303);
  });
}

async function paymentsPageInput(deps: ModuleDeps, request: FastifyRequest<BillsQuery>) {
  const { language } = request.pageContext();
  const payerAccountId = payerAccountIdOf(request);
  const page = pageOf(request.query.page);
  const rows = await listPayerAllocations(deps.db,
    { payerAccountId, page, pageSize: accountMoneyPageSize });
  const receipts = await listReceiptsBySource(deps, rows.flatMap((row) =>
    row.allocationId === null ? [] : [allocationReceiptKey(row.allocationId)]));
  const open = await payerBillItems(deps, { payerAccountId, group: 'open', page: 1,
    pageSize: creditBillsMax, language });
  const names = await serviceNames(deps, rows.map((row) => row.serviceId), language);
  return {
    payments: rows.map((row) => {
      const receipt = row.allocationId === null ? undefined
        : receipts.get(allocationReceiptKey(row.allocationId));
      return { ...row, serviceName: names.get(row.serviceId) ?? { text: row.serviceId,
        language: 'en' as const },
      receipt: receipt === undefined ? undefined
        : { number: receipt.number, href: documentsPaths.receipt(receipt.id) } };
    }),
    total: await countPayerAllocations(deps.db, payerAccountId),
    page, pageSize: accountMoneyPageSize,
    credit: await payerCreditBalance(deps, payerAccountId),
    openBills: open.map((bill) => ({ reference: bill.reference, serviceName: bill.serviceName })),
    actingFor: await actingForNames(deps, request),
  };
}
