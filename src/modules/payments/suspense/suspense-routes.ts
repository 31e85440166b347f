/**
 * The suspense register over HTTP (staff pages): the list for whoever reads reconciliation
 * (finance officers, Treasury, auditors, platform administrators); proposing a match and
 * deciding one for whoever manages it (finance officers, platform administrators). The
 * two-person rule is the service's, not the page's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditActorOf, csrfField, hasPermission } from '#modules/authorisation/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { findSuspenseFlags } from '../payment-alert-repo.ts';
import { listSuspensePayments } from '../payment-repo.ts';
import { paymentsErrors } from '../payments-errors.ts';
import { suspenseErrors } from './suspense-errors.ts';
import {
  countSuspensePayments,
  findHeldPayment,
  findMatch,
  listMatchesOfPayment,
  openMatchesOf,
  suspenseDb,
  asPaymentsDb,
} from './suspense-repo.ts';
import {
  decideSuspenseMatch,
  findMatchCandidate,
  proposeSuspenseMatch,
  type SuspenseFailure,
} from './suspense-service.ts';
import {
  renderSuspenseList,
  renderSuspensePayment,
  suspensePaths,
} from './suspense-views.ts';

const pageSize = 50;
const pageMax = 10_000;

const ListQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: pageMax, default: 1 }),
});
const PaymentParams = Type.Object({ paymentId: Type.String({ maxLength: 36 }) });
const PaymentQuery = Type.Object({
  reference: Type.Optional(Type.String({ maxLength: 40 })),
  notice: Type.Optional(Type.Union([Type.Literal('proposed'), Type.Literal('approved'),
    Type.Literal('rejected')])),
});
const ProposeBody = Type.Object({
  reference: Type.String({ maxLength: 40 }),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});
const DecideParams = Type.Object({ matchId: Type.String({ maxLength: 36 }) });
const DecideBody = Type.Object({
  decision: Type.Union([Type.Literal('approved'), Type.Literal('rejected')]),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});

function statusOf(failure: SuspenseFailure): number {
  return failure.code === 'PAY_BILL_REFERENCE_INVALID'
    ? paymentsErrors.PAY_BILL_REFERENCE_INVALID.status : suspenseErrors[failure.code].status;
}

function listRoute(scope: FastifyInstance, deps: ModuleDeps): void {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const db = suspenseDb(deps.db);
  const readers = { access: { permission: 'reconciliation.read' as const } };
  app.get(suspensePaths.page, { config: readers, schema: { hide: true, querystring: ListQuery } },
    async (request, reply) => {
      const { page } = request.query;
      const payments = await listSuspensePayments(asPaymentsDb(db),
        { limit: pageSize, offset: (page - 1) * pageSize });
      const ids = payments.map((payment) => payment.id);
      return sendHtml(reply.header('cache-control', 'no-store'),
        renderSuspenseList(request.pageContext(), {
          page, pageSize, total: await countSuspensePayments(db), now: deps.clock.now(),
          payments, flags: await findSuspenseFlags(asPaymentsDb(db), ids),
          openMatches: await openMatchesOf(db, ids),
        }));
    });
}

export async function suspensePageRoutes(scope: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const db = suspenseDb(deps.db);
  const readers = { access: { permission: 'reconciliation.read' as const } };
  const managers = { access: { permission: 'reconciliation.manage' as const } };

  listRoute(scope, deps);

  const showPayment = async (request: FastifyRequest, reply: FastifyReply,
    view: Readonly<{ paymentId: string; typed?: string | undefined; notice?: string | undefined;
      problem?: SuspenseFailure | undefined }>) => {
    const payment = isUuid(view.paymentId) ? await findHeldPayment(db, view.paymentId)
      : undefined;
    if (payment === undefined) return reply.callNotFound();
    const now = deps.clock.now();
    const typed = view.typed?.trim() === '' ? undefined : view.typed?.trim();
    const flags = await findSuspenseFlags(asPaymentsDb(db), [payment.id]);
    return sendHtml(reply.header('cache-control', 'no-store'),
      renderSuspensePayment(request.pageContext(), {
        now, payment, flag: flags.get(payment.id), typed,
        matches: await listMatchesOfPayment(db, payment.id),
        candidate: typed === undefined ? undefined
          : await findMatchCandidate(deps, { billReference: typed, amount: payment.amount, now }),
        canManage: hasPermission(request.actor, 'reconciliation.manage'),
        csrf: csrfField(request), notice: view.notice,
        problem: view.problem === undefined ? undefined
          : `payments.suspense.problem.${view.problem.code}`,
      }), view.problem === undefined ? 200 : statusOf(view.problem));
  };

  app.get(suspensePaths.paymentPattern, {
    config: readers, schema: { hide: true, params: PaymentParams, querystring: PaymentQuery },
  }, async (request, reply) => showPayment(request, reply, {
    paymentId: request.params.paymentId, typed: request.query.reference,
    notice: request.query.notice === undefined ? undefined
      : `payments.suspense.notice.${request.query.notice}`,
  }));

  app.post(suspensePaths.proposePattern, {
    config: managers, schema: { hide: true, params: PaymentParams, body: ProposeBody },
  }, async (request, reply) => {
    const { paymentId } = request.params;
    const proposed = await proposeSuspenseMatch(deps, { paymentId,
      billReference: request.body.reference, note: request.body.note ?? '',
      actor: auditActorOf(request.actor), now: deps.clock.now() });
    if (proposed.ok) {
      return reply.redirect(`${suspensePaths.payment(paymentId)}?notice=proposed`, 303);
    }
    if (proposed.error.code === 'PAY_SUSPENSE_PAYMENT_NOT_FOUND') return reply.callNotFound();
    return showPayment(request, reply, { paymentId, typed: request.body.reference,
      problem: proposed.error });
  });

  app.post(suspensePaths.decidePattern, {
    config: managers, schema: { hide: true, params: DecideParams, body: DecideBody },
  }, async (request, reply) => {
    const { matchId } = request.params;
    const match = isUuid(matchId) ? await findMatch(db, matchId) : undefined;
    if (match === undefined) return reply.callNotFound();
    const decided = await decideSuspenseMatch(deps, { matchId,
      decision: request.body.decision, note: request.body.note ?? '',
      actor: auditActorOf(request.actor), now: deps.clock.now() });
    if (decided.ok) {
      return reply.redirect(
        `${suspensePaths.payment(match.paymentId)}?notice=${request.body.decision}`, 303);
    }
    return showPayment(request, reply, { paymentId: match.paymentId, problem: decided.error });
  });
}
