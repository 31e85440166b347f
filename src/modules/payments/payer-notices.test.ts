/**
 * The payer is told: money received through the emulator over real HTTP queues an SMS to the
 * payer's account phone in their language; money beyond the bill queues a credit notice; a
 * repeat delivery tells nobody twice; a payer with no account on record is told nothing.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { systemClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import type { IdentityTables } from '#modules/identity/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { createInvoiceForService } from './invoice-service.ts';

type Queued = { template: string; recipient: string; language: string; body: string };

describeOnDatabases('payer notices', (database) => {
  let harness: PaymentsHarness;
  const deps = () => ({ db: database().db, clock: systemClock,
    logger: createLogger({ level: 'silent' }) });
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database(), { emulator: { externalValidation: false } });
  });
  after(async () => harness.close());

  let documents = 0;
  async function account(contact: Readonly<{ phone: string; language: 'en' | 'sw' }>) {
    const id = uuidv7();
    documents += 1;
    const now = new Date();
    await database().db.withTables<IdentityTables>().insertInto('account').values({
      id, kind: 'citizen', document_type: 'national_id',
      document_number: `7${String(process.pid).slice(-3)}${String(documents).padStart(5, '0')}`,
      first_name: 'Amina', middle_name: null, last_name: 'Otieno', birth_date: '1991-02-03',
      business_name: null, password_hash: null, phone: contact.phone, email: null,
      language: contact.language, created_at: now, updated_at: now,
    }).execute();
    return id;
  }

  async function issue(payerAccountId: string) {
    const created = await createInvoiceForService(deps(),
      { service: fixtureIds.passport, payerAccountId, now: new Date() });
    assert.ok(created.ok);
    return created.value;
  }

  /** A phone ending 9002 makes the emulator deliver the confirmation twice. */
  async function pay(billReference: string, shillings: bigint, msisdn = '254708374149') {
    const outcome = await harness.daraja.emulator.simulateC2b(
      { amountShillings: shillings, msisdn, billReference });
    await harness.daraja.emulator.idle();
    assert.equal(outcome.status, 'completed');
  }

  async function queuedFor(accountId: string): Promise<Queued[]> {
    const rows = await sql<Queued>`select template, recipient, language, body
      from notification where account_id = ${accountId} order by created_at, template`
      .execute(database().db);
    return rows.rows;
  }

  it('tells the payer of money received, in their language, once', async () => {
    const payer = await account({ phone: '+254712345678', language: 'sw' });
    const invoice = await issue(payer);
    await pay(invoice.reference, 1_050n, '254700009002');
    const queued = await queuedFor(payer);
    assert.deepEqual(queued.map((row) => [row.template, row.recipient, row.language]),
      [['payments.payment-received', '+254712345678', 'sw']]);
    assert.match(queued[0]?.body ?? '', new RegExp(invoice.reference));
    const deliveries = await sql<{ n: bigint }>`select count(*) as n from payment_event e
      join payment p on p.id = e.payment_id where p.invoice_id = ${invoice.id}`
      .execute(database().db);
    assert.equal(deliveries.rows[0]?.n, 2n);
  });

  it('tells the payer of credit when they pay more than the bill', async () => {
    const payer = await account({ phone: '+254722000111', language: 'en' });
    const invoice = await issue(payer);
    await pay(invoice.reference, 1_100n);
    const queued = await queuedFor(payer);
    assert.deepEqual(queued.map((row) => row.template).sort(),
      ['payments.credit-available', 'payments.payment-received']);
    const credit = queued.find((row) => row.template === 'payments.credit-available');
    assert.match(credit?.body ?? '', /KES\s50\.00 is kept as credit/);
  });

  it('tells nobody when the payer has no account on record', async () => {
    const payer = newPayerId();
    const invoice = await issue(payer);
    await pay(invoice.reference, 1_050n);
    assert.deepEqual(await queuedFor(payer), []);
  });
});
