import type { ErrorTable } from '#platform/errors/index.ts';

/** The documents module's failures (docs/errors.md lists each). */
export const documentsErrors = {
  DOCUMENTS_RECEIPT_NOT_FOUND: { status: 404, title: 'There is no such receipt' },
  DOCUMENTS_DOCUMENT_NOT_FOUND: { status: 404, title: 'There is no such document' },
  DOCUMENTS_DOCUMENT_ALREADY_REVOKED: { status: 409, title: 'The document is already revoked' },
  DOCUMENTS_REVOCATION_REASON_INVALID: {
    status: 400, title: 'A revocation needs a reason of at most 500 characters',
  },
} as const satisfies ErrorTable;

export type DocumentsErrorCode = keyof typeof documentsErrors;
