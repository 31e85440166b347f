/**
 * Who is making a request: a signed-in account holder (possibly acting for a dependant or a
 * business), a staff member, or an agency's API client. The identity module resolves it from
 * the session (or an API credential) and puts it on `request.actor`.
 */
import assert from 'node:assert/strict';
import type { Permission } from './permissions.ts';
import { roleHasPermission, type Role, type StaffRole } from './roles.ts';

/** Whom an account holder acts for, when not for themselves. */
export type OnBehalfOf = Readonly<{ kind: 'account' | 'business'; id: string }>;

export type AccountActor = Readonly<{
  kind: 'account';
  role: 'account-holder';
  accountId: string;
  sessionId: string;
  /** A dependant or a business chosen on the act-for page; null when acting for oneself. */
  onBehalfOf: OnBehalfOf | null;
}>;

export type StaffActor = Readonly<{
  kind: 'staff';
  role: StaffRole;
  staffId: string;
  /** The agency of an agency role; null for treasury, auditor and platform-admin. */
  agencyId: string | null;
  sessionId: string;
}>;

export type ApiClientActor = Readonly<{
  kind: 'api-client';
  role: 'agency-api-client';
  clientId: string;
  agencyId: string;
}>;

export type Actor = AccountActor | StaffActor | ApiClientActor;

export function hasPermission(actor: Actor | undefined, permission: Permission): boolean {
  return actor !== undefined && roleHasPermission(actor.role, permission);
}

export function roleOf(actor: Actor | undefined): Role | 'anonymous' {
  return actor === undefined ? 'anonymous' : actor.role;
}

/**
 * The agencies whose data the caller may see: one agency id, or 'all' for treasury,
 * auditors and platform administrators. Filter in the query with restrictToAgencyScope, never
 * after it. Asking for the scope of an account holder is a bug (they hold no agency-scoped
 * permission), so it throws.
 */
export type AgencyScope = string | 'all';

export function agencyScopeOf(actor: Actor): AgencyScope {
  if (actor.kind === 'api-client') return actor.agencyId;
  assert.ok(actor.kind === 'staff', `an ${actor.kind} actor has no agency scope`);
  if (actor.agencyId !== null) return actor.agencyId;
  assert.ok(
    actor.role === 'treasury' || actor.role === 'auditor' || actor.role === 'platform-admin' ||
      actor.role === 'finance-officer',
    `staff role ${actor.role} needs an agency`,
  );
  return 'all';
}

export function isInAgencyScope(scope: AgencyScope, agencyId: string | null): boolean {
  return scope === 'all' || (agencyId !== null && scope === agencyId);
}

/** The actor as the audit log records it (ids only, never personal data). */
export type AuditActor = Readonly<{
  kind: 'account' | 'staff' | 'system' | 'api-client';
  id: string | null;
  role?: string;
}>;

export function auditActorOf(actor: Actor | undefined): AuditActor {
  if (actor === undefined) return { kind: 'system', id: null };
  switch (actor.kind) {
    case 'account':
      return { kind: 'account', id: actor.accountId, role: actor.role };
    case 'staff':
      return { kind: 'staff', id: actor.staffId, role: actor.role };
    case 'api-client':
      return { kind: 'api-client', id: actor.clientId, role: actor.role };
  }
}

/** Whom an act is done for, as the audit log records it (null: for the actor themself). */
export function auditOnBehalfOf(actor: Actor | undefined): OnBehalfOf | null {
  return actor?.kind === 'account' ? actor.onBehalfOf : null;
}

/**
 * The account an account holder's act is for: the dependant or business chosen on the
 * act-for page, else the holder's own account.
 */
export function actingForAccountId(actor: AccountActor): string {
  return actor.onBehalfOf?.id ?? actor.accountId;
}
