/**
 * Refunds inside the payments module: the outbox handlers, the callback routes and the pages,
 * built from the module's deps (the Daraja client and our callback URLs from config).
 */
import type { FastifyInstance } from 'fastify';
import type { ModuleDeps } from '#platform/module.ts';
import type { OutboxHandlers } from '#platform/outbox/index.ts';
import { callbackPaths } from '../callback-routes.ts';
import { callbackUrl, darajaClientFor } from '../payments-routes.ts';
import { refundAccountRoutes } from './refund-account-routes.ts';
import { refundBillAccountRoutes } from './refund-bill-account.ts';
import { refundCallbackPaths, refundCallbackRoutes } from './refund-callback-routes.ts';
import {
  refundSendHandler,
  refundStatusHandler,
  type RefundExecutionDeps,
} from './refund-execution.ts';
import { refundPageRoutes } from './refund-routes.ts';
import { cardRefundSendTopic, refundSendTopic, refundStatusTopic } from './refund-service.ts';

export function refundExecutionDepsFor(deps: ModuleDeps): RefundExecutionDeps {
  const url = (path: string) => callbackUrl(deps.config, path);
  return {
    db: deps.db, clock: deps.clock, logger: deps.logger,
    daraja: darajaClientFor(deps),
    shortcode: deps.config.mpesa.shortcode,
    urls: {
      b2cResult: url(refundCallbackPaths.b2cResult),
      reversalResult: url(refundCallbackPaths.reversalResult),
      timeout: url(refundCallbackPaths.timeout),
      statusResult: url(refundCallbackPaths.statusResult),
      statusTimeout: url(refundCallbackPaths.statusTimeout),
    },
  };
}

// payments.card-refund-send is enqueued here and consumed by channel-cards (docs/cards.md).
export const refundOutboxTopics =
  [refundSendTopic, refundStatusTopic, cardRefundSendTopic] as const;

export function refundOutboxHandlers(deps: ModuleDeps): OutboxHandlers {
  const execution = refundExecutionDepsFor(deps);
  return {
    [refundSendTopic]: refundSendHandler(execution),
    [refundStatusTopic]: refundStatusHandler(execution),
  };
}

/** The refund callback routes (M-Pesa), the staff pages and the citizen's pages. */
export async function refundRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  await app.register(async (scope) => refundPageRoutes(scope, deps));
  await app.register(async (scope) => refundAccountRoutes(scope, deps));
  await app.register(async (scope) => refundBillAccountRoutes(scope, deps));
  await app.register(refundCallbackRoutes, {
    prefix: callbackPaths.prefix,
    deps: refundExecutionDepsFor(deps),
    callbackToken: deps.config.mpesa.callbackToken,
    allowedSources: deps.config.mpesa.allowedSources,
  });
}
