import type { ErrorTable } from '#platform/errors/index.ts';

/** The assisted service's failures (docs/errors.md, "Assisted service", lists each). */
export const assistedErrors = {
  ASSISTED_AGENT_NOT_REGISTERED: {
    status: 409, title: 'This agent is not in the agent register yet' },
  ASSISTED_AGENT_STAFF_NOT_FOUND: {
    status: 404, title: 'There is no active member of staff with the assisted-agent role and ' +
      'that e-mail address' },
  ASSISTED_AGENT_NUMBER_TAKEN: {
    status: 409, title: 'That agent number, or that member of staff, is already registered' },
  ASSISTED_AGENT_INVALID: {
    status: 400, title: 'An agent needs a number (3 to 20 capitals, digits, hyphens), a name ' +
      'and a location of 1 to 120 characters, and a kind' },
  ASSISTED_CITIZEN_NOT_FOUND: {
    status: 404, title: 'No citizen account has that ID number or phone number' },
  ASSISTED_CITIZEN_AMBIGUOUS: {
    status: 409, title: 'More than one account has that phone number: ask for the ID number' },
  ASSISTED_CITIZEN_HAS_NO_PHONE: {
    status: 409, title: 'The citizen has no phone number on their account to send the code to' },
  ASSISTED_CONSENT_RATE_LIMITED: {
    status: 429, title: 'Too many consent codes were sent lately: wait a few minutes' },
  ASSISTED_CONSENT_NOT_FOUND: {
    status: 404, title: 'There is no such consent request of this agent' },
  ASSISTED_CONSENT_CODE_WRONG: {
    status: 422, title: 'That is not the code sent to the citizen' },
  ASSISTED_CONSENT_EXPIRED: {
    status: 410, title: 'The code has expired or was tried too often: send a new one' },
  ASSISTED_SESSION_NOT_ACTIVE: {
    status: 410, title: 'The assisted session has ended: ask the citizen to consent again' },
  ASSISTED_SERVICE_NOT_AVAILABLE: {
    status: 404, title: 'There is no such service with a fee to pay' },
  ASSISTED_SERVICE_NEEDS_FORM: {
    status: 409, title: 'This service is applied for on its form: the agent fills in the ' +
      'citizen\'s application, and its bill is made when it is submitted' },
  ASSISTED_FEE_INVALID: {
    status: 400, title: 'The agent fee must be an amount in shillings, such as 50 or 50.00' },
  ASSISTED_FEE_ABOVE_CAP: {
    status: 422, title: 'The agent fee is above the cap in the published agent-fee table' },
  ASSISTED_FEE_NO_CAP: {
    status: 409, title: 'The agent-fee table has no cap for this service yet' },
  ASSISTED_CAP_INVALID: {
    status: 400, title: 'A cap needs an amount in shillings and a date (YYYY-MM-DD) from today' },
  ASSISTED_CAP_EXISTS: {
    status: 409, title: 'A cap for this service from that date is already published' },
  ASSISTED_TRANSACTION_NOT_FOUND: {
    status: 404, title: 'There is no such bill in this assisted session' },
  ASSISTED_FORM_NEEDS_UPLOADS: {
    status: 409, title: 'This service\'s form asks for files, which the citizen uploads on ' +
      'their own account; agents fill forms without uploads' },
  ASSISTED_FORM_NEEDS_SECOND_PARTY: {
    status: 409, title: 'This service\'s form needs a second person to confirm it, which the ' +
      'citizen does on their own account' },
  ASSISTED_APPLICATION_NOT_FOUND: {
    status: 404, title: 'There is no such application in this assisted session' },
  ASSISTED_APPLICATION_NOT_EDITABLE: {
    status: 409, title: 'This application can no longer be changed' },
  ASSISTED_APPLICATION_NOT_SUBMITTED: {
    status: 409, title: 'The application could not be submitted: check the answers' },
  ASSISTED_CITIZEN_PHONE_NOT_ON_FILE: {
    status: 409, title: 'The payment prompt goes only to the citizen\'s registered phone, and ' +
      'there is none' },
} as const satisfies ErrorTable;

export type AssistedErrorCode = keyof typeof assistedErrors;
