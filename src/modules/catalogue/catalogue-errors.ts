import type { ErrorTable } from '#platform/errors/index.ts';

export const catalogueErrors = {
  CATALOGUE_MINISTRY_NOT_FOUND: { status: 404, title: 'There is no such ministry' },
  CATALOGUE_AGENCY_NOT_FOUND: { status: 404, title: 'There is no such agency' },
  CATALOGUE_SERVICE_NOT_FOUND: { status: 404, title: 'There is no such service' },
  CATALOGUE_FEE_NOT_IN_FORCE: {
    status: 409, title: 'The service has no fee in force on this date',
  },
  CATALOGUE_ACCESS_FEE_NOT_IN_FORCE: {
    status: 409, title: 'No gazetted access fee covers this amount on this date',
  },
  CATALOGUE_IMPORT_FILE_UNREADABLE: {
    status: 422, title: 'A file of the catalogue dataset is missing or cannot be read',
  },
  CATALOGUE_IMPORT_FILE_MALFORMED: {
    status: 422, title: 'A file of the catalogue dataset is not valid CSV of the expected shape',
  },
} as const satisfies ErrorTable;

export type CatalogueErrorCode = keyof typeof catalogueErrors;
