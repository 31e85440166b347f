/**
 * The agency integration API over HTTP with real keys: a key of agency A never reads or
 * creates for agency B (every route), revoked and unknown keys refused with 401, the secret
 * never stored in clear, create idempotent on the agency reference (also two requests at once),
 * payments and settlement batches limited to the key's agency, and the OpenAPI document.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAuditForSubject } from '#modules/audit/index.ts';
import { prepareBatch, settlementDb, upsertProfileInTrx } from '#modules/settlement/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  receiptNumbers,
  testCallbackToken,
} from '#test/helpers/payments.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import { loadConfig } from '../../config.ts';
import { createApiKey, revokeApiKey } from './api-keys-service.ts';
import { integrationDb } from './api-keys-tables.ts';
import { integrationPaths } from './integration-routes.ts';
import { createAgencyInvoice } from './integration-service.ts';

const nextReceipt = receiptNumbers('AG');
const admin = { kind: 'staff' as const, id: uuidv7(), role: 'platform-admin' };

type Json = Record<string, unknown>;

describeOnDatabases('agency integration API', (database) => {
  let app: FastifyInstance;
  let agencyB = '';
  let serviceB = '';
  let keyA = '';
  let keyB = '';
  const deps = () => testDeps(database());

  const addService = async (agencyId: string, slug: string): Promise<string> => {
    const db = database().db.withTables<Record<string, Json>>();
    const id = uuidv7();
    await db.insertInto('service').values({ id, agency_id: agencyId, slug,
      name_en: `Service ${slug}`, sla_days: 5, origin: 'demo' } as never).execute();
    await db.insertInto('fee_schedule_version').values({ id: uuidv7(), service_id: id,
      version: 1, amount_minor: 300_00n, currency: 'KES', effective_from: '2024-01-01',
      effective_to: null, gazette_reference: 'Test notice' } as never).execute();
    return id;
  };

  before(async () => {
    await insertPaymentsFixture(database());
    agencyB = await createTestAgency(database(), 'Other Agency');
    serviceB = await addService(agencyB, `other-service-${agencyB.slice(-8)}`);
    app = await buildTestApp(database(), testDeps(database(), { config: loadConfig({
      HUDUMA_ENV: 'test', HUDUMA_MPESA_CALLBACK_TOKEN: testCallbackToken }) }));
    const a = await createApiKey(deps(), { agencyId: fixtureIds.agency, name: 'Billing A',
      actor: admin, now: new Date() });
    const b = await createApiKey(deps(), { agencyId: agencyB, name: 'Billing B', actor: admin,
      now: new Date() });
    assert.ok(a.ok && b.ok);
    keyA = a.value.secret;
    keyB = b.value.secret;
  });
  after(async () => {
    await app.close();
  });

  const call = (key: string, method: 'GET' | 'POST', url: string, payload?: Json) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload }) });
  const create = (key: string, agencyReference: string, service: string,
    payerAccountId = newPayerId()) => call(key, 'POST', integrationPaths.invoices,
    { agencyReference, service, payerAccountId });
  const invoiceUrl = (reference: string) => `/api/v1/agency/invoices/${reference}`;
  const paymentsUrl = (from = '2020-01-01T00:00:00Z', to = '2100-01-01T00:00:00Z') =>
    `${integrationPaths.payments}?${new URLSearchParams({ from, to }).toString()}`;

  it('stores only the SHA-256 of the secret, never the secret', async () => {
    const rows = await integrationDb(database().db).selectFrom('agency_api_key').selectAll()
      .execute();
    const secretPart = keyA.split('_').slice(2).join('_');
    const row = rows.find((candidate) => keyA.startsWith(`hk_${candidate.prefix}_`));
    assert.ok(row !== undefined);
    assert.equal(row.secret_hash, createHash('sha256').update(secretPart).digest('hex'));
    for (const value of rows.flatMap((candidate) => Object.values(candidate))) {
      assert.ok(!String(value).includes(secretPart));
    }
  });

  it('creates an invoice once per agency reference; another body under it is a 409',
    async () => {
      const payer = newPayerId();
      const first = await create(keyA, 'INV-1001', 'fixture-passport', payer);
      assert.equal(first.statusCode, 201, first.body);
      const again = await create(keyA, 'INV-1001', 'fixture-passport', payer);
      assert.equal(again.statusCode, 200);
      assert.equal((again.json() as Json).id, (first.json() as Json).id);
      const body = first.json() as Json;
      assert.equal(body.agencyReference, 'INV-1001');
      assert.deepEqual(body.total, { amountMinor: '105000', currency: 'KES' });
      const other = await create(keyA, 'INV-1001', 'fixture-permit', payer);
      assert.equal(other.statusCode, 409);
      assert.equal((other.json() as Json).code, 'AGENCY_REFERENCE_CONFLICT');
    });

  it('two requests at once with one reference make one invoice', async () => {
    const payer = newPayerId();
    const [one, two] = await Promise.all([create(keyA, 'RACE-1', 'fixture-passport', payer),
      create(keyA, 'RACE-1', 'fixture-passport', payer)]);
    assert.deepEqual([one.statusCode, two.statusCode].sort(), [200, 201]);
    assert.equal((one.json() as Json).id, (two.json() as Json).id);
    const invoices = await database().db.withTables<{ invoice: { payer_account_id: string } }>()
      .selectFrom('invoice').select('payer_account_id').where('payer_account_id', '=', payer)
      .execute();
    assert.equal(invoices.length, 1);
  });

  it('four creates at once under one reference (service level) make one invoice', async () => {
    const payer = newPayerId();
    const results = await Promise.all([1, 2, 3, 4].map(() => createAgencyInvoice(deps(), {
      agencyId: fixtureIds.agency, agencyReference: 'RACE-4', service: 'fixture-passport',
      payerAccountId: payer, actor: admin, now: new Date() })));
    const ids = new Set(results.map((result) => (result.ok ? result.value.invoice.id : '')));
    assert.equal(ids.size, 1);
    assert.ok(!ids.has(''));
    assert.equal(results.filter((result) => result.ok && result.value.created).length, 1);
    const invoices = await database().db.withTables<{ invoice: { payer_account_id: string } }>()
      .selectFrom('invoice').select('payer_account_id').where('payer_account_id', '=', payer)
      .execute();
    assert.equal(invoices.length, 1);
  });

  it('a key of agency A can neither create for B\'s service nor read B\'s data', async () => {
    const forB = await create(keyA, 'CROSS-1', serviceB);
    assert.equal(forB.statusCode, 404);
    assert.equal((forB.json() as Json).code, 'AGENCY_SERVICE_NOT_FOUND');
    const ownB = await create(keyB, 'B-1', serviceB);
    assert.equal(ownB.statusCode, 201, ownB.body);
    assert.equal((await call(keyA, 'GET', invoiceUrl('B-1'))).statusCode, 404);
    assert.equal((await call(keyB, 'GET', invoiceUrl('INV-1001'))).statusCode, 404);
    assert.equal((await call(keyB, 'GET', invoiceUrl('B-1'))).statusCode, 200);
    // The same reference in two agencies is two invoices.
    const sameRef = await create(keyB, 'INV-1001', serviceB);
    assert.equal(sameRef.statusCode, 201);
  });

  it('lists payments and settlement batches of the key\'s agency only', async () => {
    const created = await create(keyA, 'PAY-1', 'fixture-passport');
    const billReference = String((created.json() as Json).billReference);
    const receipt = nextReceipt();
    const paid = await app.inject({ method: 'POST',
      url: `/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`,
      headers: { 'content-type': 'application/json' },
      payload: c2bConfirmationBody({ receipt, shillings: 1050n, billReference }) });
    assert.equal(paid.statusCode, 200, paid.body);
    const invoice = (await call(keyA, 'GET', invoiceUrl('PAY-1'))).json() as Json;
    assert.equal(invoice.status, 'paid');
    assert.deepEqual((invoice.payments as Json[]).map((p) => p.receiptNumber), [receipt]);
    const mine = (await call(keyA, 'GET', paymentsUrl())).json() as { payments: Json[] };
    assert.ok(mine.payments.some((p) => p.receiptNumber === receipt &&
      p.agencyReference === 'PAY-1'));
    const theirs = (await call(keyB, 'GET', paymentsUrl())).json() as { payments: Json[] };
    assert.deepEqual(theirs.payments, []);

    await database().db.transaction().execute((trx) => upsertProfileInTrx(settlementDb(trx), {
      payee: fixtureIds.agency, bank_name: 'Central Bank of Kenya', bank_code: '09',
      branch: 'Nairobi', account_number: '1000123456', account_name: 'Collections A',
      schedule_days: 1, sla_days: 2, updated_at: new Date() }));
    const later = Date.now() + 2 * 86_400_000;
    const prepared = await prepareBatch(deps(), { currency: 'KES',
      cutoff: new Date(later - 1000), actor: admin, now: new Date(later) });
    assert.ok(prepared.batch !== undefined, JSON.stringify(prepared.problems,
      (_key, value: unknown) => typeof value === "bigint" ? value.toString() : value));
    const batchesA = (await call(keyA, 'GET', integrationPaths.settlementBatches)).json() as
      { batches: { lines: Json[] }[] };
    const batchesB = (await call(keyB, 'GET', integrationPaths.settlementBatches)).json() as
      { batches: unknown[] };
    assert.deepEqual(batchesB.batches, []);
    assert.ok(batchesA.batches.length >= 1);
    for (const batch of batchesA.batches) assert.equal(batch.lines.length, 1);
  });

  it('pages payments with a cursor and refuses a forged one', async () => {
    const page = await call(keyA, 'GET', `${paymentsUrl()}&limit=1`);
    assert.equal(page.statusCode, 200);
    const forged = await call(keyA, 'GET', `${paymentsUrl()}&cursor=bm90LWEtY3Vyc29y`);
    assert.equal((forged.json() as Json).code, 'AGENCY_CURSOR_INVALID');
  });

  it('refuses an unknown, malformed or revoked key with 401 problem+json', async () => {
    const key = await createApiKey(deps(), { agencyId: fixtureIds.agency, name: 'Old',
      actor: admin, now: new Date() });
    assert.ok(key.ok);
    assert.equal((await call(key.value.secret, 'GET', paymentsUrl())).statusCode, 200);
    const later = await revokeApiKey(deps(), { agencyId: fixtureIds.agency,
      keyId: key.value.key.id, at: new Date(Date.now() + 3_600_000), actor: admin,
      now: new Date() });
    assert.ok(later.ok);
    assert.equal((await call(key.value.secret, 'GET', paymentsUrl())).statusCode, 200);
    // Revoking again may bring the time forward: now.
    assert.ok((await revokeApiKey(deps(), { agencyId: fixtureIds.agency,
      keyId: key.value.key.id, actor: admin, now: new Date() })).ok);
    const audits = await listAuditForSubject(database().db,
      { type: 'agency-api-key', id: key.value.key.id }, { limit: 10 });
    assert.deepEqual(audits.map((record) => record.action).sort(),
      ['AGENCY_API_KEY_CREATED', 'AGENCY_API_KEY_REVOKED', 'AGENCY_API_KEY_REVOKED']);
    const wrongSecret = `${key.value.secret.slice(0, -4)}AAAA`;
    for (const presented of [key.value.secret, wrongSecret, 'hk_nothere00000_x', 'nonsense']) {
      const refused = await call(presented, 'GET', paymentsUrl());
      assert.equal(refused.statusCode, 401, presented.slice(0, 6));
      assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    }
  });

  it('answers agency staff for their agency and refuses staff of no agency', async () => {
    const officer = await signInAs(database(), 'agency-officer', { agencyId: agencyB });
    const seen = await app.inject({ url: paymentsUrl(), headers: officer.headers });
    assert.equal(seen.statusCode, 200);
    const treasury = await signInAs(database(), 'treasury');
    const refused = await app.inject({ url: paymentsUrl(), headers: treasury.headers });
    assert.equal((refused.json() as Json).code, 'AGENCY_SCOPE_REQUIRED');
  });

  it('lists every route in the OpenAPI document with the bearer key scheme', async () => {
    const document = (await app.inject({ url: '/docs/openapi.json' })).json() as {
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, Json> };
    };
    assert.equal(document.components.securitySchemes.agencyApiKey?.scheme, 'bearer');
    for (const [path, method] of [['/api/v1/agency/invoices', 'post'],
      ['/api/v1/agency/invoices/{reference}', 'get'], ['/api/v1/agency/payments', 'get'],
      ['/api/v1/agency/settlement-batches', 'get']] as const) {
      assert.deepEqual(document.paths[path]?.[method]?.security, [{ agencyApiKey: [] }], path);
    }
  });
});
