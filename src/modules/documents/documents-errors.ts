import type { ErrorTable } from '#platform/errors/index.ts';

/** The documents module's failures (docs/errors.md lists each). */
export const documentsErrors = {
  DOCUMENTS_RECEIPT_NOT_FOUND: { status: 404, title: 'There is no such receipt' },
} as const satisfies ErrorTable;

export type DocumentsErrorCode = keyof typeof documentsErrors;
