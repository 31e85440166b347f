import type { ErrorTable } from '#platform/errors/index.ts';

/**
 * None: the emulator answers in Daraja's own error envelope ({errorCode, errorMessage}),
 * as Safaricom does, never with the platform's problem+json codes.
 */
export const darajaEmulatorErrors = {
} as const satisfies ErrorTable;
