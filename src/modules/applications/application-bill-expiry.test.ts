import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { checkApplications } from './applications-check.ts';
import {
  actionKindsOf,
  draftApplication,
  drainPayments,
  invoicesOf,
  licenceAnswers,
  licenceSlug,
  newCitizen,
  payByMpesa,
  startFixture,
  statusOf,
  type Fixture,
} from './application-fixtures.test.ts';
import { cancelApplication, submitApplication } from './application-service.ts';
import { reissueBill } from './bill-reissue-service.ts';

const dayMs = 86_400_000;

describeOnDatabases('applications: a bill that expired unpaid', (database) => {
  let fixture: Fixture;

  before(async () => {
    fixture = await startFixture(database());
  });
  after(async () => fixture.harness.close());

  async function submitted() {
    const { who } = await newCitizen(database());
    const applicationId = await draftApplication(fixture, licenceSlug, who, licenceAnswers);
    const done = await submitApplication(fixture.deps, { applicationId, who,
      clientActionId: uuidv7(), answers: licenceAnswers, now: new Date() });
    assert.ok(done.ok, JSON.stringify(done));
    return { who, applicationId };
  }
  const stateInvoice = async (applicationId: string) => (await sql<{ invoice_id: string }>`
    select invoice_id from application_state where application_id = ${applicationId}`
    .execute(fixture.db)).rows[0]?.invoice_id;
  const cancelledAt = async (invoiceId: string) => (await sql<{ cancelled_at: Date | null }>`
    select cancelled_at from invoice where id = ${invoiceId}`.execute(fixture.db))
    .rows[0]?.cancelled_at ?? null;

  it('gets no new bill while the old one is open, and one once it expired', async () => {
    const { who, applicationId } = await submitted();
    const early = await reissueBill(fixture.deps, { applicationId, who,
      clientActionId: uuidv7(), now: new Date() });
    assert.equal(early.ok ? 'ok' : early.error.code, 'APPLICATION_ACTION_NOT_ALLOWED');
    const later = new Date(Date.now() + 31 * dayMs);
    const clientActionId = uuidv7();
    const reissued = await reissueBill(fixture.deps, { applicationId, who, clientActionId,
      now: later });
    assert.ok(reissued.ok, JSON.stringify(reissued));
    assert.equal(reissued.value.status, 'awaiting-payment');
    const again = await reissueBill(fixture.deps, { applicationId, who, clientActionId,
      now: later });
    assert.ok(again.ok && again.value.repeated, 'the same press acts once');
    const bills = await invoicesOf(fixture, applicationId);
    assert.equal(bills.length, 2);
    const reissuedBill = await stateInvoice(applicationId);
    const first = bills.find((bill) => bill.id !== reissuedBill);
    assert.ok(first !== undefined, 'the first bill is still there');
    assert.deepEqual(await actionKindsOf(fixture, applicationId),
      ['start', 'submit', 'invoice', 'reissue']);
    const cancelled = await cancelApplication(fixture.deps, { applicationId, who,
      clientActionId: uuidv7(), now: later });
    assert.ok(cancelled.ok, JSON.stringify(cancelled));
    const current = await stateInvoice(applicationId);
    assert.ok(current !== undefined && await cancelledAt(current) !== null,
      'cancelling cancels the new bill');
    assert.deepEqual((await checkApplications(fixture.db)).findings, []);
  });

  it('cancels with an expired bill, which is left as it is', async () => {
    const { who, applicationId } = await submitted();
    const cancelled = await cancelApplication(fixture.deps, { applicationId, who,
      clientActionId: uuidv7(), now: new Date(Date.now() + 31 * dayMs) });
    assert.ok(cancelled.ok, JSON.stringify(cancelled));
    assert.equal(await statusOf(fixture, applicationId), 'cancelled');
  });

  it('is paid by the old bill paid in time, and the newer bill is cancelled', async () => {
    const { who, applicationId } = await submitted();
    const [first] = await invoicesOf(fixture, applicationId);
    assert.ok(first !== undefined);
    const reissued = await reissueBill(fixture.deps, { applicationId, who,
      clientActionId: uuidv7(), now: new Date(Date.now() + 31 * dayMs) });
    assert.ok(reissued.ok);
    const second = await stateInvoice(applicationId);
    assert.ok(second !== undefined && second !== first.id);
    // Paid now, before the first bill's expiry: it pays the application.
    await payByMpesa(fixture, first);
    await drainPayments(fixture);
    assert.equal(await statusOf(fixture, applicationId), 'paid');
    assert.equal(await stateInvoice(applicationId), first.id, 'the bill paid is the one');
    assert.notEqual(await cancelledAt(second), null, 'the newer bill is cancelled');
    assert.deepEqual((await checkApplications(fixture.db)).findings, []);
  });
});
