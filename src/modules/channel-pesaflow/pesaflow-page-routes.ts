/**
 * The hosted checkout's routes, public (the payer has no Huduma account; the request_id in
 * the address is an unguessable 192-bit token): GET /PaymentAPI/checkout?request_id=... and
 * the phone form POST /PaymentAPI/checkout/stk (CSRF as every form), which sends the M-Pesa
 * prompt through payments and comes back to the page (303) saying so.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { csrfField } from '#modules/authorisation/index.ts';
import { findAgencyById } from '#modules/catalogue/index.ts';
import { initiateStkPush, stkDepsFor } from '#modules/payments/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { findCheckoutByRequestId, type Checkout } from './pesaflow-checkout.ts';
import { renderCheckoutPage, type CheckoutPageInput } from './pesaflow-page-views.ts';
import { pesaflowPaths } from './pesaflow-paths.ts';
import { legacyStatus } from './pesaflow-status.ts';

const PageQuery = Type.Object({
  request_id: Type.String({ maxLength: 64 }),
  notice: Type.Optional(Type.Literal('sent')),
});
const StkBody = Type.Object({
  request_id: Type.String({ maxLength: 64 }),
  phone: Type.String({ maxLength: 32 }),
});

const problems: Readonly<Record<string, readonly [string, number]>> = {
  PAY_PHONE_NUMBER_INVALID: ['pesaflow.checkout.problem.phone', 400],
  PAY_INVOICE_NOT_PAYABLE: ['pesaflow.checkout.problem.notPayable', 409],
  PAY_AMOUNT_NOT_ACCEPTED: ['pesaflow.checkout.problem.notPayable', 409],
};

async function found(deps: ModuleDeps, requestId: string): Promise<Checkout> {
  const checkout = await findCheckoutByRequestId(deps, requestId);
  if (checkout === undefined) throw new ProblemError({ code: 'PESAFLOW_CHECKOUT_NOT_FOUND' });
  return checkout;
}

async function pageInput(deps: ModuleDeps, request: FastifyRequest, checkout: Checkout,
  language: string): Promise<CheckoutPageInput> {
  const agency = await findAgencyById(deps, checkout.client.agency_id);
  const agencyName = (language === 'sw' ? agency?.nameSw : undefined) ?? agency?.nameEn ?? '';
  const { invoice } = checkout;
  return { requestId: checkout.checkout.request_id, agencyName,
    billDesc: checkout.checkout.bill_desc, reference: invoice.reference, net: checkout.net,
    commission: checkout.commission, total: invoice.total, balanceDue: invoice.balanceDue,
    status: legacyStatus(invoice),
    receipts: invoice.allocations.flatMap((a) => a.receiptNumber === null ? []
      : [a.receiptNumber]),
    paybill: deps.config.mpesa.shortcode, callbackSuccess: checkout.checkout.callback_success,
    callbackFailure: checkout.checkout.callback_failure, csrf: csrfField(request) };
}

function show(reply: FastifyReply, request: FastifyRequest, input: CheckoutPageInput,
  status = 200): FastifyReply {
  return sendHtml(reply.header('cache-control', 'no-store'),
    renderCheckoutPage(request.pageContext(), input), status);
}

export async function pesaflowPageRoutes(scope: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(pesaflowPaths.hosted, { config: { access: 'public' },
    schema: { hide: true, querystring: PageQuery } }, async (request, reply) => {
    const checkout = await found(deps, request.query.request_id);
    const input = await pageInput(deps, request, checkout, request.pageContext().language);
    return show(reply, request, { ...input, notice: request.query.notice });
  });

  app.post(pesaflowPaths.stk, { config: { access: 'public' },
    schema: { hide: true, body: StkBody } }, async (request, reply) => {
    const checkout = await found(deps, request.body.request_id);
    const pushed = await initiateStkPush(stkDepsFor(deps), {
      invoiceReference: checkout.invoice.reference, phone: request.body.phone,
      requestedBy: checkout.client.payer_account_id, now: deps.clock.now() });
    if (pushed.ok) return reply.redirect(pesaflowPaths.page(checkout.checkout.request_id,
      'sent'), 303);
    const [problem, status] = problems[pushed.error.code] ??
      ['pesaflow.checkout.problem.notSent', 502];
    const input = await pageInput(deps, request, checkout, request.pageContext().language);
    return show(reply, request, { ...input, problem, phone: request.body.phone }, status);
  });
  return Promise.resolve();
}
