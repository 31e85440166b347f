import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture } from '#test/helpers/payments.ts';
import { checkApplications } from './applications-check.ts';
import {
  actionKindsOf,
  draftApplication,
  invoicesOf,
  newCitizen,
  startFixture,
  statusOf,
  type Fixture,
} from './application-fixtures.test.ts';
import { cancelApplication, submitApplication } from './application-service.ts';
import type { FormDefinition } from './forms/index.ts';

const text = (en: string) => ({ en, sw: `${en} (sw)` });
const oneQuestion: FormDefinition = { version: 1, pages: [{ id: 'about', title: text('About'),
  fields: [{ id: 'reason', kind: 'text', label: text('Why you apply'), required: true,
    maxLength: 100 }] }] };
const dayMs = 86_400_000;

describeOnDatabases('applications: a free service goes from submitted to paid', (database) => {
  let fixture: Fixture;

  before(async () => {
    fixture = await startFixture(database());
    await insertPaymentsFixture(database());
    await sql`update service set form_schema = ${JSON.stringify(oneQuestion)}
      where id = ${fixtureIds.free}`.execute(database().db);
  });
  after(async () => fixture.harness.close());

  it('is paid on submit with no invoice, and the SLA clock starts', async () => {
    const { who } = await newCitizen(database());
    const answers = { reason: 'A permit for a school trip' };
    const applicationId = await draftApplication(fixture, 'fixture-free', who, answers);
    const now = new Date();
    const submitted = await submitApplication(fixture.deps, { applicationId, who,
      clientActionId: uuidv7(), answers, now });
    assert.ok(submitted.ok, JSON.stringify(submitted));
    assert.equal(submitted.value.status, 'paid');
    assert.equal(await statusOf(fixture, applicationId), 'paid');
    assert.deepEqual(await actionKindsOf(fixture, applicationId), ['start', 'submit', 'pay']);
    assert.deepEqual(await invoicesOf(fixture, applicationId), [], 'no bill for a free service');
    const state = (await sql<{ invoice_id: string | null; paid_at: Date | null;
      sla_due_at: Date | null }>`select invoice_id, paid_at, sla_due_at from application_state
      where application_id = ${applicationId}`.execute(fixture.db)).rows[0];
    assert.equal(state?.invoice_id, null);
    assert.equal(state.paid_at?.getTime(), now.getTime());
    assert.equal(state.sla_due_at?.getTime(), now.getTime() + 10 * dayMs, 'ten SLA days');
    const cancelled = await cancelApplication(fixture.deps, { applicationId, who,
      clientActionId: uuidv7(), now: new Date() });
    assert.equal(cancelled.ok ? 'ok' : cancelled.error.code, 'APPLICATION_ACTION_NOT_ALLOWED',
      'paid is past cancelling');
    assert.deepEqual((await checkApplications(fixture.db)).findings, []);
  });
});
