import type { ErrorTable } from '#platform/errors/index.ts';

/** The Pesaflow-compatible checkout's failures (docs/errors.md lists each). */
export const pesaflowErrors = {
  PESAFLOW_FIELDS_INVALID: { status: 422,
    title: 'A field is missing, misspelled (the keys are case-sensitive) or not valid' },
  PESAFLOW_HASH_INVALID: { status: 403,
    title: 'The apiClientID is unknown or disabled, or the secure hash does not match' },
  PESAFLOW_SERVICE_NOT_FOUND: { status: 404,
    title: 'The serviceID is not a service of this client\'s agency' },
  PESAFLOW_BILL_REF_CONFLICT: { status: 409,
    title: 'This billRefNumber was already checked out with another amount, currency or ' +
      'service' },
  PESAFLOW_INVOICE_NOT_FOUND: { status: 404,
    title: 'This client has no invoice with that number' },
  PESAFLOW_CHECKOUT_NOT_FOUND: { status: 404, title: 'There is no such checkout' },
  PESAFLOW_CLIENT_NOT_FOUND: { status: 404, title: 'This agency has no such Pesaflow client' },
  PESAFLOW_CLIENT_NAME_INVALID: { status: 400,
    title: 'A client name must be 1 to 80 characters' },
} as const satisfies ErrorTable;

export type PesaflowErrorCode = keyof typeof pesaflowErrors;
