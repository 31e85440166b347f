import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { applicationsPaths } from './applications-paths.ts';
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
import { submitApplication } from './application-service.ts';

describeOnDatabases('applications: who may read and act on the agency side', (database) => {
  let fixture: Fixture;
  let applicationId = '';
  const callers: Record<string, TestCaller> = {};

  before(async () => {
    fixture = await startFixture(database());
    const { who } = await newCitizen(database());
    applicationId = await draftApplication(fixture, licenceSlug, who, licenceAnswers);
    assert.ok((await submitApplication(fixture.deps, { applicationId, who,
      clientActionId: uuidv7(), answers: licenceAnswers, now: new Date() })).ok);
    const [invoice] = await invoicesOf(fixture, applicationId);
    assert.ok(invoice !== undefined);
    await payByMpesa(fixture, invoice);
    await drainPayments(fixture);
    assert.equal(await statusOf(fixture, applicationId), 'paid');
    const own = { agencyId: fixture.licenceAgencyId };
    callers.officer = await signInAs(database(), 'agency-officer', own);
    callers.supervisor = await signInAs(database(), 'agency-supervisor', own);
    callers.agencyAdmin = await signInAs(database(), 'agency-admin', own);
    callers.otherOfficer = await signInAs(database(), 'agency-officer',
      { agencyId: fixture.marriageAgencyId });
    callers.otherSupervisor = await signInAs(database(), 'agency-supervisor',
      { agencyId: fixture.marriageAgencyId });
    callers.treasury = await signInAs(database(), 'treasury');
    callers.auditor = await signInAs(database(), 'auditor');
    callers.platformAdmin = await signInAs(database(), 'platform-admin');
    callers.citizen = (await newCitizen(database())).caller;
  });
  after(async () => fixture.harness.close());

  const caller = (name: string): TestCaller => {
    const found = callers[name];
    assert.ok(found !== undefined, name);
    return found;
  };
  const get = (name: string, url: string) => fixture.harness.app.inject({ url,
    headers: { accept: 'text/html', ...caller(name).headers } });
  const act = (name: string, kind: string, extra: Record<string, string> = {}) =>
    fixture.harness.app.inject({ method: 'POST', url: applicationsPaths.staffAction(applicationId),
      headers: { accept: 'text/html', ...caller(name).headers,
        'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: caller(name).csrfToken, kind,
        clientActionId: uuidv7(), ...extra }).toString() });

  it('an officer of another agency finds neither the application nor its actions', async () => {
    for (const name of ['otherOfficer', 'otherSupervisor']) {
      assert.equal((await get(name, applicationsPaths.staffApplication(applicationId)))
        .statusCode, 404, name);
      assert.equal((await act(name, 'start-review')).statusCode, 404, name);
      const queue = await get(name, applicationsPaths.queue);
      assert.equal(queue.statusCode, 200);
      assert.ok(!queue.body.includes(applicationsPaths.staffApplication(applicationId)),
        'not in their queue');
    }
    assert.deepEqual(await actionKindsOf(fixture, applicationId),
      ['start', 'submit', 'invoice', 'pay']);
  });

  it('treasury, auditors, platform and agency admins read the queue but may not act',
    async () => {
      for (const name of ['treasury', 'auditor', 'platformAdmin', 'agencyAdmin']) {
        const queue = await get(name, applicationsPaths.queue);
        assert.equal(queue.statusCode, 200, name);
        assert.ok(queue.body.includes(applicationsPaths.staffApplication(applicationId)), name);
        const review = await get(name, applicationsPaths.staffApplication(applicationId));
        assert.equal(review.statusCode, 200, name);
        assert.doesNotMatch(review.body, /name="kind"/, `${name} is offered no action`);
        for (const kind of ['start-review', 'assign']) {
          assert.equal((await act(name, kind)).statusCode, 403, `${name} ${kind}`);
        }
      }
      assert.equal(await statusOf(fixture, applicationId), 'paid');
      assert.deepEqual(await actionKindsOf(fixture, applicationId),
        ['start', 'submit', 'invoice', 'pay']);
    });

  it('an account holder may not see the agency side at all', async () => {
    assert.equal((await get('citizen', applicationsPaths.queue)).statusCode, 403);
    assert.equal((await get('citizen', applicationsPaths.staffApplication(applicationId)))
      .statusCode, 403);
    assert.equal((await act('citizen', 'start-review')).statusCode, 403);
  });

  it('an officer of the agency acts; deciding is the supervisor\'s', async () => {
    assert.match((await get('officer', applicationsPaths.staffApplication(applicationId))).body,
      /name="kind"/, 'the officer is offered actions');
    assert.equal((await act('officer', 'start-review')).statusCode, 303);
    assert.equal((await act('officer', 'approve')).statusCode, 403);
    assert.equal((await act('officer', 'reject', { comment: 'No' })).statusCode, 403);
    assert.equal(await statusOf(fixture, applicationId), 'in-review');
    assert.equal((await act('supervisor', 'approve')).statusCode, 303);
    assert.equal(await statusOf(fixture, applicationId), 'approved');
  });
});
