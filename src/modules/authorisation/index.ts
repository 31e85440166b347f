/**
 * Authorisation: the permission catalogue, roles as data, the actor on each request, agency
 * scope in queries, and the CSRF form field. It imports no other module, so every module may
 * use it. Enforcement (sessions, the global hooks) lives in the identity module.
 */
import type { HudumaModule } from '#platform/module.ts';
import { authorisationErrors } from './authorisation-errors.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export {
  actingForAccountId,
  agencyScopeOf,
  auditActorOf,
  auditOnBehalfOf,
  hasPermission,
  isInAgencyScope,
  roleOf,
  type AccountActor,
  type Actor,
  type AgencyScope,
  type ApiClientActor,
  type AuditActor,
  type OnBehalfOf,
  type StaffActor,
} from './actor.ts';
export { agencyScopeCondition, restrictToAgencyScope } from './agency-scope.ts';
export { authorisationErrors, type AuthorisationErrorCode } from './authorisation-errors.ts';
export {
  allPermissions,
  definitionOf,
  isPermission,
  permissionCatalogue,
  type Permission,
  type PermissionDefinition,
  type PermissionEffect,
  type PermissionScope,
} from './permissions.ts';
export { csrfField, csrfFieldName, csrfHeaderName } from './request-context.ts';
export {
  agencyRoles,
  grantableRoles,
  isAgencyRole,
  isPublicRole,
  isStaffRole,
  roleHasPermission,
  rolePermissions,
  roles,
  staffRoles,
  type Role,
  type StaffRole,
} from './roles.ts';

export const authorisationModule: HudumaModule = {
  name: 'authorisation',
  errors: authorisationErrors,
  messages: { en, sw },
};
