/**
 * The micro-batcher: concurrent callbacks share commits, each is answered only once committed,
 * and one failing item does not lose the others (it is stored raw, and the sweep finishes it).
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { MetricsRegistry } from '#platform/metrics/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  kenyaTransTime,
  newPayerId,
  receiptNumbers,
} from '#test/helpers/payments.ts';
import { createIngestBatcher } from './ingest-batcher.ts';
import type { IngestContext, PayerContactFinder } from './ingest-service.ts';
import { sweepUnprocessedCallbacks } from './ingest-sweep.ts';
import { createInvoiceForService } from './invoice-service.ts';
import type { RawCallback } from './payment-repo.ts';

const logger = createLogger({ level: 'silent' });
const nextReceipt = receiptNumbers('BT');

function confirmation(billReference: string, shillings: string): RawCallback {
  const receipt = nextReceipt();
  return {
    id: uuidv7(), kind: 'mpesa_c2b_confirmation', receivedAt: new Date(),
    sourceAddress: '127.0.0.1', headers: {},
    body: JSON.stringify({
      TransactionType: 'Pay Bill', TransID: receipt, TransTime: kenyaTransTime(),
      TransAmount: shillings, BusinessShortCode: '222222', BillRefNumber: billReference,
      InvoiceNumber: '', OrgAccountBalance: '1000.00', ThirdPartyTransID: '',
      MSISDN: '2547 ***** 126', FirstName: 'A', MiddleName: '', LastName: 'B',
    }),
  };
}

describeOnDatabases('ingest micro-batching', (database, kind) => {
  before(async () => {
    await insertPaymentsFixture(database());
  });

  async function invoiceFor(payerAccountId: string) {
    const created = await createInvoiceForService({ db: database().db, clock: systemClock,
      logger }, { service: fixtureIds.permit, payerAccountId, now: new Date() });
    assert.ok(created.ok);
    return created.value;
  }

  const context = (findPayerContact?: PayerContactFinder): IngestContext =>
    ({ now: new Date(), shortcode: '222222', logger, findPayerContact });

  it('shares commits between concurrent callbacks, answering each after its commit', async () => {
    const metrics = new MetricsRegistry();
    const batcher = createIngestBatcher({ db: database().db, logger, metrics,
      lanesMax: kind === 'pglite' ? 1 : 4, windowMs: 5, context: () => context() });
    const invoices = await Promise.all(Array.from({ length: 40 }, () => invoiceFor(newPayerId())));
    const raws = invoices.map((invoice) => confirmation(invoice.reference, '260.00'));
    const answers = await Promise.all(raws.map(async (raw) => {
      const result = await batcher.submit(raw);
      // Answered means committed: another connection sees the payment already.
      const seen = await sql<{ n: bigint }>`select count(*) as n from payment_callback_outcome
        where raw_id = ${raw.id}`.execute(database().db);
      return { result, seen: seen.rows[0]?.n };
    }));
    assert.ok(answers.every((answer) => answer.result.outcome === 'payment_recorded'));
    assert.ok(answers.every((answer) => answer.seen === 1n));
    const rendered = metrics.render();
    const batches = Number(/payments_ingest_batch_size_count (\d+)/.exec(rendered)?.[1]);
    assert.ok(batches < raws.length, `${batches} batches for ${raws.length} callbacks`);
  });

  // PGlite has one lane: nothing opens beside a running batch.
  if (kind === 'postgres') it('opens another lane beside a running batch only for a full queue',
    async () => {
    const invoices = await Promise.all(Array.from({ length: 6 }, () => invoiceFor(newPayerId())));
    const started: number[] = [];
    const gates: (() => void)[] = [];
    let released = false;
    // Each batch reaches the payers' contacts inside its transaction and waits there.
    const findPayerContact: PayerContactFinder = async (_trx, payerAccountIds) => {
      started.push(payerAccountIds.length);
      if (!released) await new Promise<void>((resolve) => gates.push(resolve));
      return new Map();
    };
    const batcher = createIngestBatcher({ db: database().db, logger, lanesMax: 3, windowMs: 1,
      extraLaneQueueMin: 4, context: () => context(findPayerContact) });
    const raws = invoices.map((invoice) => confirmation(invoice.reference, '260.00'));
    const until = async (check: () => boolean) => {
      for (let tries = 0; !check(); tries += 1) {
        assert.ok(tries < 500, 'timed out');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const answers = [batcher.submit(raws[0] as RawCallback)];
    await until(() => started.length === 1);
    answers.push(...raws.slice(1, 4).map((raw) => batcher.submit(raw)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(started, [1], 'three waiting do not open a lane');
    answers.push(...raws.slice(4).map((raw) => batcher.submit(raw)));
    await until(() => started.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(started, [1, 4], 'the fourth waiting opens a second lane; the fifth waits');
    released = true;
    for (const open of gates) open();
    const results = await Promise.all(answers);
    assert.ok(results.every((result) => result.outcome === 'payment_recorded'));
    assert.deepEqual(started, [1, 4, 1], 'the last went when a lane was free');
    });

  it('does not lose the other items of a batch when one fails', async () => {
    const poisoned = newPayerId();
    const invoices = [await invoiceFor(newPayerId()), await invoiceFor(poisoned),
      await invoiceFor(newPayerId())];
    const findPayerContact: PayerContactFinder = async (_trx, payerAccountIds) => {
      if (payerAccountIds.includes(poisoned)) throw new Error('the contact lookup broke');
      return new Map();
    };
    const batcher = createIngestBatcher({ db: database().db, logger, lanesMax: 1,
      windowMs: 20, context: () => context(findPayerContact) });
    const raws = invoices.map((invoice) => confirmation(invoice.reference, '260.00'));
    const results = await Promise.all(raws.map((raw) => batcher.submit(raw)));
    assert.deepEqual(results.map((result) => result.outcome),
      ['payment_recorded', 'stored_only', 'payment_recorded']);
    const stored = await sql<{ n: bigint }>`select count(*) as n from payment_callback_raw
      where id = ${raws[1]?.id ?? ''}`.execute(database().db);
    assert.equal(stored.rows[0]?.n, 1n);
    // Later, with the lookup mended, the sweep finishes it.
    const later = { ...context(), now: new Date(Date.now() + 120_000) };
    const report = await sweepUnprocessedCallbacks(database().db, later);
    assert.equal(report.failed, 0);
    assert.ok(report.processed >= 1);
    const paid = await sql<{ n: bigint }>`select count(*) as n from payment
      where invoice_id = ${invoices[1]?.id ?? ''}`.execute(database().db);
    assert.equal(paid.rows[0]?.n, 1n);
  });

  it('logs and counts the alerts a batch raised after its commit, with no personal data',
    async () => {
      const lines: string[] = [];
      const loud = createLogger({ level: 'info', destination: { write: (line: string) => {
        lines.push(line);
      } } });
      const metrics = new MetricsRegistry();
      const batcher = createIngestBatcher({ db: database().db, logger: loud, metrics,
        lanesMax: 1, context: () => ({ ...context(), logger: loud, metrics }) });
      const invoice = await invoiceFor(newPayerId());
      const raw = confirmation(invoice.reference, '260.50');
      const result = await batcher.submit({ ...raw,
        body: raw.body.replace('2547 ***** 126', '254712345678') });
      assert.equal(result.outcome, 'payment_recorded');
      const alerts = lines.filter((line) => line.includes('payment alert raised'));
      assert.equal(alerts.length, 1);
      assert.match(alerts[0] ?? '', /"kind":"CONFIRMATION_OUT_OF_BOUNDS"/);
      assert.match(alerts[0] ?? '', /"level":40/, 'a warning');
      assert.doesNotMatch(lines.join('\n'), /254712345678|"FirstName"|"A B"/);
      assert.match(metrics.render(),
        /payments_alerts_raised_total\{kind="CONFIRMATION_OUT_OF_BOUNDS"\} 1/);
    });
});
