/**
 * The payments module's HTTP surface: M-Pesa callbacks (ingest through the micro-batcher), and
 * at start the registration of our C2B URLs with Daraja when configured.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '#config';
import type { ModuleDeps, PeriodicJob } from '#platform/module.ts';
import { findAccountContactsInTrx } from '#modules/identity/index.ts';
import { callbackPaths, callbackRoutes } from './callback-routes.ts';
import { createIngestBatcher, type IngestBatcher } from './ingest-batcher.ts';
import type { IngestContext, PayerContactFinder } from './ingest-service.ts';
import { sweepAgeMsMin, sweepUnprocessedCallbacks } from './ingest-sweep.ts';
import { createDarajaClient, type DarajaClient } from './mpesa/index.ts';
import type { StkQueryDeps } from './stk-query-worker.ts';
import { paymentAlertRoutes } from './payment-alert-routes.ts';
import { paymentAlertCounter } from './payment-alert-service.ts';
import { suspenseRoutes } from './suspense-routes.ts';

/**
 * Concurrent ingest transactions on PostgreSQL. Few, on purpose: every money movement appends
 * to the audit chain under one lock held to commit, so transactions meet there anyway; more
 * lanes only wait longer for it, fewer make bigger batches (bench/ingest: 3 did best before
 * batch posting; after it, single runs with 2 and 4 lanes did no better, within the noise).
 * A lane beside a running one opens only for a full enough queue (ingest-batcher.ts).
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
    stkFieldTypes: mpesa.stkFieldTypes,
    clock: deps.clock,
  });
}

/** The absolute URL of one of our callbacks, as Daraja must call it. */
export function callbackUrl(config: Config, path: string): string {
  return `${config.publicBaseUrl}${callbackPaths.base(config.mpesa.callbackToken)}${path}`;
}

/**
 * The context every ingest transaction runs in: the time now, our paybill, whom to tell (by
 * default the payer's account contact, from identity).
 */
export function ingestContextFor(
  deps: ModuleDeps,
  findPayerContact: PayerContactFinder = findAccountContactsInTrx,
): () => IngestContext {
  return () => ({
    now: deps.clock.now(),
    shortcode: deps.config.mpesa.shortcode,
    logger: deps.logger,
    metrics: deps.metrics,
    findPayerContact,
  });
}

/** What STK push and its status queries need, from the module's deps. */
export function stkDepsFor(
  deps: ModuleDeps,
  findPayerContact?: PayerContactFinder,
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

/**
 * The workers sweep stored callbacks left without an outcome (`huduma payments sweep` by hand)
 * as often as a callback becomes old enough to be swept.
 */
export function callbackSweepJob(deps: ModuleDeps): PeriodicJob {
  return {
    name: 'payments.callback-sweep',
    everyMs: sweepAgeMsMin,
    run: async () => {
      const report = await sweepUnprocessedCallbacks(deps.db, ingestContextFor(deps)());
      if (report.processed + report.failed > 0) {
        deps.logger.info(report, 'payments sweep: stored callbacks processed');
      }
    },
  };
}

export function createPaymentsBatcher(
  deps: ModuleDeps,
  findPayerContact?: PayerContactFinder,
): IngestBatcher {
  return createIngestBatcher({
    db: deps.db,
    logger: deps.logger,
    metrics: deps.metrics,
    lanesMax: deps.databaseKind === 'pglite' ? 1 : postgresIngestLanes,
    context: ingestContextFor(deps, findPayerContact),
  });
}

export async function paymentsRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const batcher = createPaymentsBatcher(deps);
  await app.register(callbackRoutes, {
    prefix: callbackPaths.prefix,
    deps,
    mpesa: deps.config.mpesa,
    batcher,
    metrics: deps.metrics,
  });
  await app.register(async (scope) => suspenseRoutes(scope, deps));
  await app.register(async (scope) => paymentAlertRoutes(scope, deps));
  paymentAlertCounter(deps.metrics);
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
