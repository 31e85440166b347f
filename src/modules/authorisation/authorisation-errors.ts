import type { ErrorTable } from '#platform/errors/index.ts';

export const authorisationErrors = {
  AUTHORISATION_SIGN_IN_REQUIRED: { status: 401, title: 'Sign in to continue' },
  AUTHORISATION_PERMISSION_DENIED: { status: 403, title: 'You may not do this' },
  AUTHORISATION_CSRF_TOKEN_INVALID: {
    status: 403, title: 'The form has expired; go back, reload the page and try again',
  },
} as const satisfies ErrorTable;

export type AuthorisationErrorCode = keyof typeof authorisationErrors;
