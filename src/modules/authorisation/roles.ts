/**
 * Roles and what each may do, as data. The public signs in with the 'account-holder' role;
 * staff hold exactly one staff role; agency systems call the API as 'agency-api-client'.
 * Agency roles are scoped to one agency; treasury, auditor and platform-admin reach all.
 */
import {
  allPermissions,
  definitionOf,
  type Permission,
} from './permissions.ts';

export const staffRoles = [
  'agency-officer',
  'agency-supervisor',
  'agency-admin',
  'treasury',
  'finance-officer',
  'auditor',
  'platform-admin',
  'assisted-agent',
] as const;
export type StaffRole = (typeof staffRoles)[number];

export const roles = ['account-holder', ...staffRoles, 'agency-api-client'] as const;
export type Role = (typeof roles)[number];

/** Staff roles that belong to one agency (staff_member.agency_id is set). */
export const agencyRoles: readonly StaffRole[] = [
  'agency-officer', 'agency-supervisor', 'agency-admin',
];

export function isStaffRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value);
}

export function isAgencyRole(role: StaffRole): boolean {
  return agencyRoles.includes(role);
}

/** Every read permission that reaches beyond the caller (the "read everything" roles). */
function readEverything(except: readonly Permission[]): Permission[] {
  return allPermissions.filter((permission) => {
    const definition = definitionOf(permission);
    return definition.effect === 'read' && definition.scope !== 'self' &&
      !except.includes(permission);
  });
}

const officer: readonly Permission[] = [
  'staff.self', 'applications.read', 'applications.process', 'payments.read',
  'refunds.request', 'personal-data.read',
];

export const rolePermissions: Readonly<Record<Role, readonly Permission[]>> = {
  'account-holder': ['account.self'],
  'agency-officer': officer,
  'agency-supervisor': [
    ...officer, 'applications.decide', 'refunds.approve', 'reports.read', 'settlement.read',
    'agency.staff.read',
  ],
  'agency-admin': [
    'staff.self', 'applications.read', 'payments.read', 'settlement.read', 'reports.read',
    'agency.staff.read', 'agency.staff.manage', 'catalogue.manage', 'agency.integration.manage',
    'compliance.read', 'compliance.respond',
  ],
  // Treasury reads everything except the audit log, and changes nothing but closing payment
  // alerts it has looked into (audited; no money moves).
  treasury: ['staff.self', ...readEverything(['audit.read']), 'payment-alerts.close'],
  // The platform's finance team (Treasury's reconciliation and settlement desk): imports
  // statements, resolves suspense, prepares and approves settlements and refunds. Every outflow
  // it starts needs a second, different person (maker-checker), enforced by the use cases;
  // it closes the payment alerts it has looked into (no money moves).
  'finance-officer': [
    'staff.self', 'payments.read', 'ledger.read', 'reports.read', 'reconciliation.read',
    'reconciliation.manage', 'settlement.read', 'settlement.manage', 'refunds.request',
    'refunds.approve', 'payment-alerts.close',
  ],
  // Auditors read everything, the audit log included, and change nothing.
  auditor: ['staff.self', ...readEverything([])],
  'platform-admin': [
    'staff.self', ...readEverything([]), 'agency.staff.manage', 'catalogue.manage',
    'agency.onboard', 'agency.integration.manage', 'reconciliation.manage', 'settlement.manage',
    'payment-alerts.close',
    // The compliance desk (notices, exemptions) sits with platform administrators, not
    // Treasury: Treasury reads the register and scorecard and changes nothing (DESIGN
    // invariant 6); docs/compliance.md explains.
    'compliance.manage',
    'federation.clients.manage',
    'assisted.agents.manage',
  ],
  // A cyber café or Huduma Centre clerk (docs/assisted.md): serves citizens who consent
  // with a one-time code, and reads nothing of anyone else's.
  'assisted-agent': ['staff.self', 'assisted.serve'],
  'agency-api-client': ['applications.read', 'payments.read', 'invoices.create',
    'settlement.read'],
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}

/**
 * The roles a staff member of `granter` role may give to others. Platform administrators
 * appoint anyone; agency administrators appoint officers and supervisors of their own agency.
 */
export function grantableRoles(granter: StaffRole): readonly StaffRole[] {
  if (granter === 'platform-admin') return staffRoles;
  if (granter === 'agency-admin') return ['agency-officer', 'agency-supervisor'];
  return [];
}

/** Roles whose holders sign in at the public sign-in page (the others use staff sign-in). */
export function isPublicRole(role: Role): boolean {
  return role === 'account-holder';
}
