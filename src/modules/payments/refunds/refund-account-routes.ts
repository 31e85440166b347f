/**
 * The citizen's refund pages: their refunds and statuses with their credit
 * (`/account/refunds`), and asking for a refund of their credit (`/account/refunds/new`),
 * paid by M-Pesa to the phone registered on their account once an officer approves it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditActorOf, csrfField } from '#modules/authorisation/index.ts';
import { failure } from '#platform/errors/index.ts';
import { format } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { html, renderPage, sendHtml, type PageContext } from '#web/index.ts';
import { payerCreditBalance } from '../credit-service.ts';
import { payerAccountIdOf } from '../pages/pay-access.ts';
import { refundErrors } from './refund-errors.ts';
import { listRefunds, refundDb, type RefundRow } from './refund-repo.ts';
import { requestRefund, type RefundFailure } from './refund-service.ts';
import {
  releasedBillsList,
  releasedBillsOf,
  showAccountBillForm,
  type RefundableBill,
} from './refund-bill-account.ts';
import { parseShillings } from './refund-routes.ts';
import { noticeBox, refundPaths, refundTable, renderRefundNew } from './refund-views.ts';

const citizenReasons = ['double_payment', 'wrong_service', 'other'] as const;
const payer = { access: { permission: 'account.self' as const } };

const ListQuery = Type.Object({ notice: Type.Optional(Type.Literal('requested')) });
const NewQuery = Type.Object({ invoiceId: Type.Optional(Type.String({ maxLength: 36 })) });
const CreateBody = Type.Object({
  amount: Type.String({ maxLength: 20 }),
  reason: Type.Union(citizenReasons.map((reason) => Type.Literal(reason))),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});

function renderAccountRefunds(context: PageContext, input: Readonly<{
  refunds: readonly RefundRow[]; credit: string; hasCredit: boolean; notice?: string | undefined;
  bills: readonly RefundableBill[];
}>): string {
  const { t } = context;
  return renderPage(context, {
    title: t('payments.refunds.account.title'),
    main: html`${noticeBox(context, input.notice)}<h1>${t('payments.refunds.account.title')}</h1>
<p>${t('payments.refunds.account.intro')}</p>
<p>${t('payments.refunds.account.credit', { amount: input.credit })}</p>
${input.hasCredit ? html`<p><a class="button" href="${refundPaths.accountNew}">${
  t('payments.refunds.account.ask')}</a></p>` : html``}
${releasedBillsList(context, input.bills)}
${input.refunds.length === 0 ? html`<p>${t('payments.refunds.account.none')}</p>`
    : refundTable(context, input.refunds, false)}`,
  });
}

async function showNew(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  values: Readonly<{ amount?: string; reason?: string; note?: string | undefined }>,
  problem?: RefundFailure): Promise<FastifyReply> {
  const context = request.pageContext();
  const credit = await payerCreditBalance(deps, payerAccountIdOf(request));
  if (credit.amountMinor <= 0n) {
    return sendHtml(reply, renderPage(context, {
      title: context.t('payments.refunds.account.newTitle'),
      main: html`<h1>${context.t('payments.refunds.account.newTitle')}</h1>
<p>${context.t('payments.refunds.account.noCredit')}</p>
<p><a href="${refundPaths.account}">${context.t('payments.refunds.account.back')}</a></p>`,
    }), problem === undefined ? 200 : refundErrors[problem.code].status);
  }
  return sendHtml(reply, renderRefundNew(context, {
    action: refundPaths.account, hidden: {},
    summary: [[context.t('payments.refunds.source'),
      context.t('payments.refunds.account.credit',
        { amount: format(credit, context.language) })]],
    maximum: credit, whole: undefined, reasons: citizenReasons, values,
    csrf: csrfField(request), submitKey: 'payments.refunds.account.submit',
    titleKey: 'payments.refunds.account.newTitle', introKey: 'payments.refunds.account.newIntro',
    backHref: refundPaths.account, backKey: 'payments.refunds.account.back',
    problem: problem === undefined ? undefined : `payments.refunds.problem.${problem.code}`,
  }), problem === undefined ? 200 : refundErrors[problem.code].status);
}

export async function refundAccountRoutes(scope: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();

  app.get(refundPaths.account, { config: payer, schema: { hide: true, querystring: ListQuery } },
    async (request, reply) => {
      const payerAccountId = payerAccountIdOf(request);
      const credit = await payerCreditBalance(deps, payerAccountId);
      const refunds = await listRefunds(refundDb(deps.db), { payerAccountId, limit: 100 });
      return sendHtml(reply, renderAccountRefunds(request.pageContext(), {
        refunds, credit: format(credit, request.pageContext().language),
        hasCredit: credit.amountMinor > 0n,
        bills: await releasedBillsOf(deps.db, payerAccountId),
        notice: request.query.notice === undefined ? undefined
          : 'payments.refunds.account.notice' }));
    });

  app.get(refundPaths.accountNew, { config: payer,
    schema: { hide: true, querystring: NewQuery } },
  async (request, reply) => request.query.invoiceId === undefined
    ? showNew(deps, request, reply, {})
    : showAccountBillForm(deps, request, reply, request.query.invoiceId));

  app.post(refundPaths.account, { config: payer, schema: { hide: true, body: CreateBody } },
    async (request, reply) => {
      const { body } = request;
      const payerAccountId = payerAccountIdOf(request);
      const amount = parseShillings(body.amount);
      if (amount === undefined) {
        return showNew(deps, request, reply, body,
          failure('PAY_REFUND_AMOUNT_INVALID'));
      }
      const requested = await requestRefund(deps, { payerAccountId, amount,
        reason: body.reason, note: body.note ?? '', actor: auditActorOf(request.actor),
        scope: { kind: 'account', accountId: payerAccountId }, now: deps.clock.now() });
      if (requested.ok) return reply.redirect(`${refundPaths.account}?notice=requested`, 303);
      return showNew(deps, request, reply, body, requested.error);
    });
}
