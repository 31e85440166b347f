/**
 * A paid bill whose application will not be served is released to payments (docs/refunds.md):
 * by the rejection, in its transaction; and, for a bill paid in time but confirmed after the
 * applicant cancelled, or a second bill of an application already paid, by the payment.allocated
 * consumer. The released bill is then refunded for the wrong service; an application still
 * going on keeps its bill.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { approveRefund, checkBooks, requestRefund } from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import {
  draftApplication,
  drainPayments,
  invoicesOf,
  licenceAnswers,
  licenceSlug,
  newCitizen,
  payByMpesa,
  staffActorOf,
  statusOf,
  type Fixture,
  startFixture,
} from './application-fixtures.test.ts';
import { checkApplications } from './applications-check.ts';
import { cancelApplication, submitApplication } from './application-service.ts';
import { reissueBill } from './bill-reissue-service.ts';
import { actAsStaff } from './review-service.ts';

const dayMs = 86_400_000;

describeOnDatabases('applications release a paid bill they will not serve', (database) => {
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
    const [bill] = await invoicesOf(fixture, applicationId);
    assert.ok(bill !== undefined);
    return { who, applicationId, bill };
  }
  const releaseOf = async (invoiceId: string) => (await sql<{ reason: string }>`
    select reason from invoice_release where invoice_id = ${invoiceId}`.execute(fixture.db))
    .rows[0]?.reason;
  const refund = async (invoiceId: string) => {
    const finance = { kind: 'staff', agencies: 'all' } as const;
    const maker = await signInAs(database(), 'finance-officer');
    const checker = await signInAs(database(), 'finance-officer');
    const asked = await requestRefund(fixture.harness.deps, { invoiceId,
      reason: 'wrong_service', note: '', actor: { kind: 'staff', id: maker.id },
      scope: finance, now: new Date() });
    if (!asked.ok) return asked.error.code;
    const approved = await approveRefund(fixture.harness.deps, { refundId: asked.value.id,
      actor: { kind: 'staff', id: checker.id }, scope: finance, now: new Date() });
    return approved.ok ? approved.value.status : approved.error.code;
  };

  it('a rejection releases the bill it was paid with; until then it is not refundable',
    async () => {
      const { applicationId, bill } = await submitted();
      await payByMpesa(fixture, bill);
      await drainPayments(fixture);
      assert.equal(await statusOf(fixture, applicationId), 'paid');
      assert.equal(await refund(bill.id), 'PAY_REFUND_INVOICE_NOT_RELEASED');
      const supervisor = staffActorOf(await signInAs(database(), 'agency-supervisor',
        { agencyId: fixture.licenceAgencyId }));
      for (const kind of ['start-review', 'reject'] as const) {
        const acted = await actAsStaff(fixture.deps, { applicationId, kind, staff: supervisor,
          clientActionId: uuidv7(), comment: 'Not this service', now: new Date() });
        assert.ok(acted.ok, JSON.stringify(acted));
      }
      assert.equal(await releaseOf(bill.id), 'application-rejected');
      assert.equal(await refund(bill.id), 'paying');
      assert.deepEqual((await checkBooks(fixture.db)).findings, []);
    });

  it('a bill paid in time but confirmed after the applicant cancelled is released',
    async () => {
      const { who, applicationId, bill } = await submitted();
      const cancelled = await cancelApplication(fixture.deps, { applicationId, who,
        clientActionId: uuidv7(), now: new Date(Date.now() + 31 * dayMs) });
      assert.ok(cancelled.ok, JSON.stringify(cancelled));
      await payByMpesa(fixture, bill);
      await drainPayments(fixture);
      assert.equal(await statusOf(fixture, applicationId), 'cancelled');
      assert.equal(await releaseOf(bill.id), 'application-cancelled');
      assert.equal(await refund(bill.id), 'paying');
    });

  it('a second bill paid in full is released, and once refunded the check is clean',
    async () => {
      const { who, applicationId, bill: first } = await submitted();
      const reissued = await reissueBill(fixture.deps, { applicationId, who,
        clientActionId: uuidv7(), now: new Date(Date.now() + 31 * dayMs) });
      assert.ok(reissued.ok, JSON.stringify(reissued));
      const second = (await invoicesOf(fixture, applicationId))
        .find((bill) => bill.id !== first.id);
      assert.ok(second !== undefined);
      await payByMpesa(fixture, second);
      await drainPayments(fixture);
      assert.equal(await statusOf(fixture, applicationId), 'paid');
      // The first bill, paid in time too: a second fee for one application.
      await payByMpesa(fixture, first);
      await drainPayments(fixture);
      assert.equal(await releaseOf(first.id), 'application-paid-by-another-bill');
      assert.equal(await releaseOf(second.id), undefined);
      const twice = (await checkApplications(fixture.db)).findings
        .filter((finding) => finding.applicationId === applicationId);
      assert.equal(twice.length, 1, 'two bills paid in full');
      assert.equal(await refund(first.id), 'paying');
      assert.deepEqual((await checkApplications(fixture.db)).findings
        .filter((finding) => finding.applicationId === applicationId), []);
      assert.deepEqual((await checkBooks(fixture.db)).findings, []);
    });
});

