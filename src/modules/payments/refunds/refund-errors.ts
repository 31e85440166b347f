import type { ErrorTable } from '#platform/errors/index.ts';

/** Failures of refunds (docs/errors.md lists each). */
export const refundErrors = {
  PAY_REFUND_NOT_FOUND: { status: 404, title: 'There is no such refund' },
  PAY_REFUND_SOURCE_NOT_FOUND: {
    status: 404, title: 'There is no such payment or payer to refund' },
  PAY_REFUND_NOT_REFUNDABLE: {
    status: 409, title: 'This payment cannot be refunded (it paid an invoice or was refunded)' },
  PAY_REFUND_AMOUNT_INVALID: {
    status: 422,
    title: 'The refund must be whole shillings, more than zero and within the credit' },
  PAY_REFUND_CREDIT_INSUFFICIENT: {
    status: 409, title: 'The credit or suspense receipt no longer holds this amount' },
  PAY_REFUND_NOTE_REQUIRED: {
    status: 400, title: 'A refund for another reason needs a note of 1 to 1,000 characters' },
  PAY_REFUND_NO_PHONE: {
    status: 409, title: 'The payer has no registered phone number to pay the refund to' },
  PAY_REFUND_SAME_PERSON: {
    status: 403, title: 'A refund must be approved by someone other than who requested it' },
  PAY_REFUND_NOT_YOURS: {
    status: 403, title: 'This refund is of another agency\'s or another payer\'s money' },
  PAY_REFUND_WRONG_STATE: {
    status: 409, title: 'The refund is not in a state that allows this (look at it again)' },
  PAY_REFUND_IN_FLIGHT: {
    status: 409, title: 'A payment of this refund is still in progress; wait for its result' },
  PAY_REFUND_INVOICE_NOT_PAID: {
    status: 409, title: 'Only a bill paid in full can be refunded as paid for the wrong service' },
  PAY_REFUND_INVOICE_NOT_RELEASED: {
    status: 409,
    title: 'This bill\'s application goes on: it is refunded once cancelled or rejected' },
  PAY_REFUND_INVOICE_WITHDRAWN: {
    status: 409, title: 'This bill has already been refunded (its money is the payer\'s credit)' },
  PAY_REFUND_INVOICE_PENDING: {
    status: 409, title: 'A refund of this bill has already been requested' },
  PAY_REFUND_INVOICE_SETTLED: {
    status: 409,
    title: 'The agency has already been paid this bill\'s money: the refund cannot take it back' },
} as const satisfies ErrorTable;

export type RefundErrorCode = keyof typeof refundErrors;
