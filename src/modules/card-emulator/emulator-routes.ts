/**
 * The acquirer's HTTP surface, as a Fastify plugin mountable under any prefix: in the app at
 * /emulators/card (outside production only) or at the root of its own server. The API answers
 * in the acquirer's own JSON ({ error, detail }), not the platform's problem+json.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { html, type SafeHtml } from '#web/index.ts';
import { returnUrlOf, type CheckoutResult } from './emulator-checkout.ts';
import {
  challengePage,
  closedPage,
  hostedPage,
  notFoundPage,
  stylesheetPath,
  stylesheetText,
} from './emulator-pages.ts';
import type { CardReply } from './emulator-replies.ts';
import type { CardEmulator } from './emulator-service.ts';

export type CardEmulatorRoutesOptions = Readonly<{
  emulator: CardEmulator;
  /** Hidden fields every form carries (the app's CSRF field); none by default. */
  formFields?: (request: FastifyRequest) => SafeHtml;
}>;

// A fake provider: it checks its own bearer key, not the platform's sessions. It is mounted
// only where config allows (never in production), and it moves no real money.
const access = { access: 'public' } as const;
const hidden = { hide: true } as const;

const AmountMinor = Type.String({ pattern: '^[1-9][0-9]{0,14}$' });
const Currency = Type.Union([Type.Literal('KES'), Type.Literal('USD')]);
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({ minLength: 1, maxLength: 100 }),
});
const SessionBody = Type.Object({
  merchantReference: Type.String({ minLength: 1, maxLength: 64 }),
  amountMinor: AmountMinor,
  currency: Currency,
  description: Type.Optional(Type.String({ maxLength: 200 })),
  returnUrl: Type.String({ minLength: 1, maxLength: 2048 }),
  notificationUrl: Type.String({ minLength: 1, maxLength: 2048 }),
});
const RefundBody = Type.Object({
  paymentId: Type.String({ minLength: 1, maxLength: 64 }),
  amountMinor: AmountMinor,
  currency: Currency,
  merchantRefundReference: Type.String({ minLength: 1, maxLength: 64 }),
});
const SessionParams = Type.Object({ sessionId: Type.String({ maxLength: 64 }) });
const RefundParams = Type.Object({ refundId: Type.String({ maxLength: 64 }) });
const CardBody = Type.Object({
  cardNumber: Type.Optional(Type.String({ maxLength: 64 })),
  expiry: Type.Optional(Type.String({ maxLength: 16 })),
  cvc: Type.Optional(Type.String({ maxLength: 16 })),
  name: Type.Optional(Type.String({ maxLength: 200 })),
});
const ChallengeBody = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 32 })),
  action: Type.Optional(Type.Union([Type.Literal('verify'), Type.Literal('cancel')])),
});

function send(reply: FastifyReply, answer: CardReply): FastifyReply {
  return reply.code(answer.statusCode).header('cache-control', 'no-store').send(answer.body);
}

function sendPage(reply: FastifyReply, statusCode: number, body: string): FastifyReply {
  return reply.code(statusCode).header('cache-control', 'no-store')
    .type('text/html; charset=utf-8').send(body);
}

