import type { ErrorTable } from '#platform/errors/index.ts';

/** The compliance register's failures (docs/errors.md lists each). */
export const complianceErrors = {
  COMPLIANCE_AGENCY_NOT_FOUND: { status: 404, title: 'There is no such agency' },
  COMPLIANCE_PAYBILL_NUMBER_INVALID: {
    status: 400, title: 'A paybill number is 5 to 7 digits' },
  COMPLIANCE_PAYBILL_NAME_REQUIRED: {
    status: 400, title: 'Give the paybill\'s account name (at most 200 characters)' },
  COMPLIANCE_DATE_INVALID: { status: 400, title: 'Give a real date, written YYYY-MM-DD' },
  COMPLIANCE_PAYBILL_ALREADY_DECLARED: {
    status: 409, title: 'This paybill is already declared for the agency' },
  COMPLIANCE_PAYBILL_NOT_FOUND: { status: 404, title: 'There is no such legacy paybill' },
  COMPLIANCE_PAYBILL_ALREADY_CLOSED: {
    status: 409, title: 'This paybill is already recorded as closed' },
  COMPLIANCE_MONTH_INVALID: {
    status: 400, title: 'Give a month, written YYYY-MM, that is not in the future' },
  COMPLIANCE_AMOUNT_INVALID: {
    status: 400, title: 'Give an amount in shillings (or dollars), with at most two decimals' },
  COMPLIANCE_TEXT_REQUIRED: {
    status: 400, title: 'Fill in every text field, within its length limit' },
  COMPLIANCE_SERVICE_NOT_FOUND: {
    status: 400, title: 'The agency has no such service' },
  COMPLIANCE_EXEMPTION_NOT_FOUND: { status: 404, title: 'There is no such exemption' },
  COMPLIANCE_EXEMPTION_ALREADY_APPROVED: {
    status: 409, title: 'This exemption is already approved' },
  COMPLIANCE_EXEMPTION_RECORDER_CANNOT_APPROVE: {
    status: 403, title: 'The person who recorded an exemption cannot approve it' },
  COMPLIANCE_NOTICE_NOT_FOUND: { status: 404, title: 'There is no such notice' },
  COMPLIANCE_NOTICE_STATE_CONFLICT: {
    status: 409, title: 'The notice is not in a state that allows this (it changed meanwhile?)' },
  COMPLIANCE_DATE_NOT_FUTURE: {
    status: 400, title: 'The date (a deadline, an expiry) must be after today' },
  COMPLIANCE_DATE_IN_FUTURE: {
    status: 400, title: 'A paybill cannot be recorded as closed on a day still to come' },
} as const satisfies ErrorTable;

export type ComplianceErrorCode = keyof typeof complianceErrors;
