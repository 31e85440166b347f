import type { ErrorTable } from '#platform/errors/index.ts';

/** Sign in with Huduma's failures (docs/errors.md lists each). */
export const federationErrors = {
  FEDERATION_CLIENT_NOT_FOUND: {
    status: 404, title: 'There is no such Sign in with Huduma client' },
  FEDERATION_AGENCY_NOT_FOUND: { status: 404, title: 'There is no agency with that id' },
  FEDERATION_CLIENT_INVALID: {
    status: 400,
    title: 'A client needs a name (1 to 80 characters), 1 to 10 redirect addresses (https, or ' +
      'http on localhost) and known scopes' },
  FEDERATION_CLIENT_REVOKED: {
    status: 409, title: 'This client was revoked; register a new one' },
  FEDERATION_INTERACTION_NOT_FOUND: {
    status: 404,
    title: 'This sign-in request has expired or was finished; start again from the service' },
} as const satisfies ErrorTable;

export type FederationErrorCode = keyof typeof federationErrors;
