import type { ErrorTable } from '#platform/errors/index.ts';

/** The audit log has no HTTP surface yet; its failures are reported by `huduma audit verify`. */
export const auditErrors = {
} as const satisfies ErrorTable;
