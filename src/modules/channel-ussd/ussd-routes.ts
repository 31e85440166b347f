/**
 * The USSD channel's HTTP surface: the gateway endpoint (POST /ussd/africastalking/<token>,
 * form fields as Africa's Talking sends them, a text/plain CON or END reply) and, outside
 * production, the simulator page, which calls the same handler as the gateway.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { failure } from '#platform/errors/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { csrfField } from '#modules/authorisation/index.ts';
import { stkDepsFor, type StkDeps } from '#modules/payments/index.ts';
import { sendHtml } from '#web/index.ts';
import { renderSimulatorPage } from './simulator-views.ts';
import { gatewaySources, gatewayTokenMatches } from './ussd-gateway-guard.ts';
import { simulatorServiceCode, ussdPaths } from './ussd-paths.ts';
import { normaliseUssdPhone } from './ussd-phone.ts';
import { handleUssdRequest, replyBody } from './ussd-service.ts';

const GatewayBody = Type.Object({
  sessionId: Type.String({ minLength: 1, maxLength: 200 }),
  serviceCode: Type.String({ minLength: 1, maxLength: 40 }),
  phoneNumber: Type.String({ minLength: 1, maxLength: 32 }),
  networkCode: Type.Optional(Type.String({ maxLength: 20 })),
  text: Type.Optional(Type.String({ maxLength: 1000 })),
});
type GatewayBody = Static<typeof GatewayBody>;
const GatewayParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

const SimulatorBody = Type.Object({
  phone: Type.Optional(Type.String({ maxLength: 32 })),
  sessionId: Type.Optional(Type.String({ maxLength: 100 })),
  text: Type.Optional(Type.String({ maxLength: 1000 })),
  answer: Type.Optional(Type.String({ maxLength: 100 })),
  action: Type.Optional(Type.Union([Type.Literal('dial'), Type.Literal('send')])),
});
type SimulatorBody = Static<typeof SimulatorBody>;

const gatewayBodyBytesMax = 4 * 1024;

export async function ussdRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const stk = stkDepsFor(deps);
  const sourceAllowed = gatewaySources(deps.config.ussd.allowedSources);
  app.post<{ Params: { token: string }; Body: GatewayBody }>(ussdPaths.gatewayPattern, {
    config: { access: 'provider-callback' }, bodyLimit: gatewayBodyBytesMax,
    schema: { hide: true, tags: ['ussd'], params: GatewayParams, body: GatewayBody },
    onRequest: async (request) => {
      const token = (request.params as { token?: string }).token ?? '';
      if (!gatewayTokenMatches(token, deps.config.ussd.gatewayToken)) {
        throw new ProblemError(failure('PLATFORM_NOT_FOUND', 'No page or API at this path'));
      }
      if (!sourceAllowed(request.ip)) {
        deps.logger.warn({ route: ussdPaths.gatewayPattern, source: request.ip },
          'USSD gateway call refused');
        throw new ProblemError(failure('USSD_GATEWAY_SOURCE_REFUSED'));
      }
    },
  }, async (request, reply) => {
    const answer = await handleUssdRequest(deps, stk, { sessionId: request.body.sessionId,
      serviceCode: request.body.serviceCode, phoneNumber: request.body.phoneNumber,
      text: request.body.text ?? '' });
    return reply.type('text/plain; charset=utf-8').send(replyBody(answer));
  });
  if (deps.config.ussd.simulator) await simulatorRoutes(app, deps, stk);
}

async function simulatorRoutes(app: FastifyInstance, deps: ModuleDeps, stk: StkDeps):
  Promise<void> {
  const config = { access: 'public' as const };
  app.get(ussdPaths.simulator, { config, schema: { hide: true } }, async (request, reply) =>
    sendHtml(reply, renderSimulatorPage(request.pageContext(), { phone: '' },
      csrfField(request))));
  app.post<{ Body: SimulatorBody }>(ussdPaths.simulator,
    { config, schema: { hide: true, body: SimulatorBody } },
    async (request, reply) => simulate(deps, stk, request, reply));
}

async function simulate(deps: ModuleDeps, stk: StkDeps,
  request: FastifyRequest<{ Body: SimulatorBody }>, reply: FastifyReply): Promise<FastifyReply> {
  const body = request.body;
  const phone = (body.phone ?? '').trim();
  const context = request.pageContext();
  const csrf = csrfField(request);
  if (normaliseUssdPhone(phone) === undefined) {
    return sendHtml(reply, renderSimulatorPage(context, { phone, phoneInvalid: true }, csrf),
      400);
  }
  const dialling = body.action !== 'send' || body.sessionId === undefined ||
    body.sessionId === '';
  const sessionId = dialling ? `simulator-${uuidv7()}` : body.sessionId ?? '';
  const before = dialling ? '' : body.text ?? '';
  const answer = (body.answer ?? '').trim().replaceAll('*', '');
  const text = dialling ? '' : before === '' ? answer : `${before}*${answer}`;
  const answered = await handleUssdRequest(deps, stk,
    { sessionId, serviceCode: simulatorServiceCode, phoneNumber: phone, text });
  return sendHtml(reply, renderSimulatorPage(context,
    { phone, session: { sessionId, text, reply: answered } }, csrf));
}
