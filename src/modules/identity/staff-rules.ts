/**
 * Who may appoint whom, pure. Platform administrators appoint anyone; agency administrators
 * appoint officers and supervisors of their own agency. Nobody changes their own role or
 * deactivates themselves.
 */
import {
  grantableRoles,
  isAgencyRole,
  isStaffRole,
  type StaffActor,
  type StaffRole,
} from '#modules/authorisation/index.ts';
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import type { IdentityErrorCode } from './identity-errors.ts';
import type { StaffStatus } from './identity-tables.ts';

/** The command line bootstraps the first administrator: it may appoint anyone. */
export type Appointer = StaffActor | 'command-line';

export type Appointment = Readonly<{ role: StaffRole; agencyId: string | null }>;

type RuleFailure = Failure<IdentityErrorCode>;

function mayGrant(appointer: Appointer, role: StaffRole): boolean {
  return appointer === 'command-line' || grantableRoles(appointer.role).includes(role);
}

export function decideAppointment(
  appointer: Appointer,
  wanted: Readonly<{ role: string; agencyId: string | null }>,
): Result<Appointment, RuleFailure> {
  if (!isStaffRole(wanted.role)) {
    return err(failure('IDENTITY_FORM_INVALID', undefined, { role: 'identity.field.roleMissing' }));
  }
  const role = wanted.role;
  if (!mayGrant(appointer, role)) return err(failure('IDENTITY_ROLE_NOT_GRANTABLE'));
  if (!isAgencyRole(role)) return ok({ role, agencyId: null });
  // An agency administrator appoints into their own agency, whatever the form says.
  const agencyId = appointer !== 'command-line' && appointer.role === 'agency-admin'
    ? appointer.agencyId : wanted.agencyId;
  if (agencyId === null) {
    return err(failure('IDENTITY_FORM_INVALID', undefined,
      { agencyId: 'identity.field.agencyMissing' }));
  }
  return ok({ role, agencyId });
}

/**
 * Deactivating (or reactivating) follows the same rule as changing a role: whoever may give
 * the person's role may take their access away, never their own.
 */
export function decideStatusChange(
  actor: StaffActor,
  target: Readonly<{ id: string; role: StaffRole }>,
  wanted: string,
): Result<StaffStatus, RuleFailure> {
  if (wanted !== 'active' && wanted !== 'deactivated') {
    return err(failure('IDENTITY_FORM_INVALID', undefined,
      { status: 'identity.field.statusMissing' }));
  }
  if (target.id === actor.staffId || !mayGrant(actor, target.role)) {
    return err(failure('IDENTITY_STAFF_NOT_MANAGEABLE'));
  }
  return ok(wanted);
}

export function decideRoleChange(
  appointer: StaffActor,
  target: Readonly<{ id: string; role: StaffRole; agencyId: string | null }>,
  wantedRole: string,
): Result<Appointment, RuleFailure> {
  if (target.id === appointer.staffId) return err(failure('IDENTITY_ROLE_NOT_GRANTABLE'));
  if (!mayGrant(appointer, target.role)) return err(failure('IDENTITY_ROLE_NOT_GRANTABLE'));
  return decideAppointment(appointer, { role: wantedRole, agencyId: target.agencyId });
}
