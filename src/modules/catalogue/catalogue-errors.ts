import type { ErrorTable } from '#platform/errors/index.ts';

export const catalogueErrors = {
} as const satisfies ErrorTable;
