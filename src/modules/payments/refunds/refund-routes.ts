/**
 * The staff refund pages over HTTP. Reading: whoever reads payments (agency staff only their
 * agency's refunds; finance officers, Treasury and auditors all). Requesting: refunds.request
 * (officers, finance officers). Approving, rejecting, retrying and cancelling: refunds.approve
 * (supervisors, finance officers). The two-person rule and the agency scope are the service's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  agencyScopeOf,
  auditActorOf,
  csrfField,
  hasPermission,
  isInAgencyScope,
  type Actor,
} from '#modules/authorisation/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { failure } from '#platform/errors/index.ts';
import { format, money, type Money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { parseBillReference } from '../bill-reference.ts';
import type { RefundMethod } from './refund-tables.ts';
import { payerCreditBalance } from '../credit-service.ts';
import { findInvoiceRow, paymentsDb } from '../invoice-repo.ts';
import { refundErrors } from './refund-errors.ts';
import {
  findRefund,
  findRefundablePayment,
  listAttempts,
  listRefunds,
  refundDb,
} from './refund-repo.ts';
import {
  approveRefund,
  cancelRefund,
  rejectRefund,
  requestRefund,
  retryRefund,
  type RefundFailure,
  type RefundScope,
} from './refund-service.ts';
import type { RefundStatus } from './refund-tables.ts';
import {
  refundPaths,
  refundStatuses,
  renderRefundList,
  renderRefundNew,
  renderRefundPage,
  staffReasons,
} from './refund-views.ts';

const listSize = 100;
const Reason = Type.Union(staffReasons.map((reason) => Type.Literal(reason)));
const Method = Type.Union([Type.Literal('mpesa_b2c'), Type.Literal('mpesa_reversal'),
  Type.Literal('card_refund')]);
const ListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal(''),
    ...refundStatuses.map((status) => Type.Literal(status))])),
  notice: Type.Optional(Type.Literal('requested')),
});
const NewQuery = Type.Object({
  paymentId: Type.Optional(Type.String({ maxLength: 36 })),
  payerAccountId: Type.Optional(Type.String({ maxLength: 36 })),
  invoiceId: Type.Optional(Type.String({ maxLength: 36 })),
  reference: Type.Optional(Type.String({ maxLength: 40 })),
});
const CreateBody = Type.Object({
  paymentId: Type.Optional(Type.String({ maxLength: 36 })),
  payerAccountId: Type.Optional(Type.String({ maxLength: 36 })),
  invoiceId: Type.Optional(Type.String({ maxLength: 36 })),
  amount: Type.Optional(Type.String({ maxLength: 20 })),
  reason: Reason,
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});
const RefundParams = Type.Object({ refundId: Type.String({ maxLength: 36 }) });
const RefundQuery = Type.Object({
  notice: Type.Optional(Type.Union(['requested', 'approved', 'rejected', 'retried',
    'cancelled'].map((notice) => Type.Literal(notice)))),
});
const DecideBody = Type.Object({
  decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});
const RetryBody = Type.Object({ method: Type.Optional(Method) });
const EmptyBody = Type.Object({});

/** "1500" whole shillings as Money; undefined when it is not a whole, positive number. */
export function parseShillings(text: string | undefined): Money | undefined {
  const trimmed = (text ?? '').trim().replaceAll(',', '');
  return /^[1-9]\d{0,9}$/.test(trimmed) ? money(BigInt(trimmed) * 100n, 'KES') : undefined;
}

function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}

function staffScope(actor: Actor | undefined): RefundScope {
  if (actor === undefined) return { kind: 'staff', agencies: '' };
  return { kind: 'staff', agencies: agencyScopeOf(actor) };
}

function problemKey(failure: RefundFailure): string {
  return `payments.refunds.problem.${failure.code}`;
}

type FormValues = Readonly<{ amount?: string | undefined; reason?: string | undefined;
  note?: string | undefined }>;

type NewSource = Readonly<{ paymentId?: string | undefined; payerAccountId?: string | undefined;
  invoiceId?: string | undefined }>;

