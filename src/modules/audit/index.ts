/**
 * The audit log: append-only and hash-chained. Every sign-in, failed sign-in, role change,
 * state change and privileged read of personal data is recorded in the transaction of the
 * change itself (recordAuditInTrx); `huduma audit verify` walks the chain.
 */
import type { HudumaModule } from '#platform/module.ts';
import { auditErrors } from './audit-errors.ts';
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
  type AuditChainReport,
} from './audit-repo.ts';
export type { AuditTables } from './audit-tables.ts';

export const auditModule: HudumaModule = {
  name: 'audit',
  errors: auditErrors,
  messages: { en, sw },
};
