/**
 * The permission catalogue: every permission a route or use case may require, what kind of
 * act it allows, and how far it reaches. Roles are granted permissions in roles.ts.
 *
 * - effect 'read' reads data; 'write' changes it. Treasury and auditors hold reads only.
 * - scope 'self': the caller's own account or sign-in; 'agency': data of one agency (the
 *   caller's, or every agency for platform-wide roles); 'platform': data of no single agency.
 *
 * A new permission is one entry here plus its grants in roles.ts; a test checks that every
 * route declares a permission from this list.
 */

export type PermissionEffect = 'read' | 'write';
export type PermissionScope = 'self' | 'agency' | 'platform';

export type PermissionDefinition = Readonly<{
  effect: PermissionEffect;
  scope: PermissionScope;
  description: string;
}>;

export const permissionCatalogue = {
  'account.self': {
    effect: 'write', scope: 'self',
    description: 'Use one\'s own public account: profile, contact details, sessions, acting ' +
      'for a dependant or a business, applying and paying.',
  },
  'staff.self': {
    effect: 'read', scope: 'self',
    description: 'See one\'s own staff home page and details.',
  },
  'applications.read': {
    effect: 'read', scope: 'agency', description: 'Read applications made to an agency.',
  },
  'applications.process': {
    effect: 'write', scope: 'agency',
    description: 'Work on applications: review, return for changes, record actions.',
  },
  'applications.decide': {
    effect: 'write', scope: 'agency', description: 'Approve or reject applications.',
  },
  'invoices.create': {
    effect: 'write', scope: 'agency', description: 'Issue invoices for an agency\'s services.',
  },
  'payments.read': {
    effect: 'read', scope: 'agency', description: 'Read invoices and payments of an agency.',
  },
  'refunds.request': {
    effect: 'write', scope: 'agency', description: 'Request a refund (the maker).',
  },
  'refunds.approve': {
    effect: 'write', scope: 'agency',
    description: 'Approve a refund another person requested (the checker).',
  },
  'settlement.read': {
    effect: 'read', scope: 'agency', description: 'Read settlement batches and remittances.',
  },
  'reports.read': {
    effect: 'read', scope: 'agency', description: 'Read collection reports and dashboards.',
  },
  'personal-data.read': {
    effect: 'read', scope: 'agency',
    description: 'Read the personal details of people who applied to an agency (audited).',
  },
  'catalogue.manage': {
    effect: 'write', scope: 'agency', description: 'Change an agency\'s services and fees.',
  },
  'agency.staff.read': {
    effect: 'read', scope: 'agency', description: 'List an agency\'s staff and their roles.',
  },
  'agency.staff.manage': {
    effect: 'write', scope: 'agency',
    description: 'Create staff and change their roles (only roles one may grant).',
  },
  'agency.onboard': {
    effect: 'write', scope: 'platform',
    description: 'Create an agency on the platform: its names, ministry, contacts and ' +
      'settlement bank account (audited).',
  },
  'agency.integration.manage': {
    effect: 'write', scope: 'agency',
    description: 'Manage an agency\'s API clients, webhooks and bill-inquiry endpoint.',
  },
  'accounts.read': {
    effect: 'read', scope: 'platform',
    description: 'Look up any public account and its register details (audited).',
  },
  'audit.read': {
    effect: 'read', scope: 'platform', description: 'Read and verify the audit log.',
  },
  'ledger.read': {
    effect: 'read', scope: 'platform',
    description: 'Read ledger accounts, balances and journal entries.',
  },
  'reconciliation.read': {
    effect: 'read', scope: 'platform', description: 'Read statements, matches and suspense.',
  },
  'reconciliation.manage': {
    effect: 'write', scope: 'platform',
    description: 'Import statements and resolve suspense items (maker-checker).',
  },
  'payment-alerts.close': {
    effect: 'write', scope: 'platform',
    description: 'Close a payment alert (a quarantined callback, an out-of-bounds ' +
      'confirmation, a disagreeing delivery) with a note, once it has been looked into ' +
      '(audited; moves no money).',
  },
  'settlement.manage': {
    effect: 'write', scope: 'platform',
    description: 'Prepare and approve settlement batches (maker-checker).',
  },
  'compliance.read': {
    effect: 'read', scope: 'agency',
    description: 'Read an agency\'s compliance register (legacy paybills, exemptions, revenue ' +
      'declared outside the platform, alerts), its notices and the compliance scorecard.',
  },
  'compliance.respond': {
    effect: 'write', scope: 'agency',
    description: 'Declare an agency\'s legacy paybills and outside revenue, and answer its ' +
      'comply-or-explain notices.',
  },
  'compliance.manage': {
    effect: 'write', scope: 'platform',
    description: 'Issue, close and reopen comply-or-explain notices; record and approve ' +
      'exemptions (maker-checker). Moves no money.',
  },
  'assisted.serve': {
    effect: 'write', scope: 'self',
    description: 'Serve a citizen as an assisted agent (cyber cafe, Huduma Centre): with ' +
      'the citizen\'s one-time consent code, apply and pay in their name (audited).',
  },
  'assisted.agents.manage': {
    effect: 'write', scope: 'platform',
    description: 'Keep the register of assisted agents and the published agent-fee caps ' +
      '(audited).',
  },
  'federation.clients.manage': {
    effect: 'write', scope: 'platform',
    description: 'Register, change and revoke the OpenID Connect clients (relying parties) of ' +
      'agency systems that sign citizens in with Huduma (audited).',
  },
} as const satisfies Readonly<Record<string, PermissionDefinition>>;

export type Permission = keyof typeof permissionCatalogue;

export const allPermissions: readonly Permission[] = Object.freeze(
  Object.keys(permissionCatalogue) as Permission[],
);

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissionCatalogue, value);
}

export function definitionOf(permission: Permission): PermissionDefinition {
  return permissionCatalogue[permission];
}
