/**
 * Webhooks end to end over real HTTP to a local receiver (both databases): the signature
 * verifies with the documented recipe (written here independently of the signing code), an
 * endpoint that fails five times then recovers receives each event exactly once in order of
 * retry, a disabled endpoint receives nothing, one agency's events never reach another's
 * endpoint, and a replay sends the same event id again (audited). A manual clock stands in
 * for the backoff's minutes.
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, it } from 'node:test';
import { loadConfig } from '#config';
import { manualClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency } from '#test/helpers/sessions.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { collectWebhookEvents, nextRetryAt, retryWindowMs, sendDueWebhooks }
  from './webhook-delivery.ts';
import { listDeliveries } from './webhook-repo.ts';
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  replayWebhookDelivery,
  webhookUrlAccepted,
} from './webhook-service.ts';
import { webhookDb } from './webhook-tables.ts';

type Received = Readonly<{ headers: IncomingMessage['headers']; body: string }>;

/** A receiver that answers `failFirst` requests 503, then 200; notes what it got. */
async function startReceiver(failFirst = 0) {
  const received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((request, response) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      inFlight -= 1;
      response.writeHead(received.length <= failFirst ? 503 : 200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received,
    maxInFlight: () => maxInFlight,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    } };
}

/** The recipe of docs/agency-webhooks.md, as an agency would write it. */
function verify(secret: string, headers: IncomingMessage['headers'], body: string,
  nowSeconds: number): boolean {
  const timestamp = String(headers['huduma-timestamp'] ?? '');
  const signature = String(headers['huduma-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return signature.split(',').some((part) => {
    const [version, value] = part.trim().split('=');
    return version === 'v1' && value !== undefined && value.length === expected.length &&
      timingSafeEqual(Buffer.from(value), Buffer.from(expected));
  });
}

const referenceAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newReference = (): string => Array.from({ length: 10 },
  () => referenceAlphabet[Math.floor(Math.random() * 32)]).join('');

type Db = ReturnType<DatabaseHandle['db']['withTables']>;

async function newInvoice(database: DatabaseHandle, agencyId: string, totalMinor: bigint,
  at: Date): Promise<string> {
  const db = database.db as unknown as Db;
  const serviceId = uuidv7();
  await db.insertInto('service' as never).values({ id: serviceId, agency_id: agencyId,
    slug: `webhook-service-${serviceId}`, name_en: 'Webhook test service',
    origin: 'synthetic' } as never).execute();
  const invoiceId = uuidv7();
  await db.insertInto('invoice' as never).values({ id: invoiceId, reference: newReference(),
    service_id: serviceId, agency_id: agencyId, payer_account_id: uuidv7(), currency: 'KES',
    total_minor: totalMinor, issued_at: at, expires_at: new Date(at.getTime() + 86_400_000),
  } as never).execute();
  return invoiceId;
}

async function pay(database: DatabaseHandle, invoiceId: string, amountMinor: bigint, at: Date):
Promise<string> {
  const db = database.db as unknown as Db;
  const paymentId = uuidv7();
  await db.insertInto('payment' as never).values({ id: paymentId, provider: 'mpesa',
    provider_reference: `WH${paymentId.slice(-10).replace(/-/g, '')}`, channel: 'mpesa_c2b',
    shortcode: '600000', amount_minor: amountMinor, currency: 'KES', invoice_id: invoiceId,
    payer_account_id: uuidv7(), disposition: 'allocated', paid_at: at, recorded_at: at,
  } as never).execute();
  const allocationId = uuidv7();
  await db.insertInto('payment_allocation' as never).values({ id: allocationId,
    invoice_id: invoiceId, source: 'payment', payment_id: paymentId, amount_minor: amountMinor,
    currency: 'KES', allocated_at: at } as never).execute();
  return allocationId;
}

/** A refund of the agency's money, paid out at `at` (rows as the refund use cases leave). */
async function paidRefund(database: DatabaseHandle, agencyId: string, at: Date): Promise<string> {
  const id = uuidv7();
  await (database.db as unknown as Db).insertInto('refund' as never).values({ id,
    source: 'payer_credit', payer_account_id: uuidv7(), agency_id: agencyId,
    amount_minor: 150_00n, currency: 'KES', reason: 'double_payment', method: 'mpesa_b2c',
    status: 'paid', requested_by: `staff:${uuidv7()}`, requested_at: at,
    decided_by: `staff:${uuidv7()}`, decided_at: at, paid_at: at } as never).execute();
  return id;
}

