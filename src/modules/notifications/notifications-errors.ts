import type { ErrorTable } from '#platform/errors/index.ts';

/** Notifications answer no citizen request with an error of their own yet. */
export const notificationsErrors = {
} as const satisfies ErrorTable;
