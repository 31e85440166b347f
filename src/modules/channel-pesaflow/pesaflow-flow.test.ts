/**
 * The Pesaflow-compatible checkout end to end over real HTTP (both databases): the sample
 * Pesaflow-style client (examples/sample-pesaflow-client, its hashes its own) checks out; the
 * payer pays through the Daraja emulator (paybill, and the STK push sendSTK asks for); the
 * invoice is paid in the ledger; the client receives one correctly signed IPN per payment and
 * the status query says paid. Then what is refused (wrong hash, misspelled key, unknown
 * service, another amount under the same billRefNumber), the iframe format, two requests
 * racing for one billRefNumber, a client using the other encoding and recipe, and an IPN to
 * an address that does not answer, retried and then abandoned.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Clock } from '#platform/clock/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { money, toMajorString } from '#platform/money/index.ts';
import { recordAuditInTrx } from '#modules/audit/index.ts';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
import { cancelInvoice, invoiceView } from '#modules/payments/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import {
  secureHashOf,
  startSamplePesaflowClient,
  type ClientKeys,
  type Invoice,
  type SamplePesaflowClient,
} from '../../../examples/sample-pesaflow-client/pesaflow-client.ts';
import { channelPesaflowModule } from './index.ts';
import { checkOut, type CheckoutRequest } from './pesaflow-checkout.ts';
import { registerPesaflowClient } from './pesaflow-clients.ts';
import type { HashEncoding, IpnRecipe } from './pesaflow-hash.ts';
import { collectPesaflowIpns, ipnRetryWindowMs, sendDuePesaflowIpns } from './pesaflow-ipn.ts';

const admin = { kind: 'staff', id: uuidv7(), role: 'agency-admin' } as const;
const payerPhone = '254708374149';
type CheckoutJson = Readonly<{ invoice_number: string; invoice_link: string;
  commission: string; amount_net: string; amount_expected: string }>;

/** Resolves once some other session of this database waits for a lock. */
async function someoneWaitsForALock(database: DatabaseHandle): Promise<void> {
  for (let tries = 0; tries < 500; tries += 1) {
    const waiting = await sql<{ waiting: number }>`select count(*)::int as waiting
      from pg_locks where not granted and pid in (
        select pid from pg_stat_activity where datname = current_database())`
      .execute(database.db);
    if ((waiting.rows[0]?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no transaction ever waited for a lock');
}

describeOnDatabases('Pesaflow-compatible checkout over HTTP', (database, kind) => {
  let harness: PaymentsHarness;
  let client: SamplePesaflowClient;
  let keys: ClientKeys;
  let offset = 10_000;
  // The IPN collector waits out a settling window: its jobs run a little in the future.
  const jobClock: Clock = { now: () => new Date(Date.now() + offset) };
  const jobDeps = () => ({ ...harness.deps, clock: jobClock,
    logger: createLogger({ level: 'silent' }) });
  const runIpnJobs = async () => {
    await collectPesaflowIpns(jobDeps());
    return sendDuePesaflowIpns(jobDeps(), { random: () => 0.5, timeoutMs: 2_000 });
  };
  const payable = async () => (await balanceOf(database().db,
    accountCodes.agencyPayable(fixtureIds.agency), 'KES')).amountMinor;
  const bill = (billRefNumber: string, amountExpected = '1000.00'): Invoice => ({
    billRefNumber, amountExpected, serviceID: 'fixture-passport', billDesc: 'Passport booklet',
    clientName: 'Wanjiku Kamau', clientIDNumber: '12345678' });

  const register = async (hashEncoding: HashEncoding, ipnRecipe: IpnRecipe) => {
    const registered = await registerPesaflowClient(harness.deps, { agencyId: fixtureIds.agency,
      name: `Legacy system ${hashEncoding}`, hashEncoding, ipnRecipe, actor: admin,
      now: new Date() });
    assert.ok(registered.ok);
    return { apiClientID: registered.value.client.apiClientId, apiKey: registered.value.apiKey,
      secret: registered.value.secret, encoding: hashEncoding, recipe: ipnRecipe };
  };

  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    keys = await register('hex-base64', 'invoice-amount');
    client = await startSamplePesaflowClient({ baseUrl: harness.url, keys });
  });
  after(async () => {
    await harness.close();
    await client.close();
  });

  it('checks out, is paid by paybill into the ledger, notifies the client once, says paid',
    async () => {
      const answer = await client.checkout(bill('INV-1001'));
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      const body = answer.body as CheckoutJson;
      assert.deepEqual({ ...body, invoice_link: '' }, { invoice_number: body.invoice_number,
        invoice_link: '', commission: '50.00', amount_net: '1000.00',
        amount_expected: '1050.00' });
      assert.match(body.invoice_link, /^http:\/\/127\.0\.0\.1:\d+\/PaymentAPI\/checkout\?request_id=/);
      const issued = await invoiceView(harness.deps, body.invoice_number);
      assert.deepEqual(issued?.lines.map((line) => [line.kind, line.amount.amountMinor]),
        [['agency_bill', 1_000_00n], ['access_fee', 50_00n]]);
      const payableBefore = await payable();
      const paid = await harness.daraja.emulator.simulateC2b({ amountShillings: 1_050n,
        msisdn: payerPhone, billReference: body.invoice_number });
      await harness.daraja.emulator.idle();
      assert.equal(paid.status, 'completed');
      const paidView = await invoiceView(harness.deps, body.invoice_number);
      assert.equal(paidView?.status, 'paid');
      assert.equal(await payable() - payableBefore, 1_000_00n, 'the agency is owed its amount');
      const allocationId = paidView.allocations[0]?.id ?? '';
      const receipts = await sql<{ n: number }>`select count(*)::int as n from outbox_event
        where topic = 'payments.receipt-issue' and payload::text like ${`%${allocationId}%`}`
        .execute(database().db);
      assert.equal(receipts.rows[0]?.n, 1, 'its receipt is issued as every payment\'s');

      assert.equal(await runIpnJobs(), 1);
      assert.equal(await runIpnJobs(), 0, 'an acknowledged IPN is not sent again');
      const ipns = client.ipns.filter((ipn) => ipn.body.client_invoice_ref === 'INV-1001');
      assert.equal(ipns.length, 1);
      assert.ok(ipns[0]?.verified, 'signed by the client\'s recipe');
      assert.deepEqual({ ...ipns[0]?.body, payment_reference: '', payment_date: '',
        secure_hash: '', token_hash: '' }, { payment_channel: 'MPESA',
        client_invoice_ref: 'INV-1001', invoice_number: body.invoice_number,
        amount_paid: '1050.00', invoice_amount: '1050.00', last_payment_amount: '1050.00',
        currency: 'KES', status: 'settled', payment_reference: '', payment_date: '',
        secure_hash: '', token_hash: '' });
      const status = await client.pollStatus(body.invoice_number);
      assert.equal(status.status, 200);
      assert.deepEqual({ ...status.body as object, payment_date: '' }, { status: 'paid',
        ref_no: body.invoice_number, payment_date: '', name: 'Wanjiku Kamau', currency: 'KES',
        client_invoice_ref: 'INV-1001', amount_paid: '1050.00', amount_expected: '1050.00' });
    });

  it('sends the STK push sendSTK asks for; the payment notifies the client', async () => {
    const answer = await client.checkout({ ...bill('INV-1002', '250.00'),
      clientMSISDN: payerPhone, sendSTK: true });
    assert.equal(answer.status, 201);
    const { invoice_number: reference, amount_expected: expected } = answer.body as CheckoutJson;
    assert.equal(expected, '260.00');
    await harness.daraja.emulator.idle();
    assert.equal((await invoiceView(harness.deps, reference))?.status, 'paid');
    await runIpnJobs();
    const ipn = client.ipns.find((one) => one.body.client_invoice_ref === 'INV-1002');
    assert.ok(ipn?.verified);
    assert.equal(ipn.body.amount_paid, '260.00');
  });

  it('still checks out when the prompt cannot be sent; the workers run its IPN jobs',
    async () => {
      const answer = await client.checkout({ ...bill('INV-1003', '250.00'),
        clientMSISDN: '123456789', sendSTK: true });
      assert.equal(answer.status, 201, 'the bill stands; the payer can use the paybill');
      const jobs = channelPesaflowModule.periodicJobs?.({ ...harness.deps, clock: jobClock }) ?? [];
      assert.deepEqual(jobs.map((job) => job.name), ['pesaflow-ipn-collect', 'pesaflow-ipn-send']);
      for (const job of jobs) await job.run();
    });

  it('returns the same invoice for the same billRefNumber and refuses another amount',
    async () => {
      const first = await client.checkout(bill('INV-2001'));
      const again = await client.checkout(bill('INV-2001'));
      assert.equal(first.status, 201);
      assert.equal(again.status, 200);
      assert.equal((again.body as CheckoutJson).invoice_number,
        (first.body as CheckoutJson).invoice_number);
      const other = await client.checkout(bill('INV-2001', '999.00'));
      assert.equal(other.status, 409);
      assert.equal((other.body as { code: string }).code, 'PESAFLOW_BILL_REF_CONFLICT');
    });

  it('makes one invoice when two requests race for one billRefNumber', async () => {
    const count = async () => (await sql<{ n: string }>`select count(*)::text as n from invoice
      where agency_id = ${fixtureIds.agency}`.execute(database().db)).rows[0]?.n;
    const before = Number(await count());
    const answers = await Promise.all([client.checkout(bill('INV-RACE')),
      client.checkout(bill('INV-RACE')), client.checkout(bill('INV-RACE'))]);
    const numbers = new Set(answers.map((one) => (one.body as CheckoutJson).invoice_number));
    assert.equal(numbers.size, 1, JSON.stringify(answers.map((one) => one.body)));
    assert.deepEqual(answers.map((one) => one.status).sort(), [200, 200, 201]);
    assert.equal(Number(await count()), before + 1);
  });

  const direct = (billRefNumber: string, amountExpected = '1000.00'): CheckoutRequest => ({
    ...bill(billRefNumber, amountExpected), apiClientID: keys.apiClientID, currency: 'KES',
    notificationURL: client.notificationURL, callBackURLOnSuccess: client.callBackURLOnSuccess,
    secureHash: secureHashOf(keys, bill(billRefNumber, amountExpected)) });

  it('makes one invoice when two transactions race for one billRefNumber', async () => {
    // On PostgreSQL both pass the lookup before either commits: a third transaction holds the
    // audit chain (each checkout's last statement), so the second waits on the first's
    // billRefNumber and then takes its own invoice back. PGlite has one connection: in turn.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => undefined;
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = kind !== 'postgres' ? Promise.resolve()
      : database().db.transaction().execute(async (trx) => {
        await recordAuditInTrx(trx, { action: 'TEST_AUDIT_CHAIN_HELD',
          actor: { kind: 'system', id: null }, subject: { type: 'test', id: null } }, new Date());
        locked();
        await held;
      });
    if (kind === 'postgres') await lockTaken;
    const racing = Promise.all([checkOut(harness.deps, direct('INV-RACE-2')),
      checkOut(harness.deps, direct('INV-RACE-2'))]);
    try {
      if (kind === 'postgres') await someoneWaitsForALock(database());
    } finally {
      release();
      await holder;
    }
    const [one, two] = await racing;
    assert.ok(one.ok && two.ok);
    assert.equal(one.value.invoice.id, two.value.invoice.id);
    assert.deepEqual([one.value.created, two.value.created].sort(), [false, true]);
    const rows = await sql<{ n: number }>`select count(*)::int as n from invoice
      where subject = ${`pesaflow-client:${one.value.client.id}`}
      and id not in (select invoice_id from pesaflow_checkout)`.execute(database().db);
    assert.equal(rows.rows[0]?.n, 0, 'the loser\'s invoice was taken back');
  });

  it('owes the agency what it asked and adds the access fee on top (property)', async () => {
    let sequence = 0;
    await fc.assert(fc.asyncProperty(fc.bigInt({ min: 1n, max: 5_000_000_00n }),
      async (minor) => {
        sequence += 1;
        const asked = money(minor, 'KES');
        const done = await checkOut(harness.deps, direct(`P-${sequence}`, toMajorString(asked)));
        assert.ok(done.ok, done.ok ? '' : done.error.code);
        const { net, commission, invoice } = done.value;
        assert.equal(net.amountMinor, minor);
        assert.equal(net.amountMinor + commission.amountMinor, invoice.total.amountMinor);
        assert.ok(commission.amountMinor >= 0n);
        assert.equal(invoice.lines.reduce((total, line) => total + line.amount.amountMinor, 0n),
          invoice.total.amountMinor);
      }), { numRuns: 12, seed: 20261204 });
  });

  it('refuses a wrong hash, a misspelled key, an unknown service and client', async () => {
    const wrong = await client.checkout(bill('INV-3001'), (form) => {
      form.set('amountExpected', '1.00');
    });
    assert.equal(wrong.status, 403);
    assert.equal((wrong.body as { code: string }).code, 'PESAFLOW_HASH_INVALID');
    const misspelled = await client.checkout(bill('INV-3002'), (form) => {
      form.set('callBackURLONSuccess', form.get('callBackURLOnSuccess') ?? '');
      form.delete('callBackURLOnSuccess');
    });
    assert.equal(misspelled.status, 422);
    assert.match(JSON.stringify(misspelled.body), /callBackURLONSuccess/);
    const stranger = await startSamplePesaflowClient({ baseUrl: harness.url,
      keys: { ...keys, apiClientID: '1' } });
    try {
      assert.equal((await stranger.checkout(bill('INV-3003'))).status, 403);
      assert.equal((await stranger.pollStatus('ABC')).status, 403);
    } finally {
      await stranger.close();
    }
    const outside = await client.checkout(bill('INV-3006'), (form) => {
      form.set('notificationURL', 'http://agency.example/ipn');
    });
    assert.equal(outside.status, 422, 'the IPN goes only where it is allowed to');
    const nothing = await client.checkout(bill('INV-3005', '0.00'));
    assert.equal(nothing.status, 422, 'nothing to pay');
    const dollars = await client.checkout(bill('INV-3007'), (form) => {
      form.set('currency', 'USD');
      form.set('secureHash', secureHashOf(keys, bill('INV-3007'), 'USD'));
    });
    assert.equal(dollars.status, 422, 'KES only');
    const unknown = await client.checkout({ ...bill('INV-3004'), serviceID: 'no-such-service' });
    assert.equal(unknown.status, 404);
    assert.equal((await client.pollStatus('KX7P2M9Q4T')).status, 404);
  });

  it('answers format=iframe with the hosted checkout page', async () => {
    const answer = await client.checkout({ ...bill('INV-4001'), format: 'iframe' });
    assert.equal(answer.status, 303);
    assert.match(answer.location ?? '', /^\/PaymentAPI\/checkout\?request_id=[\w-]{32}$/);
    const page = await fetch(`${harness.url}${answer.location ?? ''}`);
    assert.equal(page.status, 200);
    const text = await page.text();
    assert.match(text, /Passport booklet/);
    assert.match(text, /KES\u00a01,050\.00/);
    const cancelled = await cancelInvoice(harness.deps, { reference: /Bill reference: (\w+)/
      .exec(text)?.[1] ?? '', actor: admin, now: new Date() });
    assert.ok(cancelled.ok);
    const closed = await (await fetch(`${harness.url}${answer.location ?? ''}`)).text();
    assert.match(closed, /This bill was cancelled/);
    assert.match(closed, new RegExp(`href="${client.url}/failed"`));
    const missing = await fetch(`${harness.url}/PaymentAPI/checkout?request_id=${'x'.repeat(32)}`,
      { headers: { accept: 'text/html' } });
    assert.equal(missing.status, 404);
  });

  it('serves a client with the raw encoding and the other IPN recipe', async () => {
    const rawKeys = await register('raw-base64', 'ref-invoice-amount-date');
    const raw = await startSamplePesaflowClient({ baseUrl: harness.url, keys: rawKeys });
    try {
      const answer = await raw.checkout(bill('INV-5001', '250.00'));
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      const reference = (answer.body as CheckoutJson).invoice_number;
      await harness.daraja.emulator.simulateC2b({ amountShillings: 100n, msisdn: payerPhone,
        billReference: reference });
      await harness.daraja.emulator.idle();
      await runIpnJobs();
      assert.equal(raw.ipns.length, 1);
      assert.ok(raw.ipns[0]?.verified);
      assert.equal(raw.ipns[0]?.body.status, 'partial');
      const status = await raw.pollStatus(reference);
      assert.equal((status.body as { status: string }).status, 'partial');
    } finally {
      await raw.close();
    }
  });

  it('retries an IPN that is not acknowledged, then abandons it after three days', async () => {
    const answer = await client.checkout(bill('INV-6001', '250.00'), (form) => {
      form.set('notificationURL', 'http://127.0.0.1:9/ipn');
    });
    const reference = (answer.body as CheckoutJson).invoice_number;
    await harness.daraja.emulator.simulateC2b({ amountShillings: 260n, msisdn: payerPhone,
      billReference: reference });
    await harness.daraja.emulator.idle();
    assert.equal(await runIpnJobs(), 1);
    const state = async () => (await sql<{ state: string; attempts: number }>`
      select n.state, n.attempts from pesaflow_ipn n join pesaflow_checkout c
      on c.id = n.checkout_id where c.bill_ref_number = 'INV-6001'`.execute(database().db))
      .rows[0];
    assert.deepEqual(await state(), { state: 'pending', attempts: 1 });
    assert.equal(await runIpnJobs(), 0, 'not before its retry falls due');
    offset = ipnRetryWindowMs + 60_000;
    assert.equal(await sendDuePesaflowIpns(jobDeps(), { random: () => 0.5, timeoutMs: 500 }), 1);
    offset = 10_000;
    assert.deepEqual(await state(), { state: 'abandoned', attempts: 2 });
  });
});
