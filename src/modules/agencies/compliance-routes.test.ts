/**
 * The compliance pages' content (both databases): an agency's register shows its paybills
 * with their states and a close form for the agency, services by status, exemptions with who
 * recorded and approved them (the approve button for the desk only), outside revenue in
 * shillings, and its alerts; a notice shows its history and only the next step's form to whom
 * may take it; the desk's home lists every agency's alerts. English and Swahili.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from '#platform/ids/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { checkCompliance } from './compliance-alerts.ts';
import { compliancePaths as paths } from './compliance-paths.ts';
import { complianceDb } from './compliance-tables.ts';

const form = 'application/x-www-form-urlencoded';
const day = 86_400_000;

describeOnDatabases('compliance pages: content', (database) => {
  let app: FastifyInstance;
  let agencyId = '';
  let admin: TestCaller;
  let desk: TestCaller;
  let checker: TestCaller;
  before(async () => {
    app = await buildTestApp(database());
    agencyId = await createTestAgency(database(), 'Content Agency');
    admin = await signInAs(database(), 'agency-admin', { agencyId });
    desk = await signInAs(database(), 'platform-admin');
    checker = await signInAs(database(), 'platform-admin');
    await complianceDb(database().db).insertInto('service').values({ id: uuidv7(),
      agency_id: agencyId, slug: `content-${agencyId.slice(-8)}`, name_en: 'Content licence',
      name_sw: 'Leseni ya maudhui', onboarding_status: 'in_progress', origin: 'synthetic',
    } as never).execute();
  });
  after(async () => {
    await app.close();
  });

  const get = (caller: TestCaller, url: string, language = 'en') => app.inject({ url,
    headers: { ...caller.headers, accept: 'text/html', 'accept-language': language } });
  const post = (caller: TestCaller, url: string, fields: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: new URLSearchParams({ ...fields,
      _csrf: caller.csrfToken }).toString(),
    headers: { ...caller.headers, accept: 'text/html', 'content-type': form } });

  it('shows the register with its forms to whom may use them', async () => {
    const register = paths.register(agencyId);
    assert.equal((await post(admin, paths.paybills(agencyId), { paybillNumber: '445566',
      accountName: 'Old licence fees', closureDueOn: '2020-01-31' })).statusCode, 303);
    assert.equal((await post(admin, paths.revenue(agencyId), { month: '2020-01',
      currency: 'KES', amount: '125000.5' })).statusCode, 303);
    assert.equal((await post(desk, paths.exemptions(agencyId), { serviceId: '',
      reason: 'Own billing system', migrationPlan: 'Bill inquiry', expiresOn: '2099-01-01' }))
      .statusCode, 303);
    await checkCompliance(database().db, new Date(Date.now() + day));
    const agencyView = (await get(admin, register)).body;
    assert.match(agencyView, /445566<\/td><td>Old licence fees<\/td>\s*<td>2020-01-31<\/td>/);
    assert.match(agencyView, /Open past its closure date/);
    assert.match(agencyView, /Paybill open past its closure date/, 'the alert');
    assert.match(agencyView, /Record as closed/);
    assert.match(agencyView, /KES\s125,000\.50/);
    assert.match(agencyView, /Test agency-admin/, 'who declared');
    assert.match(agencyView, /On-boarding in progress<\/dt><dd>1</);
    assert.match(agencyView, /Awaiting a second person&#39;s approval/);
    assert.doesNotMatch(agencyView, /Record the exemption|>Approve</, 'the desk\'s forms');
    const deskView = (await get(desk, register)).body;
    assert.match(deskView, /Record the exemption/);
    assert.match(deskView, />Approve</);
    assert.doesNotMatch(deskView, /Declare the paybill|Record as closed/, 'the agency\'s forms');
    const exemptionId = /exemptions\/([0-9a-f-]{36})\/approve/.exec(deskView)?.[1] ?? '';
    const refused = await post(desk, paths.exemptionApprove(agencyId, exemptionId));
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /cannot approve it/);
    assert.equal((await post(checker, paths.exemptionApprove(agencyId, exemptionId)))
      .statusCode, 303);
    const approved = (await get(admin, `${register}?notice=approved`)).body;
    assert.match(approved, /In force/);
    assert.match(approved, /Test platform-admin/, 'who approved');
    const swahili = (await get(admin, register, 'sw')).body;
    assert.match(swahili, /Rejista ya utiifu: Content Agency/);
    assert.match(swahili, /Leseni ya maudhui/);
    const home = (await get(desk, paths.home)).body;
    assert.match(home, /Content Agency<\/a><\/td>\s*<td>Paybill open past its closure date/);
    const paybillId = /paybills\/([0-9a-f-]{36})\/close/.exec(agencyView)?.[1] ?? '';
    assert.equal((await post(admin, paths.paybillClose(agencyId, paybillId),
      { closedOn: '2099-01-01' })).statusCode, 400, 'a day to come');
    assert.equal((await post(admin, paths.paybillClose(agencyId, paybillId),
      { closedOn: '2020-02-01' })).statusCode, 303);
  });

  it('shows a notice\'s next step only to whom may take it', async () => {
    const issued = await post(desk, paths.notices, { agencyId, subject: 'Explain revenue',
      body: 'Why is revenue collected outside?', deadlineOn: '2099-02-01' });
    const noticeId = /notices\/([0-9a-f-]{36})/.exec(issued.headers.location ?? '')?.[1] ?? '';
    const issuedView = (await get(admin, paths.notice(noticeId))).body;
    assert.match(issuedView, /Send the answer/);
    assert.doesNotMatch((await get(desk, paths.notice(noticeId))).body,
      /Send the answer|Accept and close/);
    assert.equal((await post(admin, paths.noticeAnswer(noticeId), { text: 'Moving in March.' }))
      .statusCode, 303);
    const answered = (await get(desk, paths.notice(noticeId))).body;
    assert.match(answered, /Accept and close/);
    assert.match(answered, /Reopen with a new deadline/);
    assert.match(answered, /Moving in March\./);
    assert.doesNotMatch((await get(admin, paths.notice(noticeId))).body,
      /Send the answer|Accept and close/);
    const reopened = await post(desk, paths.noticeReopen(noticeId), { text: 'Sooner',
      deadlineOn: '2099-01-15' });
    assert.equal(reopened.statusCode, 303);
    const history = (await get(admin, `${paths.notice(noticeId)}?notice=reopened`)).body;
    assert.match(history, /Reopened with a new deadline<\/td>\s*<td>Sooner<\/td><td>2099-01-15/);
    assert.match(history, /Awaiting the agency&#39;s answer/);
  });
});