/** A settled batch with a line for the agency and one for Treasury. */
async function settledLine(database: DatabaseHandle, agencyId: string, at: Date):
Promise<string> {
  const db = database.db as unknown as Db;
  const batchId = uuidv7();
  await db.insertInto('settlement_batch' as never).values({ id: batchId,
    reference: `WH-${batchId.slice(-12)}`, currency: 'KES', cutoff: at, prepared_by: 'system',
    prepared_at: at, state: 'settled', released_at: at, settled_at: at,
    settled_by: `staff:${uuidv7()}`, bank_reference: 'BANK-REF-1' } as never).execute();
  const lineId = uuidv7();
  const line = { batch_id: batchId, currency: 'KES', payee_name: 'Payee', bank_name: 'Bank',
    bank_code: '01', account_number: '0100000000', account_name: 'Payee', state: 'settled' };
  await db.insertInto('settlement_line' as never).values([
    { ...line, id: lineId, payee: agencyId, account_code: `payable:agency:${agencyId}`,
      amount_minor: 900_00n },
    { ...line, id: uuidv7(), payee: 'treasury', account_code: 'revenue:access-fee',
      amount_minor: 50_00n }] as never).execute();
  return lineId;
}

const admin = { kind: 'staff', id: uuidv7(), role: 'agency-admin' } as const;
const fixedRandom = (): number => 0.5;

