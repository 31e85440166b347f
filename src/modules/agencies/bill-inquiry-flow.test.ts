/**
 * Bill inquiry end to end over real HTTP (both databases): M-Pesa (the Daraja emulator) asks
 * our C2B validation, which asks the sample agency system (examples/sample-agency) about the
 * bill, signed; the confirmation makes the bill's invoice and allocates the payment through
 * the ledger to the agency's payable; the webhook jobs tell the sample system, which verifies
 * the signature with the documented recipe and takes the payment off its bill. Then: not
 * found, amounts above and below the amount due, part payments, the timeout following the
 * configured fallback (reject AND accept), an endpoint that is down, and a confirmation
 * delivered twice crediting once.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import type { Clock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { accountCodes, balanceOf } from '#modules/ledger/index.ts';
import {
  findPaymentByReceipt,
  invoiceView,
  parseBillReference,
  saveBillInquiryRoute,
  type SaveBillInquiryInput,
} from '#modules/payments/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { newBillReference } from '../../../examples/sample-agency/bill-references.ts';
import {
  createPlatformInvoice,
  startSampleAgency,
  type SampleAgency,
} from '../../../examples/sample-agency/sample-agency.ts';
import { createApiKey } from './api-keys-service.ts';
import { collectWebhookEvents, sendDueWebhooks } from './webhook-delivery.ts';
import { createWebhookEndpoint, webhookEventTypes } from './webhook-service.ts';

const admin = { kind: 'staff', id: uuidv7(), role: 'agency-admin' } as const;
const payerPhone = '254708374149';
/** The emulator sends the confirmation of a phone ending 9002 twice. */
const duplicatingPhone = '254708379002';
const prefix = 'KP';

