/**
 * Fixtures for payments tests: a ministry, an agency and priced services inserted straight
 * into the catalogue tables, and a clock. Fees: KES 1,000.00 (access fee KES 50.00, total
 * KES 1,050.00), KES 250.00 (access fee KES 10.00), USD 50.00 (access fee USD 1.00), and a free
 * service.
 */
import { once } from 'node:events';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '#config';
import { systemClock, type Clock } from '#platform/clock/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { CatalogueTables } from '#modules/catalogue/index.ts';
import type { DarajaEmulatorOptions, EmulatorServer } from '#modules/daraja-emulator/index.ts';
import {
  createDarajaClient,
  type DarajaClient,
  type PaymentsTables,
} from '#modules/payments/index.ts';
import { buildTestApp, testDeps } from './app.ts';
import { startTestEmulator, testDarajaAccount } from './daraja.ts';

export const fixtureIds = Object.freeze({
  ministry: '00000000-0000-7000-8000-0000000fa001',
  agency: '00000000-0000-7000-8000-0000000fc001',
  passport: '00000000-0000-7000-8000-0000000fd001',
  permit: '00000000-0000-7000-8000-0000000fd002',
  visa: '00000000-0000-7000-8000-0000000fd003',
  free: '00000000-0000-7000-8000-0000000fd004',
});

export const fixtureNow = new Date('2026-12-01T09:00:00Z');

export async function insertPaymentsFixture(handle: DatabaseHandle): Promise<void> {
  const db = handle.db.withTables<CatalogueTables>();
  const existing = await db.selectFrom('agency').select('id')
    .where('id', '=', fixtureIds.agency).executeTakeFirst();
  if (existing !== undefined) return;
  await db.insertInto('ministry').values({
    id: fixtureIds.ministry, slug: 'fixture-interior', name_en: 'Interior', name_sw: null,
    description_en: null, description_sw: null, url: null, origin: 'demo', source_id: null,
  }).execute();
  await db.insertInto('agency').values({
    id: fixtureIds.agency, ministry_id: fixtureIds.ministry, department_id: null,
    slug: 'fixture-immigration', name_en: 'Immigration', name_sw: 'Uhamiaji',
    description_en: null, description_sw: null, url: null, origin: 'demo', source_id: null,
  }).execute();
  const services: ReadonlyArray<readonly [string, string, bigint, 'KES' | 'USD']> = [
    [fixtureIds.passport, 'fixture-passport', 1_000_00n, 'KES'],
    [fixtureIds.permit, 'fixture-permit', 250_00n, 'KES'],
    [fixtureIds.visa, 'fixture-visa', 50_00n, 'USD'],
    [fixtureIds.free, 'fixture-free', 0n, 'KES'],
  ];
  for (const [id, slug, amountMinor, currency] of services) {
    await db.insertInto('service').values({
      id, agency_id: fixtureIds.agency, slug, name_en: `Service ${slug}`, name_sw: null,
      description_en: null, description_sw: null, service_url: null, sla_days: 10,
      origin: 'demo', source_id: null, form_schema: null,
    }).execute();
    await db.insertInto('fee_schedule_version').values({
      id: uuidv7(), service_id: id, version: 1, amount_minor: amountMinor, currency,
      effective_from: '2024-01-01', effective_to: null, gazette_reference: 'Fixture notice 1',
    }).execute();
  }
}

/** A fresh payer account id (identity owns accounts; invoices only keep the id). */
export function newPayerId(): string {
  return uuidv7();
}

/** Receipt numbers unique within a test file: the prefix, then a counter of 8 digits. */
export function receiptNumbers(prefix: string): () => string {
  let sequence = 0;
  return () => {
    sequence += 1;
    return `${prefix}${String(sequence).padStart(8, '0')}`;
  };
}

export const testCallbackToken = 'test-callback-token-0123456789abcdef';

/** A port free right now (for an app that must know its own URL before it listens). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export type PaymentsHarness = Readonly<{
  app: FastifyInstance;
  /** Our app, listening on loopback: http://127.0.0.1:<port>. */
  url: string;
  config: Config;
  /** The deps the app was built with (its config, clock, database). */
  deps: ModuleDeps;
  daraja: EmulatorServer;
  client: DarajaClient;
  close: () => Promise<void>;
}>;

/**
 * The real app on a real port, with its Daraja base URL pointing at a test emulator on its own
 * port, our C2B URLs registered with it: M-Pesa reaches us over HTTP, as in production.
 */
