import type { ErrorTable } from '#platform/errors/index.ts';

/** The reconciliation module's failures (docs/errors.md lists each). */
export const reconciliationErrors = {
  RECON_STATEMENT_INVALID: {
    status: 422, title: 'The statement has a line that cannot be read; nothing was imported' },
  RECON_STATEMENT_MISSING: { status: 400, title: 'Choose a statement file (CSV) to import' },
  RECON_RUN_NOT_FOUND: { status: 404, title: 'There is no such reconciliation run' },
  RECON_PULL_FAILED: {
    status: 502, title: 'M-Pesa did not answer the transactions query; nothing was imported' },
} as const satisfies ErrorTable;

export type ReconciliationErrorCode = keyof typeof reconciliationErrors;
