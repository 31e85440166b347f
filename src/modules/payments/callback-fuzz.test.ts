/**
 * Whatever bytes reach the confirmation URL, and whatever a confirmation's fields hold, the
 * callback is answered 200 only once its exact body is stored, and processing it (in its
 * batch, or by the sweep) never fails: it is recorded, held in suspense, marked malformed or
 * quarantined. A property over random bodies, through real HTTP, on both databases.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { createLogger } from '#platform/logging/index.ts';
import { checkLedger } from '#modules/ledger/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  insertPaymentsFixture,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { sweepUnprocessedCallbacks } from './ingest-sweep.ts';

const runs = 100;
const fieldNames = ['TransID', 'TransTime', 'TransAmount', 'BusinessShortCode', 'BillRefNumber',
  'OrgAccountBalance', 'MSISDN', 'FirstName'] as const;

/** A confirmation with one to three fields replaced by anything JSON can hold. */
const mutatedConfirmation = fc.record({
  receipt: fc.stringMatching(/^[A-Z0-9]{10}$/),
  changes: fc.array(fc.tuple(fc.constantFrom(...fieldNames), fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }), fc.integer(), fc.double(), fc.constant(null),
    fc.constantFrom('99999999999999.99', '0.01', '250000.01', '20991231235959', '600000',
      '\u0000', '1e3', '-5'))), { minLength: 1, maxLength: 3 }),
}).map(({ receipt, changes }) => {
  const body = JSON.parse(c2bConfirmationBody({ receipt, shillings: 260n,
    billReference: 'AAAAAAAAAA' })) as Record<string, unknown>;
  for (const [field, value] of changes) body[field] = value;
  return new TextEncoder().encode(JSON.stringify(body));
});

const anyBody = fc.oneof(mutatedConfirmation, fc.uint8Array({ minLength: 1, maxLength: 300 }),
  // A byte-order mark before a confirmation: kept, not silently dropped from the text.
  mutatedConfirmation.map((bytes) => new Uint8Array([0xef, 0xbb, 0xbf, ...bytes])));

describeOnDatabases('callback fuzz', (database) => {
  let harness: PaymentsHarness;
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
  });
  after(async () => {
    await harness.close();
  });

  it('answers 200 only with the exact body stored, and nothing fails to process', async () => {
    await fc.assert(fc.asyncProperty(anyBody, async (bytes) => {
      const answer = await fetch(
        `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`,
        { method: 'POST', headers: { 'content-type': 'application/json' },
          body: new Uint8Array(bytes) });
      assert.equal(answer.status, 200);
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
      const stored = await sql<{ n: bigint }>`select count(*) as n from payment_callback_raw
        where body_bytes = ${Buffer.from(bytes)} or (body_bytes is null and body = ${
  text.includes('\u0000') ? '' : text})`.execute(database().db);
      assert.ok((stored.rows[0]?.n ?? 0n) >= 1n, 'the exact body is stored');
    }), { numRuns: runs });
    const waiting = await sql<{ n: bigint }>`select count(*) as n from payment_callback_raw r
      where not exists (select 1 from payment_callback_outcome o where o.raw_id = r.id)`
      .execute(database().db);
    assert.equal(waiting.rows[0]?.n, 0n, 'every callback has an outcome');
    const later = { now: new Date(Date.now() + 10 * 60_000), shortcode: '222222',
      logger: createLogger({ level: 'silent' }), findPayerContact: undefined };
    assert.deepEqual(await sweepUnprocessedCallbacks(database().db, later),
      { processed: 0, failed: 0, quarantined: 0 });
    assert.deepEqual((await checkLedger(database().db)).findings, []);
  });
});
