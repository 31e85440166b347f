import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { agencyOf, startFixture, type Fixture } from './application-fixtures.test.ts';
import { applicationsPaths } from './applications-paths.ts';
import { escalateBreaches, slaEscalationJob } from './sla-job.ts';

const slug = 'certificate-of-good-conduct';
const pageHeaders = { accept: 'text/html' };

function png(size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(7);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return bytes;
}

async function multipart(parts: Readonly<Record<string, string | Uint8Array>>):
  Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([new Uint8Array(value)], { type: 'image/png' }), 'c24.png');
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get('content-type') ?? '' };
}

describeOnDatabases('applications: uploaded files, short links and the queue', (database) => {
  let fixture: Fixture;
  let applicant: TestCaller;
  let stranger: TestCaller;
  let officer: TestCaller;
  let supervisor: TestCaller;
  let otherOfficer: TestCaller;
  let applicationId = '';
  let reference = '';
  let fileId = '';

  before(async () => {
    fixture = await startFixture(database());
    const agencyId = await agencyOf(database(), slug);
    applicant = await signInAs(database(), 'account-holder');
    stranger = await signInAs(database(), 'account-holder');
    officer = await signInAs(database(), 'agency-officer', { agencyId });
    supervisor = await signInAs(database(), 'agency-supervisor', { agencyId });
    otherOfficer = await signInAs(database(), 'agency-officer',
      { agencyId: await agencyOf(database(), 'civil-marriage') });
  });
  after(async () => fixture.harness.close());

  const app = () => fixture.harness.app;
  const get = (caller: TestCaller, url: string) => app().inject({ url,
    headers: { ...pageHeaders, ...caller.headers } });
  const post = (caller: TestCaller, url: string, form: Record<string, string>) =>
    app().inject({ method: 'POST', url, headers: { ...pageHeaders, ...caller.headers,
      'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: caller.csrfToken, ...form }).toString() });

  it('shows the apply page, and the applications started for the service', async () => {
    const page = await get(applicant, applicationsPaths.apply(slug));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Start a new application/);
    assert.doesNotMatch(page.body, /Applications you have started/);
    const noForm = await get(applicant, applicationsPaths.apply('no-such-service'));
    assert.equal(noForm.statusCode, 404);
  });

  it('takes a form upload, keeps it in the store and shows it only to those who may see it',
    async () => {
      const started = await post(applicant, applicationsPaths.apply(slug),
        { clientActionId: uuidv7() });
      assert.equal(started.statusCode, 303);
      applicationId = String(started.headers.location).split('/')[2] ?? '';
      const details = await post(applicant, applicationsPaths.page(applicationId, 'details'),
        { idNumber: '23456789', purpose: 'employment' });
      assert.equal(details.headers.location,
        applicationsPaths.page(applicationId, 'fingerprints'));
      const body = await multipart({ _csrf: applicant.csrfToken, fingerprintForm: png(4_000) });
      const uploaded = await app().inject({ method: 'POST',
        url: applicationsPaths.page(applicationId, 'fingerprints'),
        headers: { ...pageHeaders, ...applicant.headers, 'content-type': body.contentType },
        payload: body.payload });
      assert.equal(uploaded.statusCode, 303, uploaded.body);
      const check = await get(applicant, applicationsPaths.check(applicationId));
      const link = /href="(\/applications\/[^"]+\/files\/([^"]+))"/.exec(check.body);
      assert.ok(link !== null, 'check your answers links the file');
      fileId = decodeURIComponent(link[2] ?? '');
      const own = await get(applicant, link[1] ?? '');
      assert.equal(own.statusCode, 200);
      assert.equal(own.headers['content-type'], 'image/png');
      assert.match(String(own.headers['content-disposition']), /^inline/);
      assert.equal(own.rawPayload.length, 4_000);
      assert.equal((await get(stranger, link[1] ?? '')).statusCode, 404);
      assert.equal((await get(applicant,
        applicationsPaths.file(applicationId, 'not-in-the-answers'))).statusCode, 404);
    });

  it('lets the agency see the file (audited) and nobody else', async () => {
    const submitted = await post(applicant, applicationsPaths.submit(applicationId),
      { clientActionId: uuidv7() });
    assert.equal(submitted.statusCode, 303, submitted.body);
    const seen = await get(officer, applicationsPaths.staffFile(applicationId, fileId));
    assert.equal(seen.statusCode, 200);
    const audited = await sql<{ n: string }>`select count(*) as n from audit_record
      where action = 'APPLICATION_FILE_VIEWED' and subject_id = ${applicationId}`
      .execute(database().db);
    assert.equal(Number(audited.rows[0]?.n), 1, 'the look is audited');
    assert.equal((await get(otherOfficer,
      applicationsPaths.staffFile(applicationId, fileId))).statusCode, 404);
    assert.equal((await get(officer,
      applicationsPaths.staffFile(applicationId, 'nothing'))).statusCode, 404);
  });

  it('follows the short link in messages to the application, for its applicant only',
    async () => {
      const row = await sql<{ reference: string }>`select reference from application
        where id = ${applicationId}`.execute(database().db);
      reference = row.rows[0]?.reference ?? '';
      const short = await get(applicant, applicationsPaths.short(reference.toLowerCase()));
      assert.equal(short.statusCode, 303);
      assert.equal(short.headers.location, applicationsPaths.application(applicationId));
      assert.equal((await get(stranger, applicationsPaths.short(reference))).statusCode, 404);
      assert.equal((await get(applicant, applicationsPaths.short('nonsense'))).statusCode, 404);
    });

  it('offers no new bill while the bill is open', async () => {
    const early = await post(applicant, applicationsPaths.action(applicationId, 'reissue'),
      { clientActionId: uuidv7() });
    assert.equal(early.statusCode, 409);
    assert.match(early.body, /That cannot be done now/);
  });

  it('filters the queue by service, status, officer and breach', async () => {
    await sql`update application_state set status = 'paid', paid_at = now(),
      sla_due_at = now() - interval '1 day' where application_id = ${applicationId}`
      .execute(database().db);
    const serviceId = (await sql<{ id: string }>`select id from service where slug = ${slug}`
      .execute(database().db)).rows[0]?.id ?? '';
    const queue = await get(officer, `${applicationsPaths.queue}?service=${serviceId}` +
      '&status=paid&breached=1');
    assert.equal(queue.statusCode, 200);
    assert.ok(queue.body.includes(reference), 'the overdue application is listed');
    assert.match(queue.body, /Overdue/);
    const mine = await get(officer, `${applicationsPaths.queue}?mine=1&page=x`);
    assert.ok(!mine.body.includes(reference), 'not assigned to this officer');
    assert.equal(await escalateBreaches(fixture.deps, new Date()), 1);
    const escalated = await get(officer, `${applicationsPaths.queue}?breached=1`);
    assert.match(escalated.body, /Escalated/);
    const other = await get(otherOfficer, applicationsPaths.queue);
    assert.ok(!other.body.includes(reference), 'another agency does not see it');
    await slaEscalationJob(fixture.deps).run();
    const escalations = await sql<{ n: string }>`select count(*) as n from application_action
      where application_id = ${applicationId} and kind = 'escalate'`.execute(database().db);
    assert.equal(Number(escalations.rows[0]?.n), 1, 'the job escalates once');
    const apply = await get(applicant, applicationsPaths.apply(slug));
    assert.match(apply.body, /Applications you have started/);
  });

  it('assigns: an officer to themselves, a supervisor to any officer of the agency', async () => {
    const act = (caller: TestCaller, form: Record<string, string>) =>
      post(caller, applicationsPaths.staffAction(applicationId),
        { kind: 'assign', clientActionId: uuidv7(), ...form });
    assert.equal((await act(officer, {})).statusCode, 303);
    const mine = await get(officer, `${applicationsPaths.queue}?mine=1`);
    assert.ok(mine.body.includes(reference), 'assigned to the officer');
    assert.equal((await act(officer, { assignTo: supervisor.id })).statusCode, 403,
      'an officer assigns no one else');
    const review = await get(supervisor, applicationsPaths.staffApplication(applicationId));
    assert.match(review.body, /<select id="assign-to"\s+name="assignTo">/);
    assert.match(review.body, /The applicant(&#39;|')s answers/);
    assert.equal((await act(supervisor, { assignTo: otherOfficer.id })).statusCode, 409,
      'an officer of another agency cannot be assigned');
    assert.equal((await act(supervisor, { assignTo: officer.id })).statusCode, 303);
  });
});
