/**
 * Who may reach the compliance pages, role by role, route by route: reading needs
 * compliance.read (agency administrators, Treasury, auditors, platform administrators),
 * answering and declaring compliance.respond (agency administrators), the desk's acts
 * compliance.manage (platform administrators); every other role is refused each route and an
 * anonymous caller must sign in. Then agency scope: an administrator of agency B neither sees
 * nor answers agency A's notices or register (both databases).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { roles, type Role } from '#modules/authorisation/index.ts';
import type { NotificationTables } from '#modules/notifications/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { compliancePaths as paths } from './compliance-paths.ts';

const form = 'application/x-www-form-urlencoded';
const readers = new Set<Role>(['agency-admin', 'treasury', 'auditor', 'platform-admin']);
const respondents = new Set<Role>(['agency-admin']);
const desk = new Set<Role>(['platform-admin']);
const unknown = '0193a000-0000-7000-8000-00000000abcd';

describeOnDatabases('compliance pages: every role', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  let otherAgencyId = '';
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Compliance Authz Agency');
    otherAgencyId = await createTestAgency(database(), 'Compliance Other Agency');
  });
  after(async () => {
    await app.close();
  });

  const get = (caller: TestCaller | undefined, url: string) => app.inject({ url,
    headers: { ...caller?.headers, accept: 'text/html' } });
  const post = (caller: TestCaller | undefined, url: string,
    fields: Record<string, string> = {}) => {
    const body = new URLSearchParams(fields);
    if (caller !== undefined) body.append('_csrf', caller.csrfToken);
    return app.inject({ method: 'POST', url, payload: body.toString(),
      headers: { ...caller?.headers, accept: 'text/html', 'content-type': form } });
  };

  for (const role of roles.filter((r) => r !== 'agency-api-client')) {
    const reads = readers.has(role);
    const responds = respondents.has(role);
    const manages = desk.has(role);
    it(`${role}: reads ${String(reads)}, responds ${String(responds)}, manages ${
      String(manages)}`, async () => {
      const caller = await signInAs(database(), role, { agencyId });
      const expect = (allowed: boolean, status: number) => allowed ? status : 403;
      for (const url of [paths.home, paths.scorecard, paths.scorecardCsv,
        `${paths.scorecard}?sort=noticesOverdue&dir=desc`, paths.register(agencyId)]) {
        assert.equal((await get(caller, url)).statusCode, expect(reads, 200), url);
      }
      assert.equal((await get(caller, paths.notice(unknown))).statusCode, expect(reads, 404));
      const respondCalls: [string, Record<string, string>, number][] = [
        [paths.paybills(agencyId), { paybillNumber: 'x', accountName: 'a',
          closureDueOn: '2030-01-01' }, 400],
        [paths.paybillClose(agencyId, unknown), { closedOn: '2026-01-01' }, 404],
        [paths.revenue(agencyId), { month: '2026-13', currency: 'KES', amount: '1' }, 400],
        [paths.noticeAnswer(unknown), { text: 'An answer' }, 404],
      ];
      for (const [url, fields, status] of respondCalls) {
        assert.equal((await post(caller, url, fields)).statusCode, expect(responds, status), url);
      }
      const deskCalls: [string, Record<string, string>, number][] = [
        [paths.notices, { agencyId, subject: '', body: 'b', deadlineOn: '2099-01-01' }, 400],
        [paths.noticeClose(unknown), {}, 404],
        [paths.noticeReopen(unknown), { deadlineOn: '2099-01-01' }, 404],
        [paths.exemptions(agencyId), { reason: '', migrationPlan: 'p',
          expiresOn: '2099-01-01' }, 400],
        [paths.exemptionApprove(agencyId, unknown), {}, 404],
      ];
      for (const [url, fields, status] of deskCalls) {
        assert.equal((await post(caller, url, fields)).statusCode, expect(manages, status), url);
      }
    });
  }

  it('answers junk in every id, date, month, amount and text with a 4xx, never a 5xx',
    async () => {
      const admin = await signInAs(database(), 'agency-admin', { agencyId });
      const desk = await signInAs(database(), 'platform-admin');
      const junk = ['', 'x', '0000-01-01', '0000-01', '9999-99-99', '-1', '1e309',
        "'; drop table agency; --", 'a'.repeat(3000), '00000000-0000-0000-0000-000000000000'];
      for (const value of junk) {
        const calls: [TestCaller, string, Record<string, string>][] = [
          [admin, paths.paybills(agencyId), { paybillNumber: value, accountName: value,
            closureDueOn: value }],
          [admin, paths.paybills(agencyId), { paybillNumber: '765432', accountName: 'n',
            closureDueOn: value }],
          [admin, paths.paybillClose(agencyId, value), { closedOn: value }],
          [admin, paths.revenue(agencyId), { month: value, currency: value, amount: value }],
          [admin, paths.revenue(agencyId), { month: value, currency: 'KES', amount: '1' }],
          [admin, paths.noticeAnswer(value), { text: value }],
          [desk, paths.notices, { agencyId: value, subject: value, body: value,
            deadlineOn: value }],
          [desk, paths.notices, { agencyId, subject: 's', body: 'b', deadlineOn: value }],
          [desk, paths.exemptions(agencyId), { serviceId: value, reason: 'r',
            migrationPlan: 'p', expiresOn: value }],
          [desk, paths.exemptionApprove(value, value), {}],
          [desk, paths.noticeReopen(value), { deadlineOn: value, text: value }],
        ];
        for (const [caller, url, fields] of calls) {
          const answer = await post(caller, url.replace(/\/\//g, '/x/'), fields);
          assert.ok(answer.statusCode < 500, `${url} ${JSON.stringify(fields).slice(0, 80)}: ${
            String(answer.statusCode)}`);
        }
        const page = await get(desk, `${paths.scorecard}?sort=${encodeURIComponent(value)}&dir=${
          encodeURIComponent(value)}`);
        // Unknown columns sort by score; an over-long value fails the query schema.
        assert.ok([200, 400].includes(page.statusCode), String(page.statusCode));
      }
    });

  it('sends an anonymous caller to sign in', async () => {
    for (const url of [paths.home, paths.scorecard, paths.register(agencyId)]) {
      const page = await get(undefined, url);
      assert.equal(page.statusCode, 303, url);
      assert.match(page.headers.location ?? '', /^\/staff\/sign-in\?return=/);
    }
    const posted = await post(undefined, paths.paybills(agencyId), { paybillNumber: '123456' });
    assert.ok([303, 401, 403].includes(posted.statusCode), String(posted.statusCode));
  });

  it('keeps agency B\'s administrator out of agency A\'s notices and register', async () => {
    const desk = await signInAs(database(), 'platform-admin');
    const own = await signInAs(database(), 'agency-admin', { agencyId });
    const stranger = await signInAs(database(), 'agency-admin', { agencyId: otherAgencyId });
    const issued = await post(desk, paths.notices, { agencyId, subject: 'Explain paybill',
      body: 'Why is it open?', deadlineOn: '2099-01-01' });
    assert.equal(issued.statusCode, 303);
    const noticeId = /notices\/([0-9a-f-]{36})/.exec(issued.headers.location ?? '')?.[1];
    assert.ok(noticeId !== undefined);
    const mailed = await database().db.withTables<NotificationTables>()
      .selectFrom('notification').select(['recipient', 'subject', 'body'])
      .where('template', '=', 'agencies.compliance-notice-issued').execute();
    const recipients = mailed.map((mail) => mail.recipient);
    assert.ok(recipients.includes(`agency-admin.${own.id}@staff.test`), 'the agency is told');
    assert.ok(!recipients.includes(`agency-admin.${stranger.id}@staff.test`), 'no one else');
    assert.ok(mailed.every((mail) => mail.subject?.includes('Explain paybill') === true &&
      mail.body.includes('/staff/compliance')));
    assert.match((await get(own, paths.home)).body, /Explain paybill/);
    assert.doesNotMatch((await get(stranger, paths.home)).body, /Explain paybill/);
    assert.equal((await get(stranger, paths.notice(noticeId))).statusCode, 404);
    assert.equal((await post(stranger, paths.noticeAnswer(noticeId), { text: 'Mine?' }))
      .statusCode, 404);
    assert.equal((await get(stranger, paths.register(agencyId))).statusCode, 404);
    assert.equal((await post(stranger, paths.paybills(agencyId), { paybillNumber: '123456',
      accountName: 'Theirs', closureDueOn: '2030-01-01' })).statusCode, 404);
    const card = await get(stranger, paths.scorecard);
    assert.doesNotMatch(card.body, /Compliance Authz Agency/);
    assert.match(card.body, /Compliance Other Agency/);
    const answered = await post(own, paths.noticeAnswer(noticeId), { text: 'Closing soon.' });
    assert.equal(answered.statusCode, 303);
    assert.equal((await get(own, paths.notice(noticeId))).statusCode, 200);
    assert.equal((await post(stranger, paths.exemptionApprove(agencyId, uuidv7())))
      .statusCode, 403);
  });
});
