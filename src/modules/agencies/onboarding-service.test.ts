/**
 * Onboarding at service level, on both databases: a platform administrator creates an agency
 * (its contact and settlement account recorded, audited), appoints its first administrator,
 * who appoints an officer and a supervisor of that agency (and nothing else); the
 * administrator creates a service in the sandbox (hidden from the public catalogue and not
 * payable), edits it, and moves it live only once it has a form and a fee in force.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import type { StaffActor } from '#modules/authorisation/index.ts';
import {
  findServiceById,
  findStaffService,
  listServicesOfAgency,
  writeFeeVersionInTrx,
} from '#modules/catalogue/index.ts';
import {
  appointStaff,
  identityDepsOf,
  syntheticRegister,
  type IdentityDeps,
} from '#modules/identity/index.ts';
import { createInvoiceForService } from '#modules/payments/index.ts';
import { findSettlementProfile } from '#modules/settlement/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  agencyForm,
  newMinistry,
  oneQuestionForm,
  serviceFields,
  staffActor,
} from '#test/helpers/onboarding.ts';
import { createTestAgency } from '#test/helpers/sessions.ts';
import { createAgency, findAgencyDetail } from './onboarding-service.ts';
import { createService, makeServiceLive, updateService } from './services-service.ts';

describeOnDatabases('agency onboarding: agency, its people, its services', (database) => {
  let identity: IdentityDeps;
  let platformAdmin: StaffActor;
  let ministryId = '';
  const deps = () => testDeps(database());

  before(async () => {
    identity = await identityDepsOf(deps(), syntheticRegister());
    platformAdmin = await staffActor(database(), 'platform-admin');
    ministryId = await newMinistry(database());
  });

  it('creates an agency whose admin appoints its officers, and refuses a wrong form', async () => {
    const wrong = await createAgency(deps(), platformAdmin, { ...agencyForm(ministryId, ''),
      contactPhone: '12345', bankCode: 'x', accountNumber: '12', departmentId: 'x' });
    assert.ok(!wrong.ok);
    assert.equal(wrong.error.code, 'AGENCY_ONBOARDING_FORM_INVALID');
    assert.deepEqual(Object.keys(wrong.error.fields ?? {}).sort(),
      ['accountNumber', 'bankCode', 'contactPhone', 'departmentId', 'nameEn']);
    const departmentId = uuidv7();
    await sql`insert into department (id, ministry_id, slug, name_en, origin) values
      (${departmentId}, ${await newMinistry(database())}, ${`dept-${departmentId}`},
      'State Department Elsewhere', 'synthetic')`.execute(database().db);
    const foreign = await createAgency(deps(), platformAdmin,
      { ...agencyForm(ministryId, 'Misplaced Board'), departmentId });
    assert.ok(!foreign.ok);
    assert.deepEqual(Object.keys(foreign.error.fields ?? {}), ['departmentId'],
      'a department of another ministry');
    const unknownMinistry = await createAgency(deps(), platformAdmin,
      agencyForm(uuidv7(), 'Nowhere Board'));
    assert.ok(!unknownMinistry.ok && unknownMinistry.error.fields?.ministryId !== undefined);

    const created = await createAgency(deps(), platformAdmin,
      agencyForm(ministryId, 'Kenya Film Classification Board'));
    assert.ok(created.ok, JSON.stringify(created));
    const { agencyId } = created.value;
    assert.match(created.value.slug, /^kenya-film-classification-board/);
    const detail = await findAgencyDetail(deps(), 'all', agencyId);
    assert.equal(detail?.agency.origin, 'onboarded');
    assert.deepEqual(detail?.contacts, [{ name: 'Amina Otieno',
      email: 'amina.otieno@example.go.ke', phone: '+254712345678' }]);
    const profile = await findSettlementProfile(database().db, agencyId);
    assert.equal(profile?.account_number, '1100223344');
    assert.equal(profile?.bank_code, '01');
    assert.equal(await findAgencyDetail(deps(), uuidv7(), agencyId), undefined,
      'another agency\'s staff do not find it');
    const audited = await sql<{ n: bigint }>`select count(*) as n from audit_record
      where action = 'AGENCY_ONBOARDED' and subject_id = ${agencyId}`.execute(database().db);
    assert.equal(audited.rows[0]?.n, 1n);

    const source = { address: '192.0.2.1' };
    const admin = await appointStaff(identity, platformAdmin, { email: 'admin@kfcb.example',
      displayName: 'KFCB Administrator', role: 'agency-admin', agencyId }, source);
    assert.ok(admin.ok, JSON.stringify(admin));
    assert.match(admin.value.enrolmentUrl, /\/staff\/enrol\//);
    const adminActor: StaffActor = { kind: 'staff', role: 'agency-admin',
      staffId: admin.value.staffId, agencyId, sessionId: uuidv7() };
    for (const role of ['agency-officer', 'agency-supervisor'] as const) {
      const appointed = await appointStaff(identity, adminActor, { email: `${role}@kfcb.example`,
        displayName: `KFCB ${role}`, role, agencyId }, source);
      assert.ok(appointed.ok, `${role}: ${JSON.stringify(appointed)}`);
    }
    const noAdmin = await appointStaff(identity, adminActor, { email: 'second@kfcb.example',
      displayName: 'Second admin', role: 'agency-admin', agencyId }, source);
    assert.ok(!noAdmin.ok);
    assert.equal(noAdmin.error.code, 'IDENTITY_ROLE_NOT_GRANTABLE');
    const otherAgency = await createAgency(deps(), platformAdmin,
      agencyForm(ministryId, 'Another Board'));
    assert.ok(otherAgency.ok);
    const elsewhere = await appointStaff(identity, adminActor, { email: 'x@other.example',
      displayName: 'Elsewhere', role: 'agency-officer', agencyId: otherAgency.value.agencyId },
    source);
    assert.ok(elsewhere.ok);
    const people = await sql<{ role: string }>`select role from staff_member
      where agency_id = ${agencyId} order by role`.execute(database().db);
    assert.deepEqual(people.rows.map((row) => row.role), ['agency-admin', 'agency-officer',
      'agency-officer', 'agency-supervisor'], 'an agency admin appoints into their own agency');
    const theirs = await sql<{ n: bigint }>`select count(*) as n from staff_member
      where agency_id = ${otherAgency.value.agencyId}`.execute(database().db);
    assert.equal(theirs.rows[0]?.n, 0n, 'whatever agency the form names');
  });

  it('keeps a new service in the sandbox until it has a form and a fee in force', async () => {
    const created = await createAgency(deps(), platformAdmin,
      agencyForm(ministryId, 'Sandbox Agency'));
    assert.ok(created.ok);
    const { agencyId } = created.value;
    const admin = await staffActor(database(), 'agency-admin', agencyId);
    const stranger = await staffActor(database(), 'agency-admin',
      await createTestAgency(database(), 'Stranger Agency'));
    const post = (fields: Record<string, string>) => ({ fields,
      eligibleAccountTypes: ['citizen', 'business', 'nonsense'] });

    const badForm = await createService(deps(), admin, agencyId,
      post(serviceFields('Film licence', '{"version":1,"pages":[]}')));
    assert.ok(!badForm.ok);
    assert.equal(badForm.error.code, 'AGENCY_ONBOARDING_FORM_SCHEMA_INVALID');
    assert.match(badForm.error.detail ?? '', /page/);
    const notJson = await createService(deps(), admin, agencyId,
      post(serviceFields('Film licence', '{oops')));
    assert.ok(!notJson.ok && notJson.error.detail?.startsWith('not JSON') === true);
    const missing = await createService(deps(), admin, agencyId,
      post({ ...serviceFields(''), slaDays: 'soon',
        requirementsSw: Array.from({ length: 21 }, (_, i) => `Hitaji ${String(i)}`).join('\n') }));
    assert.ok(!missing.ok);
    assert.deepEqual(Object.keys(missing.error.fields ?? {}).sort(),
      ['nameEn', 'requirementsSw', 'slaDays']);
    const refused = await createService(deps(), stranger, agencyId, post(serviceFields('X')));
    assert.ok(!refused.ok && refused.error.code === 'AGENCY_ONBOARDING_AGENCY_NOT_FOUND');

    const service = await createService(deps(), admin, agencyId,
      post(serviceFields('Film exhibition licence')));
    assert.ok(service.ok);
    const ids = { agencyId, serviceId: service.value.serviceId };
    const stored = await findStaffService(database().db, agencyId, ids.serviceId);
    assert.equal(stored?.onboardingStatus, 'sandbox');
    assert.deepEqual(stored?.eligibleAccountTypes, ['citizen', 'business']);
    assert.deepEqual(stored?.requirementsEn, ['Company registration certificate',
      'KRA PIN certificate']);
    assert.equal(await findServiceById(deps(), ids.serviceId), undefined,
      'the public catalogue does not show a sandbox service');
    assert.equal((await listServicesOfAgency(deps(), agencyId, { page: 1, pageSize: 10 }))
      .total, 0);

    assert.equal((await makeServiceLive(deps(), admin, ids)).ok ? 'live' : 'refused',
      'refused');
    const noFee = await makeServiceLive(deps(), admin, ids);
    assert.ok(!noFee.ok && noFee.error.code === 'AGENCY_ONBOARDING_LIVE_NEEDS_FEE');
    await database().db.transaction().execute((trx) => writeFeeVersionInTrx(trx, {
      id: uuidv7(), serviceId: ids.serviceId, amountMinor: 1_050_00n, currency: 'KES',
      effectiveFrom: '2020-01-01', gazetteReference: 'Gazette Notice No. 1 of 2020',
      now: new Date() }));
    const unpaid = await createInvoiceForService(deps(), { service: ids.serviceId,
      payerAccountId: uuidv7(), now: new Date(), actor: { kind: 'system', id: null } });
    assert.ok(!unpaid.ok && unpaid.error.code === 'CATALOGUE_SERVICE_NOT_FOUND',
      'a sandbox service is not payable');
    const noForm = await makeServiceLive(deps(), admin, ids);
    assert.ok(!noForm.ok && noForm.error.code === 'AGENCY_ONBOARDING_LIVE_NEEDS_FORM');

    const edited = await updateService(deps(), admin, ids,
      post({ ...serviceFields('Film exhibition licence', oneQuestionForm), slaDays: '10' }));
    assert.ok(edited.ok, JSON.stringify(edited));
    assert.deepEqual([...edited.value.changed].sort(), ['formSchema', 'slaDays']);
    const strangerEdit = await updateService(deps(), stranger, ids,
      post(serviceFields('Hijacked')));
    assert.ok(!strangerEdit.ok && strangerEdit.error.code ===
      'AGENCY_ONBOARDING_SERVICE_NOT_FOUND');
    assert.ok((await makeServiceLive(deps(), stranger, ids)).ok === false);

    const live = await makeServiceLive(deps(), admin, ids);
    assert.ok(live.ok, JSON.stringify(live));
    assert.equal((await findServiceById(deps(), ids.serviceId))?.onboardingStatus, 'live');
    const again = await makeServiceLive(deps(), admin, ids);
    assert.ok(!again.ok && again.error.code === 'AGENCY_ONBOARDING_NOT_SANDBOX');
    const audited = await sql<{ action: string }>`select action from audit_record
      where subject_id = ${ids.serviceId} order by sequence`.execute(database().db);
    assert.deepEqual(audited.rows.map((row) => row.action),
      ['SERVICE_CREATED', 'SERVICE_UPDATED', 'SERVICE_WENT_LIVE']);
  });
});
