/**
 * Where M-Pesa posts refund Results (B2C, reversal), queue timeouts and status answers. The
 * same guard as every M-Pesa callback (callback-routes.ts): the secret token in the path (wrong
 * token: 404) and an allowed source address (else 403). The body is stored raw and committed
 * before it is read; M-Pesa is acknowledged after processing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { failure } from '#platform/errors/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { callbackTokenMatches, sourceAllowList } from '../callback-guard.ts';
import { storableBody } from '../callback-routes.ts';
import { callbackAcknowledgement } from '../mpesa/index.ts';
import {
  receiveRefundCallback,
  type RefundCallbackKind,
  type RefundExecutionDeps,
} from './refund-execution.ts';

export const refundCallbackPaths = {
  b2cResult: '/refund/b2c/result',
  reversalResult: '/refund/reversal/result',
  timeout: '/refund/timeout',
  statusResult: '/refund/status/result',
  statusTimeout: '/refund/status/timeout',
} as const;

const callbackBodyBytesMax = 64 * 1024;

export type RefundCallbackOptions = Readonly<{
  deps: RefundExecutionDeps;
  callbackToken: string;
  allowedSources: readonly string[];
}>;

export async function refundCallbackRoutes(app: FastifyInstance, options: RefundCallbackOptions):
  Promise<void> {
  const allowList = sourceAllowList(options.allowedSources);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: callbackBodyBytesMax },
    (_request, body, done) => done(null, body));
  app.addHook('onRequest', async (request) => {
    const token = (request.params as { token?: string }).token ?? '';
    const route = request.routeOptions.url ?? 'unmatched';
    if (!callbackTokenMatches(token, options.callbackToken)) {
      options.deps.logger.warn({ route, reason: 'wrong token' }, 'M-Pesa callback refused');
      throw new ProblemError(failure('PLATFORM_NOT_FOUND', 'No page or API at this path'));
    }
    if (!allowList.allows(request.ip)) {
      options.deps.logger.warn({ route, reason: 'source not allowed', source: request.ip },
        'M-Pesa callback refused');
      throw new ProblemError(failure('PAY_MPESA_CALLBACK_SOURCE_REFUSED'));
    }
  });
  const config = { access: 'provider-callback' as const };
  const schema = { hide: true, tags: ['payments'] };
  const store = (kind: RefundCallbackKind) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const contentType = request.headers['content-type'];
      await receiveRefundCallback(options.deps, {
        kind, sourceAddress: request.ip,
        headers: typeof contentType === 'string'
          ? { 'content-type': contentType.slice(0, 200) } : {},
        ...storableBody(request.body),
      });
      return reply.code(200).send(callbackAcknowledgement);
    };
  app.post(refundCallbackPaths.b2cResult, { config, schema }, store('mpesa_b2c_result'));
  app.post(refundCallbackPaths.reversalResult, { config, schema },
    store('mpesa_reversal_result'));
  app.post(refundCallbackPaths.timeout, { config, schema }, store('mpesa_refund_timeout'));
  app.post(refundCallbackPaths.statusResult, { config, schema },
    store('mpesa_refund_status_result'));
  app.post(refundCallbackPaths.statusTimeout, { config, schema }, store('mpesa_refund_timeout'));
}
