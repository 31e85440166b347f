import type { ErrorTable } from '#platform/errors/index.ts';

/** Failures of the USSD gateway endpoint (docs/errors.md lists each). */
export const ussdErrors = {
  USSD_GATEWAY_SOURCE_REFUSED: {
    status: 403, title: 'The USSD gateway called from an address it is not allowed to use' },
} as const satisfies ErrorTable;

export type UssdErrorCode = keyof typeof ussdErrors;