export async function cardEmulatorRoutes(
  scope: FastifyInstance,
  options: CardEmulatorRoutesOptions,
): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  const { emulator } = options;
  const formFields = options.formFields ?? (() => html``);

  // The acquirer's envelope: a malformed request gets { error: 'invalid_request' }.
  app.setErrorHandler((error: { statusCode?: number; message?: string }, request, reply) => {
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return send(reply, { statusCode: error.statusCode,
        body: { error: 'invalid_request', detail: error.message ?? 'invalid request' } });
    }
    request.log.error({ err: error }, 'card emulator request failed');
    return send(reply, { statusCode: 500, body: { error: 'server_error' } });
  });
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const refused = emulator.authenticate(request.headers.authorization);
    if (refused !== undefined) return send(reply, refused);
    return undefined;
  };
  const api = { config: access, preValidation: authenticate } as const;

  app.post('/v1/sessions', { ...api, schema: { ...hidden, headers: IdempotencyHeaders,
    body: SessionBody } }, async (request, reply) =>
    send(reply, emulator.createSession(request.headers['idempotency-key'], request.body)));
  app.get('/v1/sessions/:sessionId', { ...api, schema: { ...hidden, params: SessionParams } },
    async (request, reply) => send(reply, emulator.querySession(request.params.sessionId)));
  app.post('/v1/refunds', { ...api, schema: { ...hidden, headers: IdempotencyHeaders,
    body: RefundBody } }, async (request, reply) =>
    send(reply, emulator.createRefund(request.headers['idempotency-key'], request.body)));
  app.get('/v1/refunds/:refundId', { ...api, schema: { ...hidden, params: RefundParams } },
    async (request, reply) => send(reply, emulator.queryRefund(request.params.refundId)));

  const answerCheckout = (request: FastifyRequest, reply: FastifyReply,
    result: CheckoutResult, form: Readonly<{ expiry: string; name: string }>) => {
    switch (result.kind) {
      case 'not-found': return sendPage(reply, 404, notFoundPage(1));
      case 'closed':
        return sendPage(reply, 409, closedPage(result.session, returnUrlOf(result.session), 1));
      case 'invalid': return sendPage(reply, 400, hostedPage({ session: result.session,
        errors: result.errors, ...form, hidden: formFields(request) }));
      case 'challenge':
        return reply.redirect(`${result.session.sessionId}/challenge`, 303);
      case 'finished': return reply.redirect(result.redirectTo, 303);
    }
  };

  app.get('/pay/:sessionId', { config: access, schema: { ...hidden, params: SessionParams } },
    async (request, reply) => {
      const session = emulator.session(request.params.sessionId);
      if (session === undefined) return sendPage(reply, 404, notFoundPage(1));
      if (session.status !== 'open') {
        return sendPage(reply, 200, closedPage(session, returnUrlOf(session), 1));
      }
      if (session.challenge !== undefined) {
        return reply.redirect(`${session.sessionId}/challenge`, 303);
      }
      return sendPage(reply, 200, hostedPage({ session, errors: [], expiry: '', name: '',
        hidden: formFields(request) }));
    });
  app.post('/pay/:sessionId', { config: access,
    schema: { ...hidden, params: SessionParams, body: CardBody } }, async (request, reply) => {
    const form = { cardNumber: request.body.cardNumber ?? '', expiry: request.body.expiry ?? '',
      cvc: request.body.cvc ?? '', name: request.body.name ?? '' };
    const result = emulator.submitCard(request.params.sessionId, form);
    return answerCheckout(request, reply, result, { expiry: form.expiry, name: form.name });
  });
  registerChallengeRoutes(app, emulator, formFields);
  registerEmulatorRoutes(app, emulator);
}

function registerChallengeRoutes(app: FastifyInstance, emulator: CardEmulator,
  formFields: (request: FastifyRequest) => SafeHtml): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const back = (sessionId: string) => `../${sessionId}`;
  typed.get('/pay/:sessionId/challenge', { config: access,
    schema: { ...hidden, params: SessionParams } }, async (request, reply) => {
    const session = emulator.session(request.params.sessionId);
    if (session === undefined) return sendPage(reply, 404, notFoundPage(2));
    if (session.status !== 'open') {
      return sendPage(reply, 200, closedPage(session, returnUrlOf(session), 2));
    }
    if (session.challenge === undefined) return reply.redirect(back(session.sessionId), 303);
    return sendPage(reply, 200, challengePage(session, false, formFields(request)));
  });
  typed.post('/pay/:sessionId/challenge', { config: access,
    schema: { ...hidden, params: SessionParams, body: ChallengeBody } },
  async (request, reply) => {
    const result = emulator.submitChallenge(request.params.sessionId,
      { action: request.body.action ?? 'verify', code: request.body.code ?? '' });
    switch (result.kind) {
      case 'not-found': return sendPage(reply, 404, notFoundPage(2));
      case 'closed':
        return sendPage(reply, 409, closedPage(result.session, returnUrlOf(result.session), 2));
      case 'no-challenge': return reply.redirect(back(request.params.sessionId), 303);
      case 'challenge':
        return sendPage(reply, 400, challengePage(result.session, true, formFields(request)));
      case 'finished': return reply.redirect(result.redirectTo, 303);
      default: return reply.redirect(back(request.params.sessionId), 303);
    }
  });
}

function registerEmulatorRoutes(app: FastifyInstance, emulator: CardEmulator): void {
  app.get('/_emulator/state', { config: access, schema: hidden }, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send(emulator.snapshot()));
  app.post('/_emulator/flush', { config: access, schema: hidden }, async (_request, reply) =>
    reply.header('cache-control', 'no-store')
      .send({ flushed: await emulator.flushNotifications() }));
  app.get(stylesheetPath, { config: access, schema: hidden }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8')
      .send(stylesheetText));
}
