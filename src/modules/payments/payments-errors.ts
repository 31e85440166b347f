import type { ErrorTable } from '#platform/errors/index.ts';

/** The payments module's failures (docs/errors.md lists each). */
export const paymentsErrors = {
  PAY_BILL_REFERENCE_INVALID: {
    status: 400, title: 'This is not a valid bill reference (check for a typing mistake)' },
  PAY_INVOICE_NOT_FOUND: { status: 404, title: 'No invoice has this bill reference' },
  PAY_SERVICE_IS_FREE: { status: 409, title: 'This service is free: there is nothing to pay' },
  PAY_INVOICE_NOT_PAYABLE: {
    status: 409, title: 'This invoice cannot take a payment (paid, cancelled or expired)' },
  PAY_INVOICE_NOT_CANCELLABLE: {
    status: 409, title: 'Only an unpaid invoice can be cancelled' },
  PAY_INVOICE_OF_ANOTHER_PAYER: { status: 403, title: 'This invoice belongs to another payer' },
  PAY_CREDIT_NOT_AVAILABLE: {
    status: 409, title: 'There is no credit on the account to pay this invoice with' },
  PAY_AMOUNT_NOT_ACCEPTED: { status: 422, title: 'The invoice cannot take this amount' },
  PAY_PHONE_NUMBER_INVALID: {
    status: 400, title: 'The phone number must be a Kenyan mobile number like 0712 345 678' },
  PAY_STK_PUSH_NOT_FOUND: { status: 404, title: 'There is no such M-Pesa payment request' },
  PAY_STK_PUSH_NOT_SENT: {
    status: 502, title: 'M-Pesa did not accept the payment request; nothing was charged' },
  PAY_MPESA_CALLBACK_SOURCE_REFUSED: {
    status: 403, title: 'Callbacks are not accepted from this address' },
  PAY_ALERT_NOT_FOUND: { status: 404, title: 'There is no such payment alert' },
  PAY_ALERT_ALREADY_CLOSED: {
    status: 409, title: 'This payment alert was already closed; the first closing note stands' },
  PAY_ALERT_NOTE_REQUIRED: {
    status: 400, title: 'Closing a payment alert needs a note of 1 to 1,000 characters' },
} as const satisfies ErrorTable;

export type PaymentsErrorCode = keyof typeof paymentsErrors;
