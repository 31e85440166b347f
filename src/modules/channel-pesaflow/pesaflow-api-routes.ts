/**
 * The legacy gateway's machine endpoints at its own paths, so an agency system switches by
 * changing a base URL (docs/pesaflow.md): POST /PaymentAPI/iframev2.1.php (the checkout, a
 * form with case-sensitive camelCase keys: a key not in the protocol, e.g. a misspelling,
 * answers 422) and GET /api/invoice/payment/status. Both are authenticated by the client's
 * HMAC, not a session: the checkout is declared 'provider-callback' (an agency's server or
 * its payer's browser posts it cross-site, without our CSRF token).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { catalogueModule } from '#modules/catalogue/index.ts';
import { initiateStkPush, stkDepsFor } from '#modules/payments/index.ts';
import { joinErrorTables, platformErrors, type Failure } from '#platform/errors/index.ts';
import { sendProblem } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { toMajorString } from '#platform/money/index.ts';
import { checkOut, type Checkout, type CheckoutRequest } from './pesaflow-checkout.ts';
import { pesaflowErrors } from './pesaflow-errors.ts';
import { readCheckoutForm } from './pesaflow-form.ts';
import { pesaflowPaths } from './pesaflow-paths.ts';
import { paymentStatus } from './pesaflow-status.ts';

const answers = joinErrorTables([pesaflowErrors, catalogueModule.errors, platformErrors]);
const FormBody = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(),
  { maxProperties: 40 });
const StatusQuery = Type.Object({
  api_client_id: Type.String({ maxLength: 12 }),
  ref_no: Type.String({ maxLength: 40 }),
  secure_hash: Type.String({ maxLength: 200 }),
}, { additionalProperties: false });

function problem(reply: FastifyReply, refused: Failure): FastifyReply {
  return sendProblem(reply.header('cache-control', 'no-store'), answers, refused);
}

export function checkoutJson(deps: ModuleDeps, found: Checkout): Record<string, string> {
  return { invoice_number: found.invoice.reference,
    invoice_link: `${deps.config.publicBaseUrl}${pesaflowPaths.page(found.checkout.request_id)}`,
    commission: toMajorString(found.commission), amount_net: toMajorString(found.net),
    amount_expected: toMajorString(found.invoice.total) };
}

/** sendSTK=true: the prompt goes to clientMSISDN, once per checkout (its request key). */
async function pushIfAsked(deps: ModuleDeps, found: Checkout, msisdn: string | undefined):
  Promise<void> {
  if (msisdn === undefined || found.invoice.balanceDue.amountMinor === 0n) return;
  const pushed = await initiateStkPush(stkDepsFor(deps), {
    invoiceReference: found.invoice.reference, phone: msisdn,
    requestedBy: `api-client:pesaflow-${found.client.api_client_id}`,
    requestKey: `pesaflow:${found.checkout.id}`, now: deps.clock.now() });
  if (!pushed.ok) {
    deps.logger.info({ checkoutId: found.checkout.id, code: pushed.error.code },
      'pesaflow sendSTK: no prompt sent');
  }
}

export async function pesaflowApiRoutes(scope: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.post(pesaflowPaths.checkout, { config: { access: 'provider-callback' },
    schema: { hide: true, body: FormBody } }, async (request, reply) => {
    const form = readCheckoutForm(request.body);
    if (!form.ok) return problem(reply, form.error);
    const request_: CheckoutRequest = form.value.request;
    const done = await checkOut(deps, request_);
    if (!done.ok) return problem(reply, done.error);
    await pushIfAsked(deps, done.value, form.value.sendStkTo);
    const body = checkoutJson(deps, done.value);
    if (form.value.format === 'json') {
      return reply.code(done.value.created ? 201 : 200).header('cache-control', 'no-store')
        .send(body);
    }
    return reply.redirect(pesaflowPaths.page(done.value.checkout.request_id), 303);
  });

  app.get(pesaflowPaths.status, { config: { access: 'public' },
    schema: { hide: true, querystring: StatusQuery } }, async (request, reply) => {
    const found = await paymentStatus(deps, request.query);
    if (!found.ok) return problem(reply, found.error);
    return reply.header('cache-control', 'no-store').send(found.value);
  });
  return Promise.resolve();
}
