import type { ErrorTable } from '#platform/errors/index.ts';

export const identityErrors = {
  IDENTITY_FORM_INVALID: { status: 400, title: 'Some answers need correcting' },
  IDENTITY_REGISTER_MISMATCH: {
    status: 422, title: 'These details do not match the population register',
  },
  IDENTITY_ALREADY_REGISTERED: { status: 409, title: 'An account already exists for this ID' },
  IDENTITY_REGISTER_UNAVAILABLE: {
    status: 503, title: 'The population register cannot be reached; try again later',
  },
  IDENTITY_CREDENTIALS_NOT_RIGHT: { status: 401, title: 'The ID number or password is not right' },
  IDENTITY_STAFF_CREDENTIALS_NOT_RIGHT: {
    status: 401, title: 'The e-mail, password or authenticator code is not right',
  },
  IDENTITY_TOO_MANY_ATTEMPTS: { status: 429, title: 'Too many attempts; wait and try again' },
  IDENTITY_SIGN_IN_BUSY: {
    status: 503, title: 'Too many people are signing in at once; try again in a few seconds',
  },
  IDENTITY_CODE_NOT_RIGHT: { status: 400, title: 'The code is not right' },
  IDENTITY_CODE_EXPIRED: { status: 410, title: 'The code has expired; ask for a new one' },
  IDENTITY_CHALLENGE_LOCKED: { status: 429, title: 'Too many wrong codes; start again' },
  IDENTITY_CHALLENGE_NOT_FOUND: { status: 404, title: 'No code is waiting; start again' },
  IDENTITY_SESSION_NOT_FOUND: { status: 404, title: 'No such session' },
  IDENTITY_REPRESENTED_ACCOUNT_NOT_FOUND: {
    status: 404, title: 'You may not act for this person or business',
  },
  IDENTITY_ACCOUNT_NOT_FOUND: { status: 404, title: 'No such account' },
  IDENTITY_STAFF_NOT_FOUND: { status: 404, title: 'No such member of staff' },
  IDENTITY_STAFF_EMAIL_TAKEN: { status: 409, title: 'A member of staff has this e-mail already' },
  IDENTITY_ROLE_NOT_GRANTABLE: { status: 403, title: 'You may not give this role' },
  IDENTITY_STAFF_NOT_MANAGEABLE: {
    status: 403, title: 'You may not deactivate or reactivate this member of staff',
  },
  IDENTITY_AGENCY_NOT_FOUND: { status: 404, title: 'No such agency' },
  IDENTITY_ENROLMENT_NOT_FOUND: {
    status: 404, title: 'This enrolment link is not valid (used, expired or mistyped)',
  },
} as const satisfies ErrorTable;

export type IdentityErrorCode = keyof typeof identityErrors;
