import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import type { TestCaller } from '#test/helpers/sessions.ts';
import {
  draftApplication,
  marriageAnswers,
  marriageSlug,
  newCitizen,
  startFixture,
  statusOf,
  type Fixture,
} from './application-fixtures.test.ts';
import { applicationsPaths } from './applications-paths.ts';

const pageHeaders = { accept: 'text/html' };

describeOnDatabases('applications: the second party\'s pages', (database) => {
  let fixture: Fixture;
  let applicant: TestCaller;
  let partner: TestCaller;
  let stranger: TestCaller;
  let applicationId = '';

  before(async () => {
    fixture = await startFixture(database());
    const first = await newCitizen(database());
    const second = await newCitizen(database());
    const third = await newCitizen(database());
    applicant = first.caller;
    partner = second.caller;
    stranger = third.caller;
    applicationId = await draftApplication(fixture, marriageSlug, first.who,
      marriageAnswers(second.idNumber));
  });
  after(async () => fixture.harness.close());

  const get = (caller: TestCaller, url: string) => fixture.harness.app.inject({ url,
    headers: { ...pageHeaders, ...caller.headers } });
  const post = (caller: TestCaller, url: string, form: Record<string, string>) =>
    fixture.harness.app.inject({ method: 'POST', url, headers: { ...pageHeaders,
      ...caller.headers, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: caller.csrfToken, ...form }).toString() });

  it('asks the second party from the check page instead of submitting', async () => {
    const check = await get(applicant, applicationsPaths.check(applicationId));
    assert.match(check.body, /Ask the second party to confirm/);
    assert.doesNotMatch(check.body, /Submit and pay/);
    const asked = await post(applicant, applicationsPaths.submit(applicationId),
      { clientActionId: uuidv7() });
    assert.equal(asked.statusCode, 303);
    assert.equal(await statusOf(fixture, applicationId), 'draft');
    const page = await get(applicant, applicationsPaths.application(applicationId));
    assert.match(page.body, /Waiting for the second party to confirm/);
  });

  it('shows the partner what to confirm, on their list and the application page', async () => {
    const list = await get(partner, applicationsPaths.mine);
    assert.match(list.body, /Waiting for you to confirm/);
    assert.ok(list.body.includes(applicationsPaths.application(applicationId)));
    const page = await get(partner, applicationsPaths.application(applicationId));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Confirm these answers/);
    assert.doesNotMatch(page.body, /Cancel this application/, 'only the applicant cancels');
    assert.equal((await get(stranger,
      applicationsPaths.application(applicationId))).statusCode, 404);
    assert.equal((await post(stranger, applicationsPaths.action(applicationId, 'confirm'),
      { clientActionId: uuidv7() })).statusCode, 404);
    assert.equal((await post(partner, applicationsPaths.action(applicationId, 'cancel'),
      { clientActionId: uuidv7() })).statusCode, 404, 'the partner cannot cancel');
    assert.equal((await get(partner, applicationsPaths.check(applicationId))).statusCode, 404,
      'nor change the answers');
  });

  it('lets the partner confirm, then the applicant submit', async () => {
    const confirmed = await post(partner, applicationsPaths.action(applicationId, 'confirm'),
      { clientActionId: uuidv7() });
    assert.equal(confirmed.statusCode, 303);
    const page = await get(partner, applicationsPaths.application(applicationId));
    assert.match(page.body, /You have confirmed these answers/);
    const mine = await get(applicant, applicationsPaths.application(applicationId));
    assert.match(mine.body, /The second party has confirmed the answers/);
    const check = await get(applicant, applicationsPaths.check(applicationId));
    assert.match(check.body, /Submit and pay/);
    const submitted = await post(applicant, applicationsPaths.submit(applicationId),
      { clientActionId: uuidv7() });
    assert.equal(submitted.statusCode, 303);
    assert.equal(await statusOf(fixture, applicationId), 'awaiting-payment');
    const rated = await post(applicant, applicationsPaths.rate(applicationId), { rating: '5' });
    assert.equal(rated.statusCode, 400, 'no rating before the document is issued');
    assert.equal((await get(applicant, applicationsPaths.check(applicationId))).statusCode, 303,
      'answers are fixed once submitted');
  });
});
