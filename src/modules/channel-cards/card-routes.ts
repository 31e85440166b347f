/**
 * The card channel's routes: the pay page's card button (POST, CSRF checked globally) makes the
 * acquirer's session and sends the payer to its hosted page (303); the return page says how it
 * ended, asking the acquirer when the notification has not come yet; the acquirer's signed
 * notifications, stored verbatim before anything reads them and acknowledged only after.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { sendHtml } from '#web/index.ts';
import { payersInvoice, payPaths, signedInAccountIdOf } from '#modules/payments/index.ts';
import { cardsErrors } from './cards-errors.ts';
import {
  learnSessionOutcome,
  receiveCardNotification,
  startCardPayment,
  type CardsDeps,
} from './card-payment-service.ts';
import { cardPaths } from './card-paths.ts';
import { cardsDb, findSession } from './card-session-repo.ts';
import { renderCannotStartPage, renderReturnPage } from './card-views.ts';

const payer = { access: { permission: 'account.self' } } as const;
const referenceParams = {
  type: 'object', properties: { reference: { type: 'string', maxLength: 40 } },
  required: ['reference'],
} as const;
const returnQuery = {
  type: 'object',
  properties: { sessionId: { type: 'string', pattern: '^[A-Za-z0-9_-]{4,100}$' } },
  required: ['sessionId'],
} as const;
type ReferenceParams = { Params: { reference: string } };
type ReturnRequest = { Params: { reference: string }; Querystring: { sessionId: string } };

const problemKeys = {
  CARDS_NOT_AVAILABLE: 'cards.problem.notOffered',
  CARDS_INVOICE_NOT_PAYABLE: 'cards.problem.notPayable',
  CARDS_ACQUIRER_UNAVAILABLE: 'cards.problem.unavailable',
} as const;

/** Headers kept with a stored notification: none carries a secret or card data. */
const storedHeaders = ['content-type', 'content-length', 'user-agent', 'card-signature'] as const;
const notificationBytesMax = 64 * 1024;
/** Per process and source address; an acquirer sends far fewer, retries included. */
export const notificationRateLimit = { max: 600, timeWindow: 60_000 } as const;

export async function cardRoutes(app: FastifyInstance, deps: CardsDeps): Promise<void> {
  app.post<ReferenceParams>(cardPaths.cardPattern, {
    config: payer, schema: { hide: true, params: referenceParams },
  }, async (request, reply) => {
    const invoice = await payersInvoice(deps, request, request.params.reference);
    const started = await startCardPayment(deps,
      { invoice, requestedBy: signedInAccountIdOf(request) });
    if (!started.ok) {
      const code = started.error.code;
      return sendHtml(reply, renderCannotStartPage(request.pageContext(),
        { reference: invoice.reference, problemKey: problemKeys[code] }),
      cardsErrors[code].status);
    }
    return reply.redirect(started.value.hostedUrl, 303);
  });

  app.get<ReturnRequest>(cardPaths.returnPattern, {
    config: payer, schema: { hide: true, params: referenceParams, querystring: returnQuery },
  }, async (request, reply) => showReturn(deps, request, reply));

  await app.register(async (child) => notificationRoute(child, deps));
}

async function showReturn(
  deps: CardsDeps,
  request: FastifyRequest<ReturnRequest>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const invoice = await payersInvoice(deps, request, request.params.reference);
  const session = await findSession(cardsDb(deps.db), deps.config.cards.provider,
    request.query.sessionId);
  if (session?.invoiceId !== invoice.id) {
    return sendHtml(reply, renderCannotStartPage(request.pageContext(),
      { reference: invoice.reference, problemKey: 'cards.problem.notOffered' }),
    cardsErrors.CARDS_SESSION_NOT_FOUND.status);
  }
  const outcome = await learnSessionOutcome(deps, session);
  return sendHtml(reply, renderReturnPage(request.pageContext(), {
    reference: invoice.reference, amount: session.amount, outcome,
    selfHref: `${payPaths.cardReturn(invoice.reference)}?sessionId=${
      encodeURIComponent(session.sessionId)}`,
  }));
}

/** In its own plugin: the body is kept as bytes, for the signature and to store verbatim. */
async function notificationRoute(app: FastifyInstance, deps: CardsDeps): Promise<void> {
  await app.register(fastifyRateLimit, { global: false,
    keyGenerator: (request) => (request.ip as string | undefined) ?? 'gone' });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: notificationBytesMax },
    (_request, body, done) => done(null, body));
  app.post(cardPaths.notifications, {
    // Every notification is stored before its signature is checked: a cap per source address
    // keeps anyone from filling the table with unsigned bodies.
    config: { access: 'provider-callback', rateLimit: notificationRateLimit },
    schema: { hide: true, tags: ['cards'] },
  }, async (request, reply) => {
    const rawBody = request.body instanceof Uint8Array ? request.body : new Uint8Array();
    const headers: Record<string, string> = {};
    for (const name of storedHeaders) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value.slice(0, 300);
    }
    const answer = await receiveCardNotification(deps, { rawBody, headers,
      signature: headers['card-signature'], sourceAddress: request.ip });
    if (answer.status === 200) return reply.code(200).send({ received: true });
    deps.logger.warn({ code: answer.code, source: request.ip }, 'card notification refused');
    return reply.code(answer.status).send({ code: answer.code,
      title: cardsErrors[answer.code].title });
  });
}

