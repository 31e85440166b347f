import type { ErrorTable } from '#platform/errors/index.ts';

/** The reporting module's failures (docs/errors.md lists each). */
export const reportingErrors = {
  REPORTING_PERIOD_INVALID: {
    status: 400,
    title: 'The period must be two dates (from on or before to), at most 366 days apart' },
} as const satisfies ErrorTable;

export type ReportingErrorCode = keyof typeof reportingErrors;
