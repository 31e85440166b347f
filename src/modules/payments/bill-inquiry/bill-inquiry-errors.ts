import type { ErrorTable } from '#platform/errors/index.ts';

/** Failures of configuring bill inquiry (docs/errors.md lists each). */
export const billInquiryErrors = {
  PAY_BILL_INQUIRY_PREFIX_INVALID: {
    status: 400, title: 'A bill reference prefix is 2 or 3 symbols of 0-9 and A-Z without I, L, ' +
      'O and U' },
  PAY_BILL_INQUIRY_PREFIX_TAKEN: {
    status: 409, title: 'Another agency has registered this bill reference prefix' },
  PAY_BILL_INQUIRY_PREFIX_FIXED: {
    status: 409, title: 'A registered prefix cannot change: bills already issued carry it' },
  PAY_BILL_INQUIRY_URL_INVALID: {
    status: 400, title: 'The bill lookup address must be an https:// address of at most 2,000 ' +
      'characters' },
  PAY_BILL_INQUIRY_TIMEOUT_INVALID: {
    status: 400, title: 'The lookup timeout must be a whole number of milliseconds from 100 to ' +
      '5,000' },
  PAY_BILL_INQUIRY_SERVICE_NOT_FOUND: {
    status: 400, title: 'Choose one of the agency\'s own services for its bills' },
  PAY_BILL_INQUIRY_AGENCY_REQUIRED: {
    status: 400, title: 'Name the agency the bill inquiry belongs to' },
  PAY_BILL_INQUIRY_NOT_FOUND: {
    status: 404, title: 'This agency has no bill inquiry configured' },
} as const satisfies ErrorTable;

export type BillInquiryErrorCode = keyof typeof billInquiryErrors;