async function showNew(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  source: NewSource, values: FormValues, problem?: RefundFailure): Promise<FastifyReply> {
  const { t, language } = request.pageContext();
  const db = refundDb(deps.db);
  const summary: [string, string][] = [];
  let maximum: Money | undefined;
  let whole: Money | undefined;
  const hidden: Record<string, string> = {};
  if (source.invoiceId !== undefined) {
    return showNewForBill(deps, request, reply, source.invoiceId, values, problem);
  }
  if (source.paymentId !== undefined && isUuid(source.paymentId)) {
    const payment = await findRefundablePayment(db, source.paymentId);
    if (payment === undefined) return notFound(reply);
    hidden['paymentId'] = payment.id;
    summary.push([t('payments.refunds.receipt'), payment.receipt ?? ''],
      [t('payments.refunds.amount'), format(payment.amount, language)]);
    if (payment.disposition === 'suspense') whole = payment.amount;
    else maximum = payment.amount;
  } else if (source.payerAccountId !== undefined && isUuid(source.payerAccountId)) {
    hidden['payerAccountId'] = source.payerAccountId;
    maximum = await payerCreditBalance(deps, source.payerAccountId);
  } else {
    return notFound(reply);
  }
  return sendHtml(reply, renderRefundNew(request.pageContext(), {
    action: refundPaths.create, hidden, summary, maximum, whole, reasons: staffReasons,
    values, csrf: csrfField(request), submitKey: 'payments.refunds.submit',
    titleKey: 'payments.refunds.newTitle', introKey: 'payments.refunds.newIntro',
    backHref: refundPaths.page, backKey: 'payments.refunds.back',
    problem: problem === undefined ? undefined : problemKey(problem),
  }), problem === undefined ? 200 : refundErrors[problem.code].status);
}

/** The request form for a bill paid for the wrong service: the whole bill, that one reason. */
async function showNewForBill(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  invoiceId: string, values: FormValues, problem?: RefundFailure): Promise<FastifyReply> {
  const { t, language } = request.pageContext();
  const invoice = isUuid(invoiceId)
    ? await findInvoiceRow(paymentsDb(deps.db), { id: invoiceId }) : undefined;
  if (invoice === undefined) return notFound(reply);
  return sendHtml(reply, renderRefundNew(request.pageContext(), {
    action: refundPaths.create, hidden: { invoiceId: invoice.id },
    summary: [[t('payments.refunds.bill'), invoice.reference],
      [t('payments.refunds.amount'), format(invoice.total, language)]],
    maximum: undefined, whole: invoice.total, wholeKey: 'payments.refunds.wholeBill',
    reasons: ['wrong_service'], values, csrf: csrfField(request),
    submitKey: 'payments.refunds.submit', titleKey: 'payments.refunds.newTitle',
    introKey: 'payments.refunds.newIntro', backHref: refundPaths.page,
    backKey: 'payments.refunds.back',
    problem: problem === undefined ? undefined : problemKey(problem),
  }), problem === undefined ? 200 : refundErrors[problem.code].status);
}

async function showRefund(deps: ModuleDeps, request: FastifyRequest, reply: FastifyReply,
  refundId: string, view: Readonly<{ notice?: string | undefined;
    problem?: RefundFailure | undefined }>): Promise<FastifyReply> {
  const db = refundDb(deps.db);
  const refund = isUuid(refundId) ? await findRefund(db, refundId) : undefined;
  const actor = request.actor;
  if (refund === undefined || actor === undefined ||
    !isInAgencyScope(agencyScopeOf(actor), refund.agencyId)) {
    return notFound(reply);
  }
  const payment = refund.paymentId === null ? undefined
    : await findRefundablePayment(db, refund.paymentId);
  const bill = refund.invoiceId === null ? undefined
    : await findInvoiceRow(paymentsDb(deps.db), { id: refund.invoiceId });
  return sendHtml(reply, renderRefundPage(request.pageContext(), {
    refund, attempts: await listAttempts(db, refund.id), receipt: payment?.receipt ?? undefined,
    bill: bill?.reference,
    canApprove: hasPermission(actor, 'refunds.approve'), csrf: csrfField(request),
    notice: view.notice === undefined ? undefined : `payments.refunds.notice.${view.notice}`,
    problem: view.problem === undefined ? undefined : problemKey(view.problem),
  }), view.problem === undefined ? 200 : refundErrors[view.problem.code].status);
}

