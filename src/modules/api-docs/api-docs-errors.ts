import type { ErrorTable } from '#platform/errors/index.ts';

/** The documentation pages fail only as any page does (platform codes). */
export const apiDocsErrors = {} as const satisfies ErrorTable;
