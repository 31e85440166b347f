/**
 * The catalogue's pages: home, search, browse by ministry and agency, the service page, the
 * "apply" placeholder and the about page (with the data attribution).
 */
import type { FastifyInstance } from 'fastify';
import type { ModuleNavigationItem } from '#platform/module.ts';
import { cataloguePaths } from './catalogue-paths.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import type { PageDeps } from './page-responses.ts';
import { catalogueRoutes } from './page-routes.ts';

export { cataloguePaths } from './catalogue-paths.ts';
export type { PageDeps } from './page-responses.ts';

export const pageMessages = { en, sw };

export const pageNavigation: readonly ModuleNavigationItem[] = [
  { href: cataloguePaths.search(), labelKey: 'cataloguePages.navigation.services' },
  { href: cataloguePaths.ministries, labelKey: 'cataloguePages.navigation.ministries' },
  { href: cataloguePaths.about, labelKey: 'cataloguePages.navigation.about' },
];

export async function pageRoutes(app: FastifyInstance, deps: PageDeps): Promise<void> {
  await catalogueRoutes(app, deps);
}
