import type { ErrorTable } from '#platform/errors/index.ts';

/** The applications module's failures (docs/errors.md lists each). */
export const applicationsErrors = {
  APPLICATION_NOT_FOUND: { status: 404, title: 'There is no such application' },
  APPLICATION_FORM_NOT_AVAILABLE: {
    status: 404, title: 'This service cannot be applied for online',
  },
  APPLICATION_ACTION_NOT_ALLOWED: {
    status: 409, title: 'That cannot be done to the application now',
  },
  APPLICATION_ANSWERS_INCOMPLETE: {
    status: 422, title: 'Some answers are missing or not valid',
  },
  APPLICATION_SECOND_PARTY_NOT_FOUND: {
    status: 422, title: 'No Huduma account has the second party\'s ID number',
  },
  APPLICATION_SECOND_PARTY_NOT_CONFIRMED: {
    status: 409, title: 'The second party has not confirmed these answers yet',
  },
  APPLICATION_COMMENT_REQUIRED: {
    status: 422, title: 'Say what the applicant must change, or why it is refused',
  },
  APPLICATION_ALREADY_RATED: { status: 409, title: 'This application has been rated already' },
} as const satisfies ErrorTable;

export type ApplicationsErrorCode = keyof typeof applicationsErrors;
