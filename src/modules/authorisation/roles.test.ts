import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agencyScopeOf, auditActorOf, isInAgencyScope, type Actor } from './actor.ts';
import { allPermissions, definitionOf, isPermission } from './permissions.ts';
import {
  agencyRoles,
  grantableRoles,
  rolePermissions,
  roles,
  staffRoles,
} from './roles.ts';

describe('roles and permissions (data)', () => {
  it('grants only permissions that are in the catalogue, each once', () => {
    for (const role of roles) {
      const granted = rolePermissions[role];
      assert.equal(new Set(granted).size, granted.length, `${role} lists a permission twice`);
      for (const permission of granted) assert.ok(isPermission(permission), permission);
    }
  });

  it('treasury and auditors hold no write permission, but treasury closes payment alerts', () => {
    const writesOf = (role: 'treasury' | 'auditor') =>
      rolePermissions[role].filter((p) => definitionOf(p).effect === 'write');
    assert.deepEqual(writesOf('auditor'), [], 'auditor may write');
    assert.deepEqual(writesOf('treasury'), ['payment-alerts.close'], 'treasury may write');
  });

  it('auditors read every read permission; treasury all but the audit log', () => {
    const reads = allPermissions.filter((p) =>
      definitionOf(p).effect === 'read' && definitionOf(p).scope !== 'self');
    assert.ok(reads.includes('audit.read'));
    for (const permission of reads) {
      assert.ok(rolePermissions.auditor.includes(permission), `auditor lacks ${permission}`);
      assert.equal(rolePermissions.treasury.includes(permission), permission !== 'audit.read');
    }
  });

  it('agency roles hold no platform-wide permission', () => {
    for (const role of agencyRoles) {
      const platformWide = rolePermissions[role].filter((p) => definitionOf(p).scope ===
        'platform');
      assert.deepEqual(platformWide, [], role);
    }
  });

  it('only account holders act as themselves in public; every staff role has staff.self', () => {
    for (const role of roles) {
      assert.equal(rolePermissions[role].includes('account.self'), role === 'account-holder');
    }
    for (const role of staffRoles) assert.ok(rolePermissions[role].includes('staff.self'));
  });

  it('agency admins grant officers and supervisors only; officers grant nothing', () => {
    assert.deepEqual(grantableRoles('agency-admin'), ['agency-officer', 'agency-supervisor']);
    assert.deepEqual(grantableRoles('agency-officer'), []);
    assert.deepEqual(grantableRoles('treasury'), []);
    assert.deepEqual([...grantableRoles('platform-admin')].sort(), [...staffRoles].sort());
  });
});

describe('actors and agency scope', () => {
  const agencyA = '01930000-0000-7000-8000-00000000000a';
  const agencyB = '01930000-0000-7000-8000-00000000000b';
  const officer: Actor = {
    kind: 'staff', role: 'agency-officer', staffId: 's1', agencyId: agencyA, sessionId: 'x',
  };
  const auditor: Actor = {
    kind: 'staff', role: 'auditor', staffId: 's2', agencyId: null, sessionId: 'y',
  };

  it('scopes agency staff to their agency and platform-wide roles to all', () => {
    assert.equal(agencyScopeOf(officer), agencyA);
    assert.equal(agencyScopeOf(auditor), 'all');
    assert.ok(isInAgencyScope(agencyScopeOf(officer), agencyA));
    assert.ok(!isInAgencyScope(agencyScopeOf(officer), agencyB));
    assert.ok(!isInAgencyScope(agencyScopeOf(officer), null));
    assert.ok(isInAgencyScope(agencyScopeOf(auditor), agencyB));
  });

  it('refuses to give an account holder an agency scope (a bug, not a case)', () => {
    const holder: Actor = {
      kind: 'account', role: 'account-holder', accountId: 'a', sessionId: 's', onBehalfOf: null,
    };
    assert.throws(() => agencyScopeOf(holder));
  });

  it('refuses an agency role without an agency', () => {
    assert.throws(() => agencyScopeOf({ ...officer, agencyId: null }));
  });

  it('records ids and roles in the audit actor, never more', () => {
    assert.deepEqual(auditActorOf(officer), { kind: 'staff', id: 's1', role: 'agency-officer' });
    assert.deepEqual(auditActorOf(undefined), { kind: 'system', id: null });
  });
});
