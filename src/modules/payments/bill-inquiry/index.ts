/**
 * Bill inquiry (docs/bill-inquiry.md): agencies that keep their own billing register a
 * reference prefix; C2B validation of such a reference asks the agency's endpoint (signed,
 * with a timeout and a fallback), and a confirmation makes the bill's invoice so the payment
 * is allocated like any other. Configured through the agencies module's page.
 */
export { billInquiryErrors, type BillInquiryErrorCode } from './bill-inquiry-errors.ts';
export {
  listBillInquiryRoutes,
  rotateBillInquirySecret,
  saveBillInquiryRoute,
  type BillInquiryFailure,
  type SaveBillInquiryInput,
  type SavedBillInquiry,
} from './bill-inquiry-route-service.ts';
export type { BillInquiryRoute } from './bill-inquiry-repo.ts';
export {
  lookupTimeoutMsDefault,
  lookupTimeoutMsMax,
  lookupTimeoutMsMin,
} from './bill-inquiry-rules.ts';
export { lookupBody, signLookup } from './bill-inquiry-client.ts';
export type { BillInquiryFallback } from './bill-inquiry-tables.ts';