describeOnDatabases('bill inquiry through the emulator and the sample agency', (database) => {
  let harness: PaymentsHarness;
  let agency: SampleAgency;
  // Webhook jobs run a little in the future: the collector waits out a settling window.
  const jobClock: Clock = { now: () => new Date(Date.now() + 10_000) };
  const jobDeps = () => ({ db: database().db, clock: jobClock,
    logger: createLogger({ level: 'silent' }) });

  const configure = async (settings: Partial<SaveBillInquiryInput> = {}) => {
    const saved = await saveBillInquiryRoute(harness.deps, { scope: fixtureIds.agency, prefix,
      service: fixtureIds.permit, lookupUrl: agency.lookupUrl, timeoutMs: 1_000,
      fallback: 'reject', allowsPartPayment: false, production: false, actor: admin,
      now: new Date(), ...settings });
    assert.ok(saved.ok, JSON.stringify(saved));
    if (saved.value.secret !== undefined) agency.setSecrets({ lookupSecret: saved.value.secret });
    return saved.value;
  };

  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    agency = await startSampleAgency({ lookupSecret: 'not yet', webhookSecret: 'not yet' });
    const created = await configure();
    assert.ok(created.secret?.startsWith('bisec_'), 'the signing secret is shown on creation');
    const endpoint = await createWebhookEndpoint(harness.deps, { scope: fixtureIds.agency,
      url: agency.webhookUrl, events: [...webhookEventTypes], actor: admin, now: new Date() });
    assert.ok(endpoint.ok);
    agency.setSecrets({ webhookSecret: endpoint.value.secret });
  });
  after(async () => {
    await harness.close();
    await agency.close();
  });

  const newBill = (shillings: bigint): string => {
    const reference = newBillReference(prefix);
    agency.bills.set(reference, { amountDueMinor: shillings * 100n, currency: 'KES' });
    return reference;
  };
  const pay = async (reference: string, shillings: bigint, msisdn = payerPhone) => {
    const outcome = await harness.daraja.emulator.simulateC2b(
      { amountShillings: shillings, msisdn, billReference: reference });
    await harness.daraja.emulator.idle();
    return outcome;
  };
  const lookupsOf = async (reference: string) => {
    const { rows } = await sql<{ outcome: string; decision: string }>`
      select outcome, decision from bill_inquiry_lookup where reference = ${reference}
      order by looked_up_at, id`.execute(database().db);
    return rows.map((row) => `${row.outcome}/${row.decision}`);
  };
  const runWebhookJobs = async () => {
    await collectWebhookEvents(jobDeps());
    await sendDueWebhooks(jobDeps(), { random: () => 0.5, timeoutMs: 2_000 });
  };
  const payable = async () => (await balanceOf(database().db,
    accountCodes.agencyPayable(fixtureIds.agency), 'KES')).amountMinor;

  it('makes references the platform reads, never of a platform reference\'s length', () => {
    for (let index = 0; index < 200; index += 1) {
      const reference = newBillReference(index % 2 === 0 ? 'KP' : 'KPX');
      assert.equal(parseBillReference(reference), reference, reference);
      assert.ok(reference.length === 11 || reference.length === 12);
    }
  });

  it('asks the agency, takes a bill it found, allocates it and tells the agency by webhook',
    async () => {
      const reference = newBill(1_500n);
      const payableBefore = await payable();
      const outcome = await pay(reference, 1_500n);
      assert.equal(outcome.status, 'completed');
      assert.equal(outcome.decision, '0');
      const [lookup] = agency.lookups.filter((seen) => seen.reference === reference);
      assert.ok(lookup?.verified, 'the lookup request was signed with the route secret');
      assert.equal(lookup.amountMinor, '150000');
      assert.doesNotMatch(lookup.body, /2547|msisdn|phone/i, 'no payer details sent');
      const view = await invoiceView(harness.deps, reference);
      assert.equal(view?.status, 'paid');
      assert.equal(view.total.amountMinor, 1_500_00n);
      assert.equal(view.agencyId, fixtureIds.agency);
      assert.equal(view.lines[0]?.kind, 'agency_bill');
      const payment = await findPaymentByReceipt(harness.deps, outcome.transactionId);
      assert.equal(payment?.disposition, 'allocated');
      assert.equal(await payable() - payableBefore, 1_500_00n, 'the agency is owed it all');
      assert.deepEqual(await lookupsOf(reference), ['found/accepted']);
      await runWebhookJobs();
      const told = agency.webhooks.filter((event) =>
        (event.data as { invoiceReference?: string }).invoiceReference === reference);
      assert.deepEqual(told.map((event) => event.type).sort(), ['invoice.paid',
        'payment.received']);
      assert.deepEqual(agency.refused, [], 'every webhook verified');
      assert.equal(agency.bills.get(reference)?.amountDueMinor, 0n, 'the bill is settled');
    });

  it('refuses a bill the agency does not know, and amounts above or below the amount due',
    async () => {
      const unknown = newBillReference(prefix);
      const refused = await pay(unknown, 100n);
      assert.equal(refused.status, 'rejected');
      assert.equal(refused.decision, 'C2B00012');
      assert.deepEqual(await lookupsOf(unknown), ['not_found/rejected']);
      assert.equal(await invoiceView(harness.deps, unknown), undefined);
      const reference = newBill(2_000n);
      assert.equal((await pay(reference, 2_001n)).decision, 'C2B00013', 'above the amount due');
      assert.equal((await pay(reference, 1_000n)).decision, 'C2B00013',
        'below it, without part payments');
      assert.equal(await invoiceView(harness.deps, reference), undefined, 'nothing moved');
    });

  it('takes part payments when the agency allows them; the bill is paid by the last one',
    async () => {
      await configure({ allowsPartPayment: true });
      try {
        const reference = newBill(3_000n);
        assert.equal((await pay(reference, 1_000n)).status, 'completed');
        let view = await invoiceView(harness.deps, reference);
        assert.equal(view?.total.amountMinor, 3_000_00n, 'the invoice is the whole bill');
        assert.equal(view.paid.amountMinor, 1_000_00n);
        await runWebhookJobs();
        assert.equal(agency.bills.get(reference)?.amountDueMinor, 2_000_00n);
        assert.equal((await pay(reference, 2_000n)).status, 'completed');
        view = await invoiceView(harness.deps, reference);
        assert.equal(view?.status, 'paid');
        assert.equal(view.paid.amountMinor, 3_000_00n);
      } finally {
        await configure({ allowsPartPayment: false });
      }
    });

  it('follows the fallback "reject" when the lookup times out: refused, nothing moves',
    async () => {
      await configure({ timeoutMs: 300, fallback: 'reject' });
      agency.setMode('slow', 1_500);
      try {
        const reference = newBill(500n);
        const started = performance.now();
        const outcome = await pay(reference, 500n);
        assert.equal(outcome.status, 'rejected');
        assert.equal(outcome.decision, 'C2B00016');
        assert.ok(performance.now() - started < 1_500, 'answered before the agency did');
        assert.deepEqual(await lookupsOf(reference), ['timeout/fallback_rejected']);
        assert.equal(await invoiceView(harness.deps, reference), undefined);
        assert.ok(harness.deps.metrics.render().includes('payments_bill_inquiries_total' +
          '{outcome="timeout",decision="fallback_rejected"} 1'), 'the lookup is counted');
      } finally {
        agency.setMode('normal');
      }
    });

  it('follows the fallback "accept" when the lookup times out: taken as unverified, the ' +
    'agency told by webhook', async () => {
    await configure({ timeoutMs: 300, fallback: 'accept' });
    agency.setMode('slow', 1_500);
    try {
      const reference = newBill(700n);
      const outcome = await pay(reference, 700n);
      assert.equal(outcome.status, 'completed');
      assert.deepEqual(await lookupsOf(reference), ['timeout/fallback_accepted']);
      const view = await invoiceView(harness.deps, reference);
      assert.equal(view?.status, 'paid');
      assert.equal(view.total.amountMinor, 700_00n, 'unconfirmed: the amount paid');
      assert.match(view.lines[0]?.description ?? '', /not confirmed/);
      agency.setMode('normal');
      await runWebhookJobs();
      assert.ok(agency.webhooks.some((event) => event.type === 'payment.received' &&
        (event.data as { invoiceReference?: string }).invoiceReference === reference));
    } finally {
      agency.setMode('normal');
      await configure({ timeoutMs: 1_000, fallback: 'reject' });
    }
  });

  it('follows the fallback when the agency is down', async () => {
    agency.setMode('down');
    try {
      const reference = newBill(800n);
      const outcome = await pay(reference, 800n);
      assert.equal(outcome.decision, 'C2B00016');
      assert.deepEqual(await lookupsOf(reference), ['unavailable/fallback_rejected']);
    } finally {
      agency.setMode('normal');
    }
  });

  it('credits a confirmation delivered twice once', async () => {
    const reference = newBill(900n);
    const payableBefore = await payable();
    const outcome = await pay(reference, 900n, duplicatingPhone);
    assert.equal(outcome.status, 'completed');
    const { rows } = await sql<{ count: string }>`select count(*)::text as count
      from payment_callback_raw where body like ${`%${outcome.transactionId}%`}
      and kind = 'mpesa_c2b_confirmation'`.execute(database().db);
    assert.equal(rows[0]?.count, '2', 'the emulator sent it twice');
    const view = await invoiceView(harness.deps, reference);
    assert.equal(view?.paid.amountMinor, 900_00n);
    assert.equal(view.allocations.length, 1);
    assert.equal(await payable() - payableBefore, 900_00n);
  });

  it('creates an invoice through the integration API with its key (the other direction)',
    async () => {
      const key = await createApiKey(harness.deps, { agencyId: fixtureIds.agency,
        name: 'Sample billing', actor: admin, now: new Date() });
      assert.ok(key.ok);
      const request = { platformUrl: harness.url, apiKey: key.value.secret,
        agencyReference: `SAMPLE-${uuidv7().slice(-12)}`, service: fixtureIds.permit,
        payerAccountId: uuidv7() };
      const created = await createPlatformInvoice(request);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const billReference = String(created.body.billReference);
      assert.equal(parseBillReference(billReference), billReference);
      const again = await createPlatformInvoice(request);
      assert.equal(again.status, 200, 'the same agency reference answers the same invoice');
      assert.equal(again.body.billReference, billReference);
      const refused = await createPlatformInvoice({ ...request, apiKey: 'hk_wrong' });
      assert.equal(refused.status, 401);
    });
});
