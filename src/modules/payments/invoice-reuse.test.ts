/**
 * Pressing Pay again reuses the citizen's open bill for the service instead of issuing another,
 * also when two presses race from two connections; a cancelled, paid or expired bill is not
 * reused, and callers that do not ask for reuse (agency systems) get a new invoice each time.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { cancelInvoice, createInvoiceForService } from './invoice-service.ts';
import { payPaths } from './pages/pay-paths.ts';

describeOnDatabases('one open bill per citizen and service', (database) => {
  let harness: PaymentsHarness;
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
  });
  after(async () => harness.close());

  const press = (payerAccountId: string, now = new Date()) => createInvoiceForService(
    harness.deps, { service: fixtureIds.passport, payerAccountId, now, reuseOpen: true });

  async function invoicesOf(payerAccountId: string): Promise<bigint> {
    const rows = await sql<{ n: bigint }>`select count(*) as n from invoice
      where payer_account_id = ${payerAccountId}`.execute(database().db);
    return rows.rows[0]?.n ?? -1n;
  }

  it('shows the same bill when the citizen presses Pay twice', async () => {
    const citizen = await signInAs(database(), 'account-holder');
    const pressPay = () => harness.app.inject({
      method: 'POST', url: payPaths.startForService('fixture-passport'),
      headers: { accept: 'text/html', ...citizen.headers,
        'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: citizen.csrfToken }).toString(),
    });
    const first = await pressPay();
    const second = await pressPay();
    assert.equal(first.statusCode, 303);
    assert.equal(second.statusCode, 303);
    assert.equal(second.headers.location, first.headers.location);
  });

  it('issues one bill for two presses at once', async () => {
    for (let round = 0; round < 4; round += 1) {
      const payer = newPayerId();
      const [first, second] = await Promise.all([press(payer), press(payer)]);
      assert.ok(first?.ok && second?.ok);
      assert.equal(second.value.id, first.value.id);
      assert.equal(await invoicesOf(payer), 1n);
    }
  });

  it('issues a new bill once the open one is cancelled, paid or expired', async () => {
    const payer = newPayerId();
    const first = await press(payer);
    assert.ok(first.ok);
    await cancelInvoice(harness.deps, { reference: first.value.reference,
      actor: { kind: 'account', id: payer }, now: new Date() });
    const second = await press(payer);
    assert.ok(second.ok);
    assert.notEqual(second.value.id, first.value.id);
    const paid = await fetch(
      `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: c2bConfirmationBody({ receipt: `RUS${second.value.id.slice(-7).toUpperCase()}`,
          shillings: second.value.total.amountMinor / 100n,
          billReference: second.value.reference }) });
    assert.equal(paid.status, 200);
    const third = await press(payer);
    assert.ok(third.ok);
    assert.notEqual(third.value.id, second.value.id);
    const later = await press(payer, new Date(third.value.expiresAt.getTime() + 1_000));
    assert.ok(later.ok);
    assert.notEqual(later.value.id, third.value.id);
    assert.equal(await invoicesOf(payer), 4n);
  });

  it('issues a new invoice each time for callers that do not ask for reuse', async () => {
    const payer = newPayerId();
    const issue = () => createInvoiceForService(harness.deps,
      { service: fixtureIds.passport, payerAccountId: payer, now: new Date() });
    const first = await issue();
    const second = await issue();
    assert.ok(first.ok && second.ok);
    assert.notEqual(second.value.id, first.value.id);
  });
});
