/**
 * The emulator on its own port, for tests and demos that want a separate acquirer: its paths
 * at the root, e.g. http://127.0.0.1:4020/v1/sessions and http://127.0.0.1:4020/pay/cs_....
 */
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Clock } from '#platform/clock/index.ts';
import { requireAccessDeclarations } from '#platform/http/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import type { CardEmulatorMerchant, CardEmulatorTiming } from './emulator-context.ts';
import { cardEmulatorRoutes } from './emulator-routes.ts';
import type { Scheduler } from './emulator-scheduler.ts';
import { createCardEmulator, type CardEmulator } from './emulator-service.ts';

export type CardEmulatorServer = Readonly<{
  /** The acquirer's base URL, e.g. http://127.0.0.1:4020 (the real port when 0 was asked). */
  baseUrl: string;
  emulator: CardEmulator;
  close: () => Promise<void>;
}>;

export type CardEmulatorServerOptions = Readonly<{
  /** 0 (any free port) by default. */
  port?: number;
  /** 127.0.0.1 by default. */
  host?: string;
  merchant?: CardEmulatorMerchant;
  timing?: Partial<CardEmulatorTiming>;
  clock?: Clock;
  scheduler?: Scheduler;
  fetch?: typeof fetch;
  logger?: Logger;
}>;

const bodySizeBytesMax = 64 * 1024;

export async function startCardEmulatorServer(
  options: CardEmulatorServerOptions = {},
): Promise<CardEmulatorServer> {
  let baseUrl = '';
  const emulator = createCardEmulator({
    publicBaseUrl: () => baseUrl,
    ...(options.merchant === undefined ? {} : { merchant: options.merchant }),
    ...(options.timing === undefined ? {} : { timing: options.timing }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const app = Fastify({
    ...(options.logger === undefined ? {} : {
      loggerInstance: options.logger as FastifyBaseLogger,
    }),
    bodyLimit: bodySizeBytesMax,
  });
  requireAccessDeclarations(app);
  await app.register(fastifyFormbody, { bodyLimit: bodySizeBytesMax });
  await app.register(cardEmulatorRoutes, { emulator });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    baseUrl,
    emulator,
    close: async () => {
      emulator.close();
      await app.close();
    },
  };
}
