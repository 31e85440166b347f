/** The catalogue's pages (home, search, browse, service, about). STUB until the pages land. */
import type { FastifyInstance } from 'fastify';
import type { ModuleDeps } from '#platform/module.ts';
import type { ServiceSearch } from '../search/index.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export const pageMessages = { en, sw };

export async function pageRoutes(
  _app: FastifyInstance,
  _deps: ModuleDeps & { search: ServiceSearch },
): Promise<void> {
  // Pages land here.
}