export async function startPaymentsHarness(
  database: DatabaseHandle,
  options: Readonly<{
    emulator?: Partial<DarajaEmulatorOptions>;
    env?: Readonly<Record<string, string>>;
    clock?: Clock;
  }> = {},
): Promise<PaymentsHarness> {
  const daraja = await startTestEmulator(options.emulator);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    HUDUMA_ENV: 'test', PORT: String(port), HUDUMA_PUBLIC_URL: url,
    HUDUMA_MPESA_EMULATOR: 'off', HUDUMA_MPESA_BASE_URL: daraja.baseUrl,
    HUDUMA_MPESA_CONSUMER_KEY: testDarajaAccount.consumerKey,
    HUDUMA_MPESA_CONSUMER_SECRET: testDarajaAccount.consumerSecret,
    HUDUMA_MPESA_SHORTCODE: testDarajaAccount.shortcode,
    HUDUMA_MPESA_PASSKEY: testDarajaAccount.passkey,
    HUDUMA_MPESA_INITIATOR: testDarajaAccount.initiator,
    HUDUMA_MPESA_SECURITY_CREDENTIAL: testDarajaAccount.securityCredential,
    HUDUMA_MPESA_CALLBACK_TOKEN: testCallbackToken,
    HUDUMA_MPESA_REGISTER_C2B_URLS: 'off',
    ...options.env,
  });
  const deps = testDeps(database,
    { config, ...(options.clock === undefined ? {} : { clock: options.clock }) });
  const app = await buildTestApp(database, deps);
  await app.listen({ port, host: '127.0.0.1' });
  const client = createDarajaClient({
    baseUrl: daraja.baseUrl, ...testDarajaAccount, timeoutMs: 5_000, clock: systemClock,
  });
  const base = `${url}/api/v1/payments/callbacks/${testCallbackToken}`;
  const registered = await client.registerC2bUrls({
    confirmationUrl: `${base}/c2b/confirmation`, validationUrl: `${base}/c2b/validation`,
    responseType: 'Completed',
  });
  if (!registered.ok) throw new Error(`C2B registration failed: ${registered.error.kind}`);
  return {
    app, url, config, deps, daraja, client,
    close: async () => {
      await daraja.emulator.idle();
      await daraja.close();
      await app.close();
    },
  };
}

/** M-Pesa's TransTime for a moment: Kenya time (UTC+3), yyyyMMddHHmmss. */
export function kenyaTransTime(at: Date = new Date()): string {
  return new Date(at.getTime() + 3 * 60 * 60 * 1000).toISOString().replaceAll(/\D/g, '')
    .slice(0, 14);
}

/**
 * A C2B confirmation body as M-Pesa posts it (daraja.md section 3), dated now unless `time`
 * says otherwise (a TransTime far from now is held in suspense).
 */
export function c2bConfirmationBody(fields: Readonly<{
  receipt: string;
  shillings: bigint;
  billReference: string;
  time?: string;
}>): string {
  return JSON.stringify({
    TransactionType: 'Pay Bill', TransID: fields.receipt,
    TransTime: fields.time ?? kenyaTransTime(),
    TransAmount: `${fields.shillings}.00`, BusinessShortCode: testDarajaAccount.shortcode,
    BillRefNumber: fields.billReference, InvoiceNumber: '', OrgAccountBalance: '',
    ThirdPartyTransID: '', MSISDN: '2547 ***** 126', FirstName: 'JOHN', MiddleName: '',
    LastName: 'DOE',
  });
}

/** A successful STK callback body (daraja.md section 5). */
export function stkCallbackBody(fields: Readonly<{
  checkoutRequestId: string;
  receipt: string;
  shillings: bigint;
}>): string {
  return JSON.stringify({ Body: { stkCallback: {
    MerchantRequestID: `m-${fields.checkoutRequestId}`, CheckoutRequestID: fields.checkoutRequestId,
    ResultCode: 0, ResultDesc: 'The service request is processed successfully.',
    CallbackMetadata: { Item: [
      { Name: 'Amount', Value: Number(fields.shillings) },
      { Name: 'MpesaReceiptNumber', Value: fields.receipt },
      { Name: 'Balance' },
      { Name: 'TransactionDate', Value: 20261128101500 },
      { Name: 'PhoneNumber', Value: 254708374149 },
    ] } } } });
}

/** An STK push already accepted by M-Pesa (as if initiateStkPush had run), for ingest tests. */
export async function insertSubmittedPush(database: DatabaseHandle, push: Readonly<{
  invoiceId: string;
  reference: string;
  shillings: bigint;
  checkoutRequestId: string;
}>): Promise<void> {
  const db = database.db.withTables<PaymentsTables>();
  const id = uuidv7();
  await db.insertInto('stk_push').values({
    id, invoice_id: push.invoiceId, requested_by: 'test', request_key: null,
    phone_number: '254708374149', amount_minor: push.shillings * 100n, currency: 'KES',
    account_reference: push.reference, checkout_request_id: push.checkoutRequestId,
    merchant_request_id: `m-${push.checkoutRequestId}`, created_at: new Date(),
  }).execute();
  await db.insertInto('stk_push_event').values([
    { id: uuidv7(), stk_push_id: id, kind: 'STK_PUSH_READY', result_code: null,
      result_description: null, raw_id: null, recorded_at: new Date() },
    { id: uuidv7(), stk_push_id: id, kind: 'STK_PUSH_SUBMITTED', result_code: null,
      result_description: null, raw_id: null, recorded_at: new Date() },
  ]).execute();
}
