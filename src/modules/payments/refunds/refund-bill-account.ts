/**
 * The citizen's side of a refund of a bill paid for the wrong service (docs/refunds.md): their
 * paid bills that can be refunded (released: the application was cancelled or rejected), listed
 * on `/account/refunds`; the request form `/account/refunds/new?invoiceId=<id>` for one of
 * their own paid bills (a fee-only bill too); the request, `POST /account/refunds/bill`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditActorOf, csrfField } from '#modules/authorisation/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { format, money, type Currency, type Money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { html, sendHtml, type PageContext, type SafeHtml } from '#web/index.ts';
import { findInvoiceRow, paymentsDb } from '../invoice-repo.ts';
import { payerAccountIdOf } from '../pages/pay-access.ts';
import { refundErrors } from './refund-errors.ts';
import { requestRefund, type RefundFailure } from './refund-service.ts';
import { refundPaths, renderRefundNew } from './refund-views.ts';

const payer = { access: { permission: 'account.self' as const } };
const BillBody = Type.Object({
  invoiceId: Type.String({ maxLength: 36 }),
  reason: Type.Optional(Type.Literal('wrong_service')),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});

export type RefundableBill = Readonly<{ id: string; reference: string; total: Money }>;

/** The payer's released, paid bills with no refund under way and not yet withdrawn. */
export async function releasedBillsOf<DB>(db: Kysely<DB>, payerAccountId: string):
  Promise<RefundableBill[]> {
  const result = await sql<{ id: string; reference: string; total_minor: string;
    currency: Currency }>`
    select i.id, i.reference, i.total_minor::text, i.currency
    from invoice i join invoice_release r on r.invoice_id = i.id
    where i.payer_account_id = ${payerAccountId}::uuid
      and exists (select 1 from ledger_entry e
        where e.idempotency_key = 'invoice:' || i.id || ':covered')
      and not exists (select 1 from invoice_withdrawal w where w.invoice_id = i.id)
      and not exists (select 1 from refund f where f.invoice_id = i.id
        and f.status not in ('rejected', 'cancelled'))
    order by r.released_at desc limit 20`.execute(db);
  return result.rows.map((row) => ({ id: row.id, reference: row.reference,
    total: money(BigInt(row.total_minor), row.currency) }));
}

/** The list of those bills, each with its request link (empty when there is none). */
export function releasedBillsList(context: PageContext, bills: readonly RefundableBill[]):
  SafeHtml {
  if (bills.length === 0) return html``;
  const { t, language } = context;
  return html`<h2>${t('payments.refunds.account.billsTitle')}</h2>
<p>${t('payments.refunds.account.billsIntro')}</p><ul>${bills.map((bill) => html`<li><a href="${
  refundPaths.accountNew}?invoiceId=${bill.id}">${t('payments.refunds.account.billAsk',
  { reference: bill.reference, amount: format(bill.total, language) })}</a></li>`)}</ul>`;
}

async function showBill(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  invoiceId: string, values: Readonly<{ note?: string | undefined }>,
  problem?: RefundFailure): Promise<FastifyReply> {
  const context = request.pageContext();
  const invoice = isUuid(invoiceId)
    ? await findInvoiceRow(paymentsDb(deps.db), { id: invoiceId }) : undefined;
  // Another payer's bill is not found, as any id that names nothing of theirs.
  if (invoice?.payerAccountId !== payerAccountIdOf(request)) {
    reply.callNotFound();
    return reply;
  }
  return sendHtml(reply, renderRefundNew(context, {
    action: refundPaths.accountBill, hidden: { invoiceId: invoice.id },
    summary: [[context.t('payments.refunds.bill'), invoice.reference],
      [context.t('payments.refunds.amount'), format(invoice.total, context.language)]],
    maximum: undefined, whole: invoice.total, wholeKey: 'payments.refunds.account.wholeBill',
    reasons: ['wrong_service'], values: { reason: 'wrong_service', note: values.note },
    csrf: csrfField(request), submitKey: 'payments.refunds.account.submit',
    titleKey: 'payments.refunds.account.newTitle', introKey: 'payments.refunds.account.newIntro',
    backHref: refundPaths.account, backKey: 'payments.refunds.account.back',
    problem: problem === undefined ? undefined : `payments.refunds.problem.${problem.code}`,
  }), problem === undefined ? 200 : refundErrors[problem.code].status);
}

/** GET accountNew with an invoiceId answers here; the caller routes it. */
export function showAccountBillForm(deps: ModuleDeps, request: FastifyRequest,
  reply: FastifyReply, invoiceId: string): Promise<FastifyReply> {
  return showBill(deps, request, reply, invoiceId, {});
}

export async function refundBillAccountRoutes(scope: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.post(refundPaths.accountBill, { config: payer, schema: { hide: true, body: BillBody } },
    async (request, reply) => {
      const { body } = request;
      const payerAccountId = payerAccountIdOf(request);
      const requested = await requestRefund(deps, { invoiceId: body.invoiceId,
        reason: 'wrong_service', note: body.note ?? '', actor: auditActorOf(request.actor),
        scope: { kind: 'account', accountId: payerAccountId }, now: deps.clock.now() });
      if (requested.ok) return reply.redirect(`${refundPaths.account}?notice=requested`, 303);
      if (requested.error.code === 'PAY_REFUND_NOT_YOURS' ||
        requested.error.code === 'PAY_REFUND_SOURCE_NOT_FOUND') {
        reply.callNotFound();
        return reply;
      }
      return showBill(deps, request, reply, body.invoiceId, body, requested.error);
    });
}