describeOnDatabases('agency webhooks over HTTP', (database) => {
  const clock = manualClock(new Date('2026-12-04T08:00:00Z'));
  const deps = () => ({ db: database().db, clock, logger: createLogger({ level: 'silent' }),
    config: loadConfig({ HUDUMA_ENV: 'test' }) });
  /** Time passes (past the collector's settling window), then both jobs run once. */
  const runJobs = async () => {
    clock.advanceMs(6_000);
    await collectWebhookEvents(deps());
    return sendDueWebhooks(deps(), { random: fixedRandom, timeoutMs: 2_000 });
  };
  const endpointFor = async (agencyId: string, url: string, events: string[]) => {
    const created = await createWebhookEndpoint(deps(), { scope: agencyId, url, events,
      actor: admin, now: clock.now() });
    assert.ok(created.ok, JSON.stringify(created));
    return created.value;
  };
  let agencyA = '';
  let agencyB = '';
  before(async () => {
    agencyA = await createTestAgency(database(), 'Webhook Agency A');
    agencyB = await createTestAgency(database(), 'Webhook Agency B');
  });

  it('signs each event so the documented recipe verifies it; agency B gets none of A\'s',
    async () => {
      const receiverA = await startReceiver();
      const receiverB = await startReceiver();
      try {
        const { secret } = await endpointFor(agencyA, receiverA.url,
          ['payment.received', 'invoice.paid']);
        await endpointFor(agencyB, receiverB.url, ['payment.received', 'invoice.paid']);
        const invoiceId = await newInvoice(database(), agencyA, 1_050_00n, clock.now());
        await pay(database(), invoiceId, 1_050_00n, clock.now());
        await runJobs();
        assert.equal(receiverA.received.length, 2);
        assert.equal(receiverB.received.length, 0, 'agency B received agency A\'s events');
        const nowSeconds = Math.floor(clock.now().getTime() / 1000);
        const types = receiverA.received.map(({ headers, body }) => {
          assert.ok(verify(secret, headers, body, nowSeconds), 'signature verifies');
          assert.ok(!verify(`${secret}x`, headers, body, nowSeconds), 'wrong secret refused');
          assert.ok(!verify(secret, headers, `${body} `, nowSeconds), 'changed body refused');
          assert.ok(!verify(secret, headers, body, nowSeconds + 301), 'old timestamp refused');
          const event = JSON.parse(body) as { id: string; type: string; createdAt: string;
            data: { invoiceId: string } };
          assert.match(event.id, /^[0-9a-f-]{36}$/);
          assert.equal(event.data.invoiceId, invoiceId);
          return event.type;
        });
        assert.deepEqual(types, ['payment.received', 'invoice.paid']);
      } finally {
        await receiverA.close();
        await receiverB.close();
      }
    });

  it('delivers each event exactly once, in order of retry, to an endpoint that fails five ' +
    'times then recovers', async () => {
    const agency = await createTestAgency(database(), 'Webhook Retry Agency');
    const receiver = await startReceiver(5);
    try {
      const endpoint = await endpointFor(agency, receiver.url, ['payment.received']);
      const invoiceId = await newInvoice(database(), agency, 900_00n, clock.now());
      for (const amount of [100_00n, 200_00n, 300_00n]) {
        await pay(database(), invoiceId, amount, clock.now());
      }
      await runJobs();
      for (let run = 0; run < 5; run += 1) {
        clock.advanceMs(3_600_000);
        await sendDueWebhooks(deps(), { random: fixedRandom, timeoutMs: 2_000 });
      }
      const ids = receiver.received.map(({ body }) => (JSON.parse(body) as { id: string }).id);
      assert.equal(ids.length, 8, 'five failures and three acknowledgements');
      const [e1, e2, e3] = ids;
      // One failure per run (a failing endpoint waits for its next retry): e1, e2, e3, e1, e2
      // fail in turn (earliest next attempt first); then e3, e1, e2 are acknowledged.
      assert.deepEqual(ids, [e1, e2, e3, e1, e2, e3, e1, e2]);
      const acknowledged = ids.slice(5);
      assert.deepEqual([...acknowledged].sort(), [e1, e2, e3].sort(), 'each exactly once');
      assert.equal(receiver.maxInFlight(), 1, 'one delivery in flight per endpoint');
      const log = await listDeliveries(webhookDb(database().db), endpoint.endpoint.id, 10);
      assert.deepEqual(log.map((d) => [d.state, d.lastStatusCode]).sort(),
        [['delivered', 200], ['delivered', 200], ['delivered', 200]]);
      assert.deepEqual(log.map((d) => d.attempts).sort(), [2, 3, 3]);
    } finally {
      await receiver.close();
    }
  });

  it('sends nothing to a disabled endpoint', async () => {
    const agency = await createTestAgency(database(), 'Webhook Disabled Agency');
    const receiver = await startReceiver();
    try {
      const { endpoint } = await endpointFor(agency, receiver.url, ['payment.received']);
      const invoiceId = await newInvoice(database(), agency, 500_00n, clock.now());
      await pay(database(), invoiceId, 100_00n, clock.now());
      clock.advanceMs(6_000);
      await collectWebhookEvents(deps());
      const disabled = await disableWebhookEndpoint(deps(), { scope: agency,
        endpointId: endpoint.id, actor: admin, now: clock.now() });
      assert.ok(disabled.ok);
      await pay(database(), invoiceId, 100_00n, clock.now());
      await runJobs();
      clock.advanceMs(3_600_000);
      await runJobs();
      assert.equal(receiver.received.length, 0);
    } finally {
      await receiver.close();
    }
  });

  it('tells the agency of its refunds paid out and its settled settlement lines', async () => {
    const agency = await createTestAgency(database(), 'Webhook Money Out Agency');
    const receiver = await startReceiver();
    try {
      await endpointFor(agency, receiver.url, ['refund.paid', 'settlement.settled']);
      const refundId = await paidRefund(database(), agency, clock.now());
      const lineId = await settledLine(database(), agency, clock.now());
      await paidRefund(database(), agencyB, clock.now());
      await runJobs();
      await runJobs();
      const events = receiver.received.map(({ body }) => JSON.parse(body) as
        { type: string; data: { refundId?: string; lineId?: string; amount: unknown } });
      assert.deepEqual(events.map((e) => [e.type, e.data.refundId ?? e.data.lineId]).sort(),
        [['refund.paid', refundId], ['settlement.settled', lineId]]);
      assert.deepEqual(events.find((e) => e.type === 'settlement.settled')?.data.amount,
        { amountMinor: '90000', currency: 'KES' });
    } finally {
      await receiver.close();
    }
  });

  it('collects and sends each event once when two workers run at the same time', async () => {
    const agency = await createTestAgency(database(), 'Webhook Two Workers Agency');
    const receiver = await startReceiver();
    try {
      await endpointFor(agency, receiver.url, ['payment.received']);
      const invoiceId = await newInvoice(database(), agency, 900_00n, clock.now());
      for (const amount of [100_00n, 200_00n]) {
        await pay(database(), invoiceId, amount, clock.now());
      }
      clock.advanceMs(6_000);
      await Promise.all([collectWebhookEvents(deps()), collectWebhookEvents(deps())]);
      const send = () => sendDueWebhooks(deps(), { random: fixedRandom, timeoutMs: 2_000 });
      await Promise.all([send(), send()]);
      await Promise.all([send(), send()]);
      const ids = receiver.received.map(({ body }) => (JSON.parse(body) as { id: string }).id);
      assert.equal(ids.length, 2);
      assert.equal(new Set(ids).size, 2);
      assert.equal(receiver.maxInFlight(), 1);
    } finally {
      await receiver.close();
    }
  });

  it('replays a delivered event with the same event id, audited', async () => {
    const agency = await createTestAgency(database(), 'Webhook Replay Agency');
    const receiver = await startReceiver();
    try {
      const { endpoint } = await endpointFor(agency, receiver.url, ['invoice.paid']);
      const invoiceId = await newInvoice(database(), agency, 100_00n, clock.now());
      await pay(database(), invoiceId, 100_00n, clock.now());
      await runJobs();
      assert.equal(receiver.received.length, 1);
      const [delivery] = await listDeliveries(webhookDb(database().db), endpoint.id, 10);
      assert.ok(delivery !== undefined && delivery.state === 'delivered');
      const other = await replayWebhookDelivery(deps(), { scope: agencyB,
        endpointId: endpoint.id, deliveryId: delivery.id, actor: admin, now: clock.now() });
      assert.deepEqual(other.ok ? null : other.error.code, 'AGENCY_WEBHOOK_NOT_FOUND');
      const replayed = await replayWebhookDelivery(deps(), { scope: agency,
        endpointId: endpoint.id, deliveryId: delivery.id, actor: admin, now: clock.now() });
      assert.ok(replayed.ok);
      await sendDueWebhooks(deps(), { random: fixedRandom, timeoutMs: 2_000 });
      assert.equal(receiver.received.length, 2);
      const [first, second] = receiver.received.map(({ body }) => JSON.parse(body) as
        { id: string });
      assert.equal(second?.id, first?.id);
      const audit = await (database().db as unknown as Db).selectFrom('audit_record' as never)
        .select('action' as never).where('subject_id' as never, '=', delivery.id as never)
        .execute() as { action: string }[];
      assert.deepEqual(audit.map((row) => row.action), ['WEBHOOK_DELIVERY_REPLAYED']);
    } finally {
      await receiver.close();
    }
  });
});

