import type { ErrorTable } from '#platform/errors/index.ts';

/** Onboarding's failures: agencies, their services, fee changes (docs/errors.md lists each). */
export const onboardingErrors = {
  AGENCY_ONBOARDING_FORM_INVALID: {
    status: 400, title: 'Some answers on the form are missing or not valid' },
  AGENCY_ONBOARDING_SLUG_TAKEN: {
    status: 409, title: 'Another agency or service already has this name in its address' },
  AGENCY_ONBOARDING_AGENCY_NOT_FOUND: { status: 404, title: 'There is no such agency' },
  AGENCY_ONBOARDING_SERVICE_NOT_FOUND: {
    status: 404, title: 'The agency has no such service' },
  AGENCY_ONBOARDING_FORM_SCHEMA_INVALID: {
    status: 400, title: 'The application form (JSON) is not a valid form definition' },
  AGENCY_ONBOARDING_NOT_SANDBOX: {
    status: 409, title: 'Only a service in the sandbox can go live' },
  AGENCY_ONBOARDING_LIVE_NEEDS_FEE: {
    status: 409, title: 'A service goes live only with a fee in force today (0 for a free ' +
      'service)' },
  AGENCY_ONBOARDING_LIVE_NEEDS_FORM: {
    status: 409, title: 'A service goes live only with an application form' },
  AGENCY_FEE_CHANGE_INVALID: {
    status: 400, title: 'The fee change is missing an amount, a gazette reference or a valid ' +
      'effective date' },
  AGENCY_FEE_CHANGE_ALREADY_PENDING: {
    status: 409, title: 'The service already has a fee change waiting for approval' },
  AGENCY_FEE_CHANGE_NOT_FOUND: { status: 404, title: 'There is no such fee change' },
  AGENCY_FEE_CHANGE_SAME_PERSON: {
    status: 403, title: 'A fee change is approved or rejected by someone other than who ' +
      'proposed it' },
  AGENCY_FEE_CHANGE_NOT_PENDING: {
    status: 409, title: 'The fee change has already been approved or rejected' },
  AGENCY_FEE_CHANGE_DATE_PASSED: {
    status: 409, title: 'The fee change\'s effective date has passed; propose it again' },
} as const satisfies ErrorTable;

export type OnboardingErrorCode = keyof typeof onboardingErrors;
