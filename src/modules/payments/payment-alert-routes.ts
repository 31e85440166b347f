/**
 * Payment alerts over HTTP: the JSON list (`GET /api/v1/payments/alerts`) and the staff page
 * (`/staff/payment-alerts`) for whoever reads reconciliation (Treasury, auditors, platform
 * administrators; agency staff are refused), and closing an alert with a note for whoever
 * holds `payment-alerts.close` (Treasury, platform administrators; auditors only read).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditActorOf, csrfField, hasPermission } from '#modules/authorisation/index.ts';
import { toMajorString } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { paymentsDb } from './invoice-repo.ts';
import { listAlerts, type PaymentAlertRow } from './payment-alert-repo.ts';
import { closePaymentAlert, type CloseAlertFailure } from './payment-alert-service.ts';
import {
  paymentAlertPaths,
  renderAlertsPage,
  type AlertsPageInput,
} from './payment-alert-views.ts';
import { paymentsErrors } from './payments-errors.ts';

const pageSizeMax = 200;
const pagePageSize = 50;
const pageMax = 10_000;

const AlertsQuery = Type.Object({
  state: Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' }),
  page: Type.Integer({ minimum: 1, maximum: pageMax, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: pageSizeMax, default: 50 }),
}, { additionalProperties: false });

const PageQuery = Type.Object({
  state: Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' }),
  page: Type.Integer({ minimum: 1, maximum: pageMax, default: 1 }),
  notice: Type.Optional(Type.Literal('closed')),
});

const Alert = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('CALLBACK_QUARANTINED'),
    Type.Literal('CONFIRMATION_OUT_OF_BOUNDS'), Type.Literal('DELIVERY_DISAGREED'),
    Type.Literal('RECEIPT_REUSED'), Type.Literal('C2B_MAY_REPEAT_STK_PAYMENT')]),
  reason: Type.String({ description: 'What is wrong; never personal data.' }),
  rawCallbackId: Type.Union([Type.String(), Type.Null()]),
  paymentId: Type.Union([Type.String(), Type.Null()]),
  receiptNumber: Type.Union([Type.String(), Type.Null()]),
  amount: Type.Union([Type.String({ description: 'Major units, two decimals' }), Type.Null()]),
  amountMinor: Type.Union([Type.String({ pattern: '^\\d+$' }), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()]),
  raisedAt: Type.String({ format: 'date-time' }),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  closedBy: Type.Union([Type.String(), Type.Null()]),
  closingNote: Type.Union([Type.String(), Type.Null()]),
});

const AlertsResponse = Type.Object({
  items: Type.Array(Alert),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

const CloseParams = Type.Object({ alertId: Type.String({ maxLength: 36 }) });
const CloseBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 4000 })) });

export function alertBody(alert: PaymentAlertRow): Static<typeof Alert> {
  return {
    id: alert.id, kind: alert.kind, reason: alert.reason, rawCallbackId: alert.rawId,
    paymentId: alert.paymentId, receiptNumber: alert.receiptNumber,
    amount: alert.amount === undefined ? null : toMajorString(alert.amount),
    amountMinor: alert.amount?.amountMinor.toString() ?? null,
    currency: alert.amount?.currency ?? null,
    raisedAt: alert.raisedAt.toISOString(),
    closedAt: alert.closure?.closedAt.toISOString() ?? null,
    closedBy: alert.closure?.closedBy ?? null,
    closingNote: alert.closure?.note ?? null,
  };
}

const problemKeys: Readonly<Record<CloseAlertFailure['code'], string>> = {
  PAY_ALERT_NOT_FOUND: 'payments.alerts.problem.notFound',
  PAY_ALERT_ALREADY_CLOSED: 'payments.alerts.problem.alreadyClosed',
  PAY_ALERT_NOTE_REQUIRED: 'payments.alerts.problem.noteRequired',
};

export async function paymentAlertRoutes(scope: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const db = paymentsDb(deps.db);
  const readers = { access: { permission: 'reconciliation.read' as const } };

  app.get(paymentAlertPaths.api, {
    config: readers,
    schema: { tags: ['payments'], querystring: AlertsQuery, response: { 200: AlertsResponse },
      summary: 'Payment alerts (quarantined callbacks, out-of-bounds confirmations, ' +
        'disagreeing deliveries, reused receipts), oldest first' },
  }, async (request, reply) => {
    const { state, page, pageSize } = request.query;
    const rows = await listAlerts(db, { state, limit: pageSize, offset: (page - 1) * pageSize });
    return reply.header('cache-control', 'no-store')
      .send({ items: rows.map(alertBody), page, pageSize });
  });

  const showPage = async (request: FastifyRequest, reply: FastifyReply,
    view: Pick<AlertsPageInput, 'state' | 'page' | 'notice' | 'problem'>, status = 200) => {
    const rows = await listAlerts(db, { state: view.state, limit: pagePageSize + 1,
      offset: (view.page - 1) * pagePageSize });
    const canClose = hasPermission(request.actor, 'payment-alerts.close');
    return sendHtml(reply.header('cache-control', 'no-store'),
      renderAlertsPage(request.pageContext(), { ...view, alerts: rows.slice(0, pagePageSize),
        hasNextPage: rows.length > pagePageSize, canClose, csrf: csrfField(request) }), status);
  };

  app.get(paymentAlertPaths.page, {
    config: readers, schema: { hide: true, querystring: PageQuery },
  }, async (request, reply) => showPage(request, reply, { state: request.query.state,
    page: request.query.page,
    notice: request.query.notice === 'closed' ? 'payments.alerts.closed' : undefined }));

  app.post(paymentAlertPaths.closePattern, {
    config: { access: { permission: 'payment-alerts.close' } },
    schema: { hide: true, params: CloseParams, body: CloseBody },
  }, async (request, reply) => {
    const note = request.body.note ?? '';
    const closed = await closePaymentAlert(deps, { alertId: request.params.alertId, note,
      actor: auditActorOf(request.actor), now: deps.clock.now() });
    if (closed.ok) return reply.redirect(`${paymentAlertPaths.list('open')}&notice=closed`, 303);
    const { code } = closed.error;
    return showPage(request, reply, { state: 'open', page: 1, notice: undefined,
      problem: { alertId: request.params.alertId, messageKey: problemKeys[code], note } },
    paymentsErrors[code].status);
  });
}
