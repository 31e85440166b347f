import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StaffActor } from '#modules/authorisation/index.ts';
import { decideAppointment, decideRoleChange, decideStatusChange } from './staff-rules.ts';

const agencyA = '01930000-0000-7000-8000-00000000000a';
const agencyB = '01930000-0000-7000-8000-00000000000b';
const platformAdmin: StaffActor = {
  kind: 'staff', role: 'platform-admin', staffId: 'p', agencyId: null, sessionId: 's',
};
const agencyAdmin: StaffActor = {
  kind: 'staff', role: 'agency-admin', staffId: 'a', agencyId: agencyA, sessionId: 's',
};
const supervisor: StaffActor = { ...agencyAdmin, role: 'agency-supervisor', staffId: 'v' };

const code = (result: { ok: boolean; error?: { code: string } }) =>
  result.ok ? 'ok' : result.error?.code;

describe('appointing staff', () => {
  it('platform admins appoint anyone; agency roles need an agency', () => {
    assert.deepEqual(decideAppointment(platformAdmin, { role: 'auditor', agencyId: agencyA }),
      { ok: true, value: { role: 'auditor', agencyId: null } });
    assert.deepEqual(
      decideAppointment(platformAdmin, { role: 'agency-admin', agencyId: agencyB }),
      { ok: true, value: { role: 'agency-admin', agencyId: agencyB } });
    assert.equal(code(decideAppointment(platformAdmin, { role: 'agency-admin', agencyId: null })),
      'IDENTITY_FORM_INVALID');
  });

  it('agency admins appoint officers and supervisors, always into their own agency', () => {
    assert.deepEqual(decideAppointment(agencyAdmin, { role: 'agency-officer', agencyId: agencyB }),
      { ok: true, value: { role: 'agency-officer', agencyId: agencyA } });
    for (const role of ['agency-admin', 'platform-admin', 'treasury', 'auditor']) {
      assert.equal(code(decideAppointment(agencyAdmin, { role, agencyId: agencyA })),
        'IDENTITY_ROLE_NOT_GRANTABLE', role);
    }
  });

  it('supervisors appoint nobody; an unknown role is a form error', () => {
    assert.equal(code(decideAppointment(supervisor, { role: 'agency-officer', agencyId: agencyA })),
      'IDENTITY_ROLE_NOT_GRANTABLE');
    assert.equal(code(decideAppointment(platformAdmin, { role: 'king', agencyId: null })),
      'IDENTITY_FORM_INVALID');
  });

  it('the command line may appoint the first platform administrator', () => {
    const bootstrap = decideAppointment('command-line', { role: 'platform-admin', agencyId: null });
    assert.equal(code(bootstrap), 'ok');
  });
});

describe('changing a role', () => {
  const officer = { id: 'o', role: 'agency-officer' as const, agencyId: agencyA };

  it('an agency admin may promote an officer to supervisor', () => {
    assert.deepEqual(decideRoleChange(agencyAdmin, officer, 'agency-supervisor'),
      { ok: true, value: { role: 'agency-supervisor', agencyId: agencyA } });
  });

  it('nobody changes their own role, nor a role they may not grant', () => {
    assert.equal(code(decideRoleChange(agencyAdmin,
      { id: 'a', role: 'agency-admin', agencyId: agencyA }, 'agency-officer')),
    'IDENTITY_ROLE_NOT_GRANTABLE');
    assert.equal(code(decideRoleChange(agencyAdmin,
      { id: 'x', role: 'agency-admin', agencyId: agencyA }, 'agency-officer')),
    'IDENTITY_ROLE_NOT_GRANTABLE');
    assert.equal(code(decideRoleChange(agencyAdmin, officer, 'agency-admin')),
      'IDENTITY_ROLE_NOT_GRANTABLE');
  });

  it('moving to a platform-wide role drops the agency', () => {
    assert.deepEqual(decideRoleChange(platformAdmin, officer, 'treasury'),
      { ok: true, value: { role: 'treasury', agencyId: null } });
  });
});

describe('deactivating and reactivating staff', () => {
  const officer = { id: 'o', role: 'agency-officer' as const };
  it('whoever may give the person\'s role may change their access, never their own', () => {
    assert.deepEqual(decideStatusChange(agencyAdmin, officer, 'deactivated'),
      { ok: true, value: 'deactivated' });
    assert.deepEqual(decideStatusChange(platformAdmin, { id: 'x', role: 'agency-admin' }, 'active'),
      { ok: true, value: 'active' });
    assert.equal(code(decideStatusChange(agencyAdmin, { id: 'x', role: 'agency-admin' },
      'deactivated')), 'IDENTITY_STAFF_NOT_MANAGEABLE');
    assert.equal(code(decideStatusChange(supervisor, officer, 'deactivated')),
      'IDENTITY_STAFF_NOT_MANAGEABLE');
    assert.equal(code(decideStatusChange(platformAdmin, { id: 'p', role: 'platform-admin' },
      'deactivated')), 'IDENTITY_STAFF_NOT_MANAGEABLE');
    assert.equal(code(decideStatusChange(agencyAdmin, officer, 'retired')),
      'IDENTITY_FORM_INVALID');
  });
});