export async function refundPageRoutes(scope: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const readers = { access: { permission: 'payments.read' as const } };
  const makers = { access: { permission: 'refunds.request' as const } };

  app.get(refundPaths.page, { config: readers, schema: { hide: true, querystring: ListQuery } },
    async (request, reply) => {
      const agencies = request.actor === undefined ? '' : agencyScopeOf(request.actor);
      const status = request.query.status === '' ? undefined
        : request.query.status as RefundStatus | undefined;
      const refunds = await listRefunds(refundDb(deps.db), { status, limit: listSize,
        ...(agencies === 'all' ? {} : { agencyId: agencies }) });
      return sendHtml(reply, renderRefundList(request.pageContext(), { refunds, status,
        canRequest: request.actor !== undefined &&
          hasPermission(request.actor, 'refunds.request'),
        notice: request.query.notice === undefined ? undefined
          : `payments.refunds.notice.${request.query.notice}` }));
    });

  app.get(refundPaths.newPage, { config: makers, schema: { hide: true, querystring: NewQuery } },
    async (request, reply) => {
      const { reference } = request.query;
      if (reference === undefined) return showNew(deps, request, reply, request.query, {});
      const parsed = parseBillReference(reference);
      const invoice = parsed === undefined ? undefined
        : await findInvoiceRow(paymentsDb(deps.db), { reference: parsed });
      return showNew(deps, request, reply, { invoiceId: invoice?.id ?? '' }, {});
    });

  app.post(refundPaths.create, { config: makers, schema: { hide: true, body: CreateBody } },
    async (request, reply) => {
      const { body } = request;
      const amount = parseShillings(body.amount);
      const source = { paymentId: body.paymentId, payerAccountId: body.payerAccountId,
        invoiceId: body.invoiceId };
      if (body.amount !== undefined && body.amount.trim() !== '' && amount === undefined) {
        return showNew(deps, request, reply, source, body,
          failure('PAY_REFUND_AMOUNT_INVALID'));
      }
      const requested = await requestRefund(deps, { ...source,
        amount: body.invoiceId === undefined ? amount : undefined, reason: body.reason,
        note: body.note ?? '', actor: auditActorOf(request.actor),
        scope: staffScope(request.actor), now: deps.clock.now() });
      if (requested.ok) {
        return reply.redirect(`${refundPaths.refund(requested.value.id)}?notice=requested`, 303);
      }
      return showNew(deps, request, reply, source, body, requested.error);
    });

  app.get(refundPaths.refundPattern, {
    config: readers, schema: { hide: true, params: RefundParams, querystring: RefundQuery },
  }, async (request, reply) => showRefund(deps, request, reply, request.params.refundId,
    { notice: request.query.notice }));
  actionRoutes(scope, deps);
}

function actionRoutes(scope: FastifyInstance, deps: ModuleDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const checkers = { access: { permission: 'refunds.approve' as const } };
  const act = (run: (request: FastifyRequest, refundId: string) =>
    Promise<Readonly<{ ok: true; notice: string } | { ok: false; error: RefundFailure }>>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { refundId } = request.params as { refundId: string };
      if (!isUuid(refundId)) return notFound(reply);
      const done = await run(request, refundId);
      if (done.ok) return reply.redirect(`${refundPaths.refund(refundId)}?notice=${done.notice}`,
        303);
      const { code } = done.error;
      if (code === 'PAY_REFUND_NOT_FOUND' || code === 'PAY_REFUND_NOT_YOURS') {
        return notFound(reply);
      }
      return showRefund(deps, request, reply, refundId, { problem: done.error });
    };
  const decision = (request: FastifyRequest, refundId: string) => ({
    refundId, actor: auditActorOf(request.actor), scope: staffScope(request.actor),
    now: deps.clock.now() });

  app.post(refundPaths.decidePattern, {
    config: checkers, schema: { hide: true, params: RefundParams, body: DecideBody },
  }, act(async (request, refundId) => {
    const body = request.body as { decision: 'approved' | 'rejected'; note?: string };
    const input = { ...decision(request, refundId), note: body.note ?? '' };
    const done = body.decision === 'approved' ? await approveRefund(deps, input)
      : await rejectRefund(deps, input);
    return done.ok ? { ok: true, notice: body.decision } : done;
  }));

  app.post(refundPaths.retryPattern, {
    config: checkers, schema: { hide: true, params: RefundParams, body: RetryBody },
  }, act(async (request, refundId) => {
    const body = request.body as { method?: RefundMethod };
    const done = await retryRefund(deps, { ...decision(request, refundId), method: body.method });
    return done.ok ? { ok: true, notice: 'retried' } : done;
  }));

  app.post(refundPaths.cancelPattern, {
    config: checkers, schema: { hide: true, params: RefundParams, body: EmptyBody },
  }, act(async (request, refundId) => {
    const done = await cancelRefund(deps, decision(request, refundId));
    return done.ok ? { ok: true, notice: 'cancelled' } : done;
  }));
}
