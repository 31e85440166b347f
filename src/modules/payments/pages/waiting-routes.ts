/**
 * "Check your phone": the page (refreshing itself with JavaScript off), its JSON status for
 * the enhancing script, and that script, served from /assets with a content hash.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listInvoiceReceipts } from '#modules/documents/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import type { InvoiceView } from '../invoice-service.ts';
import { payersInvoice } from './pay-access.ts';
import { payPaths, payRoutePatterns } from './pay-paths.ts';
import { findStkPushSummary, type StkPushSummary } from './stk-port.ts';
import { renderWaitingPage, type WaitingState } from './waiting-views.ts';

const scriptBody = readFileSync(new URL('./pay-status.js', import.meta.url));
const scriptHash = createHash('sha256').update(scriptBody).digest('hex').slice(0, 12);
export const payStatusScriptPath = `/assets/pay-status.${scriptHash}.js`;

type PushParams = { Params: { reference: string; pushId: string } };
const pushParams = {
  type: 'object',
  properties: {
    reference: { type: 'string', maxLength: 40 }, pushId: { type: 'string', maxLength: 64 },
  },
  required: ['reference', 'pushId'],
} as const;
const payer = { access: { permission: 'account.self' } } as const;

async function payersPush(deps: ModuleDeps, request: FastifyRequest<PushParams>):
  Promise<Readonly<{ invoice: InvoiceView; push: StkPushSummary }>> {
  const invoice = await payersInvoice(deps, request, request.params.reference);
  const push = await findStkPushSummary(deps, request.params.pushId, deps.clock.now())
    .catch(() => undefined);
  if (push === undefined || push.invoiceId !== invoice.id) {
    throw new ProblemError({ code: 'PAY_STK_PUSH_NOT_FOUND' });
  }
  return { invoice, push };
}

/**
 * What the payer is shown: the push's status, except that a confirmed payment whose receipt
 * the workers have not issued yet (receipts are issued when money is allocated, through the
 * outbox) is 'preparing': the page keeps refreshing until the receipt exists.
 */
async function shownState(deps: ModuleDeps, invoice: InvoiceView, push: StkPushSummary):
  Promise<WaitingState> {
  if (push.status.kind !== 'confirmed') return push.status.kind;
  const receipts = await listInvoiceReceipts(deps, invoice.id);
  return receipts.length === invoice.allocations.length ? 'confirmed' : 'preparing';
}

export async function waitingRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  app.get<PushParams>(payRoutePatterns.waiting, {
    config: payer, schema: { hide: true, params: pushParams },
  }, async (request, reply) => {
    const { invoice, push } = await payersPush(deps, request);
    const state = await shownState(deps, invoice, push);
    if (state === 'confirmed') return reply.redirect(payPaths.receipt(invoice.reference), 303);
    return sendHtml(reply, renderWaitingPage(request.pageContext(), {
      reference: invoice.reference, push, scriptPath: payStatusScriptPath, state,
    }));
  });

  app.get<PushParams>(payRoutePatterns.status, {
    config: payer,
    schema: {
      hide: true, params: pushParams,
      response: { 200: { type: 'object', properties: {
        state: { type: 'string' }, next: { type: 'string' } } } },
    },
  }, async (request, reply) => {
    const { invoice, push } = await payersPush(deps, request);
    return reply.header('cache-control', 'no-store').send({
      state: await shownState(deps, invoice, push),
      next: payPaths.waiting(invoice.reference, push.id),
    });
  });

  app.get(payStatusScriptPath, {
    config: { access: 'public' }, schema: { hide: true },
  }, async (_request, reply) => reply.header('cache-control', 'public, max-age=31536000, immutable')
    .type('text/javascript; charset=utf-8').send(scriptBody));
}
