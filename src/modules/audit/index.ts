/**
 * The audit log: append-only and hash-chained. Every sign-in, failed sign-in, role change,
 * state change and privileged read of personal data is recorded in the transaction of the
 * change itself (recordAuditInTrx); `huduma audit verify` walks the chain. Auditors browse it
 * and run the tamper check at /staff/audit (docs/auditors.md).
 */
import type { HudumaModule } from '#platform/module.ts';
import { registerStaffHomePanel } from '#web/index.ts';
import { auditErrors } from './audit-errors.ts';
import { auditHomePanel } from './audit-home-panel.ts';
import { auditRoutes } from './audit-routes.ts';
import { auditPaths } from './audit-views.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export {
  canonicalAuditRecord,
  genesisHash,
  hashAuditRecord,
  type AuditActor,
  type AuditDetail,
  type AuditDetailValue,
  type AuditEvent,
  type AuditRecord,
} from './audit-chain.ts';
export {
  listAuditForSubject,
  listAuditRecords,
  recordAuditInTrx,
  recordAuditsInTrx,
  verifyAuditChain,
  verifyAuditChainSegment,
  type AuditChainReport,
} from './audit-repo.ts';
export { auditPaths } from './audit-views.ts';
export type { AuditTables } from './audit-tables.ts';

export const auditModule: HudumaModule = {
  name: 'audit',
  errors: auditErrors,
  messages: { en, sw },
  staffNavigation: [{ href: auditPaths.browser, labelKey: 'audit.nav', permission: 'audit.read' }],
  routes: async (app, deps) => {
    await auditRoutes(app, deps);
    registerStaffHomePanel(app, { id: 'audit.home', order: 2, render: auditHomePanel });
  },
};
