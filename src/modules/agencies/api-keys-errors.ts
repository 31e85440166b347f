import type { ErrorTable } from '#platform/errors/index.ts';

/** The agency integration's failures (docs/errors.md lists each). */
export const apiKeysErrors = {
  AGENCY_API_KEY_NOT_FOUND: { status: 404, title: 'There is no such API key of this agency' },
  AGENCY_API_KEY_NAME_INVALID: {
    status: 400, title: 'A key name must be 1 to 80 characters' },
  AGENCY_REVOKE_TIME_INVALID: {
    status: 400, title: 'A key can be revoked now or at a time within the next 30 days' },
  AGENCY_INVOICE_NOT_FOUND: {
    status: 404, title: 'This agency has no invoice with that reference' },
  AGENCY_REFERENCE_CONFLICT: {
    status: 409,
    title: 'This agency reference was already used for a different invoice request' },
  AGENCY_SERVICE_NOT_FOUND: {
    status: 404, title: 'This agency has no such service' },
  AGENCY_SCOPE_REQUIRED: {
    status: 403,
    title: 'The integration API answers for one agency: call it with that agency\'s API key' },
  AGENCY_CURSOR_INVALID: { status: 400, title: 'The cursor is not one this API returned' },
} as const satisfies ErrorTable;

export type ApiKeysErrorCode = keyof typeof apiKeysErrors;
