import type { ErrorTable } from '#platform/errors/index.ts';

/** Failures of suspense resolution (docs/errors.md lists each). */
export const suspenseErrors = {
  PAY_SUSPENSE_PAYMENT_NOT_FOUND: { status: 404, title: 'There is no such payment' },
  PAY_SUSPENSE_PAYMENT_NOT_HELD: {
    status: 409, title: 'This payment is no longer held in suspense' },
  PAY_SUSPENSE_MATCH_ALREADY_PROPOSED: {
    status: 409, title: 'A match is already proposed for this payment; decide that one first' },
  PAY_SUSPENSE_INVOICE_NOT_FOUND: { status: 404, title: 'No invoice has this bill reference' },
  PAY_SUSPENSE_INVOICE_NOT_PAYABLE: {
    status: 409,
    title: 'This invoice cannot take the payment (paid, cancelled, expired or another currency)' },
  PAY_SUSPENSE_MATCH_NOT_FOUND: { status: 404, title: 'There is no such proposed match' },
  PAY_SUSPENSE_MATCH_ALREADY_DECIDED: {
    status: 409, title: 'This match was already approved or rejected; the first decision stands' },
  PAY_SUSPENSE_MATCH_SAME_PERSON: {
    status: 403,
    title: 'A match must be decided by someone other than the person who proposed it' },
} as const satisfies ErrorTable;

export type SuspenseErrorCode = keyof typeof suspenseErrors;