it('backs off with jitter and gives up three days after the delivery was created', () => {
  const created = new Date('2026-12-04T00:00:00Z');
  assert.equal(nextRetryAt(created, 1, created, () => 0.5)?.getTime(),
    created.getTime() + 10_000);
  const jittered = nextRetryAt(created, 2, created, () => 0)?.getTime() ?? 0;
  assert.equal(jittered, created.getTime() + 24_000);
  const late = new Date(created.getTime() + retryWindowMs - 1_000);
  assert.equal(nextRetryAt(created, 12, late, () => 0.5), null);
});

it('accepts https addresses (http outside production), never internal ones in production', () => {
  assert.ok(webhookUrlAccepted('https://billing.agency.example/hooks', true));
  assert.ok(!webhookUrlAccepted('http://billing.agency.example/hooks', true));
  assert.ok(webhookUrlAccepted('http://127.0.0.1:8080/hooks', false));
  assert.ok(!webhookUrlAccepted('https://user:pass@agency.example/hooks', false));
  assert.ok(!webhookUrlAccepted('ftp://agency.example/hooks', false));
  for (const internal of ['https://localhost/h', 'https://10.1.2.3/h', 'https://169.254.169.254/',
    'https://192.168.0.9/h', 'https://172.20.0.1/h', 'https://[::1]/h', 'https://127.0.0.1/h']) {
    assert.ok(!webhookUrlAccepted(internal, true), internal);
  }
});
