/**
 * The emulator on its own port (`huduma daraja-emulator`, and tests that want a separate
 * Safaricom): Daraja's paths at the root, e.g. http://127.0.0.1:4010/oauth/v1/generate.
 */
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { requireAccessDeclarations } from '#platform/http/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import { darajaEmulatorRoutes } from './emulator-routes.ts';
import type { DarajaEmulator } from './emulator-service.ts';

export type EmulatorServer = Readonly<{
  /** The Daraja base URL, e.g. http://127.0.0.1:4010 (the real port when 0 was asked). */
  baseUrl: string;
  emulator: DarajaEmulator;
  close: () => Promise<void>;
}>;

const bodySizeBytesMax = 64 * 1024;

export async function startDarajaEmulatorServer(options: Readonly<{
  emulator: DarajaEmulator;
  port: number;
  host: string;
  logger?: Logger;
}>): Promise<EmulatorServer> {
  const app = Fastify({
    ...(options.logger === undefined ? {} : {
      loggerInstance: options.logger as FastifyBaseLogger,
    }),
    bodyLimit: bodySizeBytesMax,
  });
  requireAccessDeclarations(app);
  await app.register(darajaEmulatorRoutes, { emulator: options.emulator });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    baseUrl: `http://${host}:${port}`,
    emulator: options.emulator,
    close: async () => {
      options.emulator.close();
      await app.close();
    },
  };
}
