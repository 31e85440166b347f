import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAuditForSubject } from '#modules/audit/index.ts';
import { manualClock } from '#platform/clock/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import type { IdentityTables } from './identity-tables.ts';
import { identityDepsOf, syntheticRegister } from './index.ts';
import { isSealed } from './secret-box.ts';
import { sealLegacyTotpSecrets } from './staff-secrets.ts';
import { createStaff } from './staff-service.ts';
import { base32Decode, hotp, totpStepAt } from './totp.ts';

describeOnDatabases('identity: staff sign-in, staff management, agency scope', (database) => {
  let app: FastifyInstance;
  const clock = manualClock(new Date('2026-11-28T09:00:00Z'));
  let agencyA = '';
  let agencyB = '';
  let adminA: TestCaller;
  let officerB: TestCaller;
  before(async () => {
    app = await buildTestApp(database(), { clock });
    agencyA = await createTestAgency(database(), 'Agency A');
    agencyB = await createTestAgency(database(), 'Agency B');
    adminA = await signInAs(database(), 'agency-admin', { agencyId: agencyA, now: clock.now() });
    officerB = await signInAs(database(), 'agency-officer',
      { agencyId: agencyB, now: clock.now() });
  });
  after(async () => {
    await app.close();
  });
  const identity = async () =>
    identityDepsOf(testDeps(database(), { clock }), syntheticRegister());
  const storedSecret = async (staffId: string) => (await database().db
    .withTables<IdentityTables>().selectFrom('staff_member').select('totp_secret')
    .where('id', '=', staffId).executeTakeFirstOrThrow()).totp_secret ?? '';
  const totpNow = (secret: string, offsetSteps = 0) =>
    hotp(base32Decode(secret), totpStepAt(clock.now()) + BigInt(offsetSteps));

  it('signs staff in with password and authenticator code, each code once', async () => {
    const created = await createStaff(await identity(), 'command-line', {
      email: 'Auditor@Treasury.go.ke', displayName: 'Wanjiru Auditor', role: 'auditor',
      agencyId: null,
    }, { address: null });
    assert.ok(created.ok);
    assert.match(created.value.otpauthUri, /^otpauth:\/\/totp\/Huduma%3Aauditor%40treasury/);
    const stored = await storedSecret(created.value.staffId);
    assert.ok(isSealed(stored) && !stored.includes(created.value.totpSecret),
      'the authenticator secret is stored sealed');
    const browser = new FormClient(app);
    await browser.get('/staff/sign-in');
    const form = {
      email: 'auditor@treasury.go.ke', password: created.value.temporaryPassword,
      totpCode: totpNow(created.value.totpSecret),
    };
    const wrongCode = await browser.post('/staff/sign-in', {
      ...form, totpCode: totpNow(created.value.totpSecret, 3),
    });
    assert.equal(wrongCode.statusCode, 401);
    assert.match(wrongCode.body, /authenticator code is not right/);
    const signedIn = await browser.post('/staff/sign-in', form);
    assert.equal(signedIn.statusCode, 303, signedIn.body);
    assert.equal(signedIn.headers.location, '/staff');
    const home = await browser.get('/staff');
    assert.match(home.body, /Wanjiru Auditor/);
    assert.match(home.body, /Auditor/);

    const replay = new FormClient(app);
    await replay.get('/staff/sign-in');
    const replayed = await replay.post('/staff/sign-in', form);
    assert.equal(replayed.statusCode, 401, 'the same code is not accepted twice');
    clock.advanceMs(30_000);
    const next = await replay.post('/staff/sign-in',
      { ...form, totpCode: totpNow(created.value.totpSecret) });
    assert.equal(next.statusCode, 303);
    const audit = await listAuditForSubject(database().db,
      { type: 'staff', id: created.value.staffId }, { limit: 20 });
    const actions = audit.map((record) => record.action);
    assert.ok(actions.includes('STAFF_SIGNED_IN'));
    assert.ok(actions.includes('STAFF_SIGN_IN_FAILED'));
    assert.ok(actions.includes('STAFF_APPOINTED'));
  });

  it('an agency admin sees and appoints staff of their own agency only', async () => {
    const list = await app.inject({ url: '/staff/people', headers: adminA.headers });
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, new RegExp(officerB.id), 'agency B staff are not listed');
    const appointed = await app.inject({
      method: 'POST', url: '/staff/people',
      headers: { ...adminA.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: adminA.csrfToken, email: 'officer@a.go.ke',
        displayName: 'Officer of A', role: 'agency-officer', agencyId: agencyB }).toString(),
    });
    assert.equal(appointed.statusCode, 201, appointed.body);
    assert.match(appointed.body, /Enrolment link/);
    assert.doesNotMatch(appointed.body, /otpauth:|Temporary password/,
      'the appointer never sees the new person\'s secrets');
    const id = /\/staff\/people\/([0-9a-f-]{36})/.exec(appointed.body)?.[1] ?? '';
    const person = await app.inject({ url: `/staff/people/${id}`, headers: adminA.headers });
    assert.equal(person.statusCode, 200);
    assert.match(person.body, /Agency A/, 'appointed into the admin\'s own agency');
    const promoted = await app.inject({
      method: 'POST', url: `/staff/people/${id}/role`,
      headers: { ...adminA.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: adminA.csrfToken, role: 'agency-admin' }).toString(),
    });
    assert.equal(promoted.statusCode, 403, 'an agency admin may not make another admin');
  });

  it('a new member of staff enrols by the one-time link, then signs in', async () => {
    const appointed = await app.inject({
      method: 'POST', url: '/staff/people',
      headers: { ...adminA.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: adminA.csrfToken, email: 'Supervisor@A.go.ke',
        displayName: 'Supervisor of A', role: 'agency-supervisor' }).toString(),
    });
    const link = /http:\/\/localhost:\d+(\/staff\/enrol\/[\w-]+)/.exec(appointed.body)?.[1];
    assert.ok(link !== undefined, appointed.body);
    const browser = new FormClient(app);
    const page = await browser.get(link);
    assert.equal(page.statusCode, 200);
    const secret = /secret=([A-Z2-7]+)/.exec(page.body)?.[1] ?? '';
    assert.equal((await browser.get(link)).body.includes(secret), true, 'the same secret again');
    const badCode = await browser.post(link, { password: 'my own pass phrase',
      totpCode: totpNow(secret, 5) });
    assert.equal(badCode.statusCode, 400);
    const done = await browser.post(link, { password: 'my own pass phrase',
      totpCode: totpNow(secret) });
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(done.headers.location, '/staff/sign-in?notice=enrolled');
    assert.equal((await browser.get(link)).statusCode, 404, 'the link works once');
    clock.advanceMs(30_000);
    await browser.get('/staff/sign-in');
    const signedIn = await browser.post('/staff/sign-in', { email: 'supervisor@a.go.ke',
      password: 'my own pass phrase', totpCode: totpNow(secret) });
    assert.equal(signedIn.statusCode, 303);
    assert.match((await browser.get('/staff')).body, /Agency supervisor/);
  });

  it('an enrolment link expires after 72 hours', async () => {
    const appointed = await app.inject({
      method: 'POST', url: '/staff/people',
      headers: { ...adminA.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: adminA.csrfToken, email: 'late@a.go.ke',
        displayName: 'Late Officer', role: 'agency-officer' }).toString(),
    });
    const link = /(\/staff\/enrol\/[\w-]+)/.exec(appointed.body)?.[1] ?? '';
    clock.advanceMs(72 * 60 * 60 * 1000);
    const expired = await app.inject({ url: link, headers: { accept: 'text/html' } });
    assert.equal(expired.statusCode, 404);
    assert.match(expired.body, /enrolment link is not valid/);
    adminA = await signInAs(database(), 'agency-admin', { agencyId: agencyA, now: clock.now() });
    officerB = await signInAs(database(), 'agency-officer',
      { agencyId: agencyB, now: clock.now() });
  });

  it('staff of agency A guessing agency B ids find nothing (404, not 403)', async () => {
    const supervisorA = await signInAs(database(), 'agency-supervisor',
      { agencyId: agencyA, now: clock.now() });
    for (const caller of [adminA, supervisorA]) {
      const read = await app.inject({
        url: `/staff/people/${officerB.id}`, headers: caller.headers,
      });
      assert.equal(read.statusCode, 404);
      assert.doesNotMatch(read.body, /Agency B|agency-officer\./);
    }
    const change = await app.inject({
      method: 'POST', url: `/staff/people/${officerB.id}/role`,
      headers: { ...adminA.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: adminA.csrfToken, role: 'agency-supervisor' })
        .toString(),
    });
    assert.equal(change.statusCode, 404);
    const still = await app.inject({ url: '/staff', headers: officerB.headers });
    assert.equal(still.statusCode, 200, 'agency B officer is untouched and still signed in');
    const random = await app.inject({ url: '/staff/people/not-a-uuid', headers: adminA.headers });
    assert.equal(random.statusCode, 404);
  });

  it('a platform admin sees every agency and changes roles, ending the person\'s sessions',
    async () => {
      const platformAdmin = await signInAs(database(), 'platform-admin', { now: clock.now() });
      const list = await app.inject({ url: '/staff/people', headers: platformAdmin.headers });
      assert.match(list.body, /Agency A/);
      assert.match(list.body, /Agency B/);
      const changed = await app.inject({
        method: 'POST', url: `/staff/people/${officerB.id}/role`,
        headers: { ...platformAdmin.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: platformAdmin.csrfToken,
          role: 'agency-supervisor' }).toString(),
      });
      assert.equal(changed.statusCode, 303, changed.body);
      const ended = await app.inject({ url: '/staff', headers: officerB.headers });
      assert.equal(ended.statusCode, 401, 'the old session ended with the role change');
      const audit = await listAuditForSubject(database().db, { type: 'staff', id: officerB.id },
        { limit: 5 });
      const change = audit.find((record) => record.action === 'STAFF_ROLE_CHANGED');
      assert.deepEqual(change?.detail, { from: 'agency-officer', to: 'agency-supervisor' });
      assert.equal(change?.actor.id, platformAdmin.id);
    });

  it('seals a secret stored in the clear before sealing began, and it still signs in',
    async () => {
      const created = await createStaff(await identity(), 'command-line', {
        email: 'legacy@treasury.go.ke', displayName: 'Legacy Auditor', role: 'auditor',
        agencyId: null,
      }, { address: null });
      assert.ok(created.ok);
      const { staffId, totpSecret, temporaryPassword } = created.value;
      await database().db.withTables<IdentityTables>().updateTable('staff_member')
        .set({ totp_secret: totpSecret }).where('id', '=', staffId).execute();
      assert.ok(await sealLegacyTotpSecrets(await identity()) >= 1);
      assert.equal(await sealLegacyTotpSecrets(await identity()), 0, 'nothing left in the clear');
      const stored = await storedSecret(staffId);
      assert.ok(isSealed(stored) && !stored.includes(totpSecret));
      clock.advanceMs(30_000);
      const browser = new FormClient(app);
      await browser.get('/staff/sign-in');
      const signedIn = await browser.post('/staff/sign-in', { email: 'legacy@treasury.go.ke',
        password: temporaryPassword, totpCode: totpNow(totpSecret) });
      assert.equal(signedIn.statusCode, 303);
    });

  it('an agency admin deactivates an officer: sessions end, sign-in refused, until reactivated',
    async () => {
      const created = await createStaff(await identity(), 'command-line', {
        email: 'officer.leaving@agency-a.go.ke', displayName: 'Otieno Leaving',
        role: 'agency-officer', agencyId: agencyA,
      }, { address: null });
      assert.ok(created.ok);
      const { staffId, temporaryPassword, totpSecret } = created.value;
      const signIn = async () => {
        clock.advanceMs(30_000);
        const browser = new FormClient(app);
        await browser.get('/staff/sign-in');
        const answer = await browser.post('/staff/sign-in', {
          email: 'officer.leaving@agency-a.go.ke', password: temporaryPassword,
          totpCode: totpNow(totpSecret),
        });
        return { browser, status: answer.statusCode };
      };
      const setStatus = (caller: TestCaller, id: string, status: string) => app.inject({
        method: 'POST', url: `/staff/people/${id}/status`,
        headers: { ...caller.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: caller.csrfToken, status }).toString(),
      });
      const before = await signIn();
      assert.equal(before.status, 303);
      assert.equal((await before.browser.get('/staff')).statusCode, 200);

      const page = await app.inject({ url: `/staff/people/${staffId}`, headers: adminA.headers });
      assert.match(page.body, /action="\/staff\/people\/[^"]+\/status"/);
      assert.match(page.body, /Deactivate/);
      const deactivated = await setStatus(adminA, staffId, 'deactivated');
      assert.equal(deactivated.statusCode, 303, deactivated.body);
      const ended = await before.browser.get('/staff');
      assert.equal(ended.statusCode, 303, 'the session ended: back to sign in');
      assert.match(String(ended.headers.location), /^\/staff\/sign-in/);
      assert.equal((await signIn()).status, 401, 'a deactivated officer cannot sign in');
      const shown = await app.inject({ url: `/staff/people/${staffId}`, headers: adminA.headers });
      assert.match(shown.body, /Deactivated/);
      assert.match(shown.body, /Reactivate/);

      assert.equal((await setStatus(adminA, staffId, 'active')).statusCode, 303);
      assert.equal((await signIn()).status, 303, 'reactivated, they sign in again');
      const actions = (await listAuditForSubject(database().db, { type: 'staff', id: staffId },
        { limit: 20 })).filter((record) => record.actor.id === adminA.id)
        .map((record) => record.action);
      assert.deepEqual(actions, ['STAFF_REACTIVATED', 'STAFF_DEACTIVATED']);

      assert.equal((await setStatus(adminA, officerB.id, 'deactivated')).statusCode, 404,
        'another agency\'s officer is not found');
      const self = await setStatus(adminA, adminA.id, 'deactivated');
      assert.equal(self.statusCode, 403);
      assert.match(self.body, /You may not deactivate or reactivate this member of staff/);
      assert.equal((await setStatus(adminA, staffId, 'retired')).statusCode, 400);
    });

  it('an account holder cannot end another account\'s session nor act for a stranger',
    async () => {
      const alice = await signInAs(database(), 'account-holder', { now: clock.now() });
      const bob = await signInAs(database(), 'account-holder', { now: clock.now() });
      const ended = await app.inject({
        method: 'POST', url: `/account/sessions/${bob.sessionId}/end`,
        headers: { ...alice.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(alice.csrfToken)}`,
      });
      assert.equal(ended.statusCode, 404);
      assert.equal((await app.inject({ url: '/account', headers: bob.headers })).statusCode, 200);
      const actFor = await app.inject({
        method: 'POST', url: '/account/act-for',
        headers: { ...alice.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: alice.csrfToken, accountId: bob.id }).toString(),
      });
      assert.equal(actFor.statusCode, 404);
    });

  it('an auditor\'s account look-up shows on the person\'s "who looked at my data"', async () => {
    const citizen = await signInAs(database(), 'account-holder', { now: clock.now() });
    const before = await app.inject({ url: '/account', headers: citizen.headers });
    assert.match(before.body, /Nobody has looked at your personal details/);
    const documentNumber = /National ID card (\d+)/.exec(before.body)?.[1] ?? '';
    const auditor = await signInAs(database(), 'auditor', { now: clock.now() });
    const lookup = await app.inject({
      url: `/staff/accounts?documentType=national_id&documentNumber=${documentNumber}`,
      headers: auditor.headers,
    });
    assert.equal(lookup.statusCode, 200);
    assert.match(lookup.body, /Test Person/);
    const after = await app.inject({ url: '/account', headers: citizen.headers });
    assert.doesNotMatch(after.body, /Nobody has looked/);
    assert.match(after.body, /Auditor/);
  });
});
