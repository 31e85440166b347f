/**
 * For the card channel's tests: the real app on a real port, its card acquirer the emulator
 * at `acquirerBaseUrl` (its own server), with the emulator's demo merchant keys; without
 * `acquirerBaseUrl`, the emulator mounted in the app itself, as `npm start` runs it.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '#config';
import type { DatabaseHandle } from '#platform/db/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { buildTestApp, testDeps } from './app.ts';
import { freePort } from './payments.ts';

export type CardsHarness = Readonly<{
  app: FastifyInstance;
  url: string;
  deps: ModuleDeps;
  close: () => Promise<void>;
}>;

export const cardsTestMerchant = {
  merchantId: 'huduma-demo',
  secretKey: 'card-emulator-secret-key',
  notificationSecret: 'card-emulator-notification-secret',
} as const;

export async function startCardsHarness(
  database: DatabaseHandle,
  acquirerBaseUrl: string | undefined,
  logger?: Logger,
): Promise<CardsHarness> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    HUDUMA_ENV: 'test', PORT: String(port), HUDUMA_PUBLIC_URL: url,
    ...(acquirerBaseUrl === undefined ? {} : {
      HUDUMA_CARDS_EMULATOR: 'off', HUDUMA_CARDS_ACQUIRER_URL: acquirerBaseUrl,
      HUDUMA_CARDS_MERCHANT_ID: cardsTestMerchant.merchantId,
      HUDUMA_CARDS_SECRET_KEY: cardsTestMerchant.secretKey,
      HUDUMA_CARDS_NOTIFICATION_SECRET: cardsTestMerchant.notificationSecret,
    }),
  });
  const deps = testDeps(database, { config, ...(logger === undefined ? {} : { logger }) });
  const app = await buildTestApp(database, deps);
  await app.listen({ port, host: '127.0.0.1' });
  return { app, url, deps, close: async () => app.close() };
}
