/** The contract between the search engine and its users (the JSON API and the pages). */
import type { Language } from '#web/index.ts';

export type ServiceSearchQuery = Readonly<{
  /** What the person typed; may be empty (then: browse everything, by name). */
  text: string;
  ministrySlug?: string;
  agencySlug?: string;
  /** 1-based. */
  page: number;
  pageSize: number;
  language: Language;
}>;

export type ServiceSearchHit = Readonly<{
  id: string;
  slug: string;
  /** In the query's language, English where no translation exists. */
  name: string;
  summary: string | null;
  agencyName: string;
  agencySlug: string;
  ministryName: string;
  ministrySlug: string;
}>;

export type ServiceSearchResult = Readonly<{
  items: readonly ServiceSearchHit[];
  total: number;
  page: number;
  pageSize: number;
  /**
   * Set when a filter names no known ministry or agency (then items is empty and total 0):
   * the JSON API answers 404 with CATALOGUE_SEARCH_MINISTRY_NOT_FOUND / _AGENCY_NOT_FOUND.
   */
  unknownFilter?: 'ministry' | 'agency';
}>;

export type ServiceSearch = Readonly<{
  search: (query: ServiceSearchQuery) => Promise<ServiceSearchResult>;
  /** Re-reads the catalogue after it changed (an import, a new service). */
  refresh: () => Promise<void>;
}>;
