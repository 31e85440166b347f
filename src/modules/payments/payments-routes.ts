/**
 * The payments module's HTTP surface: M-Pesa callbacks (ingest through the micro-batcher), and
 * at start the registration of our C2B URLs with Daraja when configured.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '#config';
import type { ModuleDeps } from '#platform/module.ts';
import { callbackPaths, callbackRoutes } from './callback-routes.ts';
import { createIngestBatcher, type IngestBatcher } from './ingest-batcher.ts';
import type { IngestContext, PayerContactFinder } from './ingest-service.ts';
import { createDarajaClient, type DarajaClient } from './mpesa/index.ts';
import type { StkQueryDeps } from './stk-query-worker.ts';
import { suspenseRoutes } from './suspense-routes.ts';

/**
 * Concurrent ingest transactions on PostgreSQL. Few, on purpose: every money movement appends
 * to the audit chain under one lock held to commit, so transactions meet there anyway; more
 * lanes only wait longer for it, fewer make bigger batches (bench/ingest: 3 did best).
 */
const postgresIngestLanes = 3;

export function darajaClientFor(deps: Pick<ModuleDeps, 'config' | 'clock'>): DarajaClient {
  const { mpesa } = deps.config;
  return createDarajaClient({
    baseUrl: mpesa.baseUrl,
    consumerKey: mpesa.consumerKey,
    consumerSecret: mpesa.consumerSecret,
    shortcode: mpesa.shortcode,
    passkey: mpesa.passkey,
    initiator: mpesa.initiator,
    securityCredential: mpesa.securityCredential,
    timeoutMs: mpesa.timeoutMs,
    timestampZone: mpesa.timestampZone,
    clock: deps.clock,
  });
}

/** The absolute URL of one of our callbacks, as Daraja must call it. */
export function callbackUrl(config: Config, path: string): string {
  return `${config.publicBaseUrl}${callbackPaths.base(config.mpesa.callbackToken)}${path}`;
}

/** The context every ingest transaction runs in: the time now, our paybill, whom to tell. */
export function ingestContextFor(
  deps: ModuleDeps,
  findPayerContact: PayerContactFinder | undefined,
): () => IngestContext {
  return () => ({
    now: deps.clock.now(),
    shortcode: deps.config.mpesa.shortcode,
    logger: deps.logger,
    findPayerContact,
  });
}

/** What STK push and its status queries need, from the module's deps. */
export function stkDepsFor(
  deps: ModuleDeps,
  findPayerContact: PayerContactFinder | undefined = undefined,
): StkQueryDeps {
  return {
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    daraja: darajaClientFor(deps),
    stkCallbackUrl: callbackUrl(deps.config, callbackPaths.stkCallback),
    ingestContext: ingestContextFor(deps, findPayerContact),
  };
}

export function createPaymentsBatcher(
  deps: ModuleDeps,
  findPayerContact: PayerContactFinder | undefined,
): IngestBatcher {
  return createIngestBatcher({
    db: deps.db,
    logger: deps.logger,
    metrics: deps.metrics,
    lanesMax: deps.databaseKind === 'pglite' ? 1 : postgresIngestLanes,
    context: ingestContextFor(deps, findPayerContact),
  });
}

export async function paymentsRoutes(
  app: FastifyInstance,
  deps: ModuleDeps,
  options: Readonly<{ findPayerContact: PayerContactFinder | undefined }>,
): Promise<void> {
  const batcher = createPaymentsBatcher(deps, options.findPayerContact);
  await app.register(callbackRoutes, {
    prefix: callbackPaths.prefix,
    deps,
    mpesa: deps.config.mpesa,
    batcher,
    metrics: deps.metrics,
  });
  await app.register(async (scope) => suspenseRoutes(scope, deps));
  // Answer what is queued before the database closes.
  app.addHook('onClose', async () => batcher.idle());
  if (deps.config.mpesa.registerC2bUrls) {
    // After listen: the emulator may be this very process, reached over HTTP.
    app.addHook('onListen', async () => {
      void registerC2bUrls(deps);
    });
  }
}

async function registerC2bUrls(deps: ModuleDeps): Promise<void> {
  const result = await darajaClientFor(deps).registerC2bUrls({
    confirmationUrl: callbackUrl(deps.config, callbackPaths.c2bConfirmation),
    validationUrl: callbackUrl(deps.config, callbackPaths.c2bValidation),
    // If validation cannot be reached in time the payment completes: it is never lost, and a
    // bad reference lands in the suspense register rather than the payer being refused.
    responseType: 'Completed',
  });
  if (result.ok) deps.logger.info('C2B URLs registered with Daraja');
  else deps.logger.error({ failure: result.error.kind }, 'C2B URL registration failed');
}
