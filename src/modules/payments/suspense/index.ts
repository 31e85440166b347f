/**
 * Suspense resolution inside payments (it moves payments' own rows): the register pages and
 * the maker-checker match (docs/suspense.md). Payments' index.ts re-exports what others use.
 */
export { suspenseErrors, type SuspenseErrorCode } from './suspense-errors.ts';
export type { SuspenseMatchRow } from './suspense-repo.ts';
export { suspensePageRoutes } from './suspense-routes.ts';
export {
  decideSuspenseMatch,
  findMatchCandidate,
  proposeSuspenseMatch,
  type MatchCandidate,
  type SuspenseFailure,
} from './suspense-service.ts';
export type { SuspenseTables } from './suspense-tables.ts';
export { suspensePaths } from './suspense-views.ts';
export { default as suspenseEn } from './locales/en.json' with { type: 'json' };
export { default as suspenseSw } from './locales/sw.json' with { type: 'json' };
