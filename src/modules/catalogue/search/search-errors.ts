/** Search's error codes (part of the catalogue module's table; docs/errors.md lists them). */
import type { ErrorTable } from '#platform/errors/index.ts';

export const searchErrors = {
  CATALOGUE_SEARCH_MINISTRY_NOT_FOUND: {
    status: 404, title: 'No ministry has this slug; the ministry filter cannot be applied',
  },
  CATALOGUE_SEARCH_AGENCY_NOT_FOUND: {
    status: 404, title: 'No agency has this slug; the agency filter cannot be applied',
  },
} as const satisfies ErrorTable;

export type SearchErrorCode = keyof typeof searchErrors;
