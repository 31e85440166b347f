import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { manualClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { applicationsPaths } from './applications-paths.ts';
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
import { submitApplication, type ApplicantActor } from './application-service.ts';
import { escalateBreaches } from './sla-job.ts';

const hourMs = 3_600_000;

describeOnDatabases('applications: SLA breaches are escalated once', (database) => {
  const clock = manualClock(new Date());
  let fixture: Fixture;
  let who: ApplicantActor;
  let supervisors: TestCaller[] = [];
  let paidId = '';
  let unpaidId = '';

  before(async () => {
    fixture = await startFixture(database(), { clock });
    who = (await newCitizen(database())).who;
    supervisors = [
      await signInAs(database(), 'agency-supervisor', { agencyId: fixture.licenceAgencyId }),
      await signInAs(database(), 'agency-supervisor', { agencyId: fixture.licenceAgencyId }),
    ];
    await signInAs(database(), 'agency-officer', { agencyId: fixture.licenceAgencyId });
    await signInAs(database(), 'agency-supervisor', { agencyId: fixture.marriageAgencyId });
    const submitted = async () => {
      const id = await draftApplication(fixture, licenceSlug, who, licenceAnswers);
      assert.ok((await submitApplication(fixture.deps, { applicationId: id, who,
        clientActionId: uuidv7(), answers: licenceAnswers, now: clock.now() })).ok);
      return id;
    };
    paidId = await submitted();
    unpaidId = await submitted();
    const [invoice] = await invoicesOf(fixture, paidId);
    assert.ok(invoice !== undefined);
    await payByMpesa(fixture, invoice);
    // The outbox is stamped by the database's clock: let the app's clock catch up with it.
    clock.advanceMs(60_000);
    await drainPayments(fixture);
    assert.equal(await statusOf(fixture, paidId), 'paid');
  });
  after(async () => fixture.harness.close());

  const stateOf = async (id: string) => (await sql<{ sla_due_at: Date | null;
    escalated_at: Date | null }>`select sla_due_at, escalated_at from application_state
    where application_id = ${id}`.execute(fixture.db)).rows[0];
  const breachNotices = async () => (await sql<{ recipient: string }>`select recipient
    from notification where template = 'applications.sla-breached'
    order by recipient`.execute(fixture.db)).rows.map((row) => row.recipient);
  const escalations = async (id: string) =>
    (await actionKindsOf(fixture, id)).filter((kind) => kind === 'escalate').length;

  it('starts the clock at payment: due a day later (the service\'s SLA days)', async () => {
    const state = await stateOf(paidId);
    assert.ok(state?.sla_due_at instanceof Date);
    const dueInHours = (state.sla_due_at.getTime() - clock.now().getTime()) / hourMs;
    assert.ok(dueInHours > 23 && dueInHours <= 24, String(dueInHours));
    assert.equal((await stateOf(unpaidId))?.sla_due_at, null, 'no clock before payment');
  });

  it('escalates nothing before the due date', async () => {
    assert.equal(await escalateBreaches(fixture.deps, new Date(clock.now().getTime()
      + 12 * hourMs)), 0);
    assert.equal(await escalations(paidId), 0);
    assert.deepEqual(await breachNotices(), []);
  });

  it('escalates a breach once, even from two workers at once, and tells the supervisors',
    async () => {
      const later = new Date(clock.now().getTime() + 48 * hourMs);
      const counts = await Promise.all([escalateBreaches(fixture.deps, later),
        escalateBreaches(fixture.deps, later)]);
      assert.equal(counts[0] + counts[1], 1, String(counts));
      assert.equal(await escalateBreaches(fixture.deps, new Date(later.getTime() + hourMs)), 0);
      assert.equal(await escalations(paidId), 1);
      assert.equal(await escalations(unpaidId), 0, 'an unpaid application owes nothing');
      assert.equal(await statusOf(fixture, paidId), 'paid', 'escalating keeps the status');
      assert.ok((await stateOf(paidId))?.escalated_at instanceof Date);
      const emails = await sql<{ email: string }>`select email from staff_member
        where id in (${sql.join(supervisors.map((s) => s.id))}) order by email`
        .execute(fixture.db);
      assert.deepEqual(await breachNotices(), emails.rows.map((row) => row.email),
        'each supervisor of the agency once; no officer, no other agency');
      assert.deepEqual((await checkApplications(fixture.db)).findings, []);
    });

  it('shows the breach in the queue\'s breached filter', async () => {
    clock.advanceMs(48 * hourMs);
    const officer = await signInAs(database(), 'agency-officer',
      { agencyId: fixture.licenceAgencyId, now: clock.now() });
    const queue = (query: string) => fixture.harness.app.inject({
      url: `${applicationsPaths.queue}${query}`,
      headers: { accept: 'text/html', ...officer.headers } });
    const breached = await queue('?breached=1');
    assert.equal(breached.statusCode, 200);
    assert.ok(breached.body.includes(applicationsPaths.staffApplication(paidId)));
    assert.ok(!breached.body.includes(applicationsPaths.staffApplication(unpaidId)));
    const all = await queue('');
    assert.ok(all.body.includes(applicationsPaths.staffApplication(paidId)));
  });
});
