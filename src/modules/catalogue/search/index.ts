/**
 * Service search: an in-process index over the catalogue, chosen by measurement
 * (docs/decisions/0001-search-engine.md), and the JSON API GET /api/v1/services.
 */
export type {
  ServiceSearch,
  ServiceSearchHit,
  ServiceSearchQuery,
  ServiceSearchResult,
} from './search-types.ts';
export { searchErrors } from './search-errors.ts';
export { searchPaths, searchRoutes } from './search-routes.ts';
export {
  createServiceSearch,
  pageMax,
  pageSizeDefault,
  pageSizeMax,
  type InProcessServiceSearch,
  type SearchStatus,
  type ServiceSearchOptions,
} from './search-service.ts';
export { queryLengthMax } from './search-text.ts';
