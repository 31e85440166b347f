/**
 * API documentation for people: /docs lists every operation of the OpenAPI document, grouped
 * by tag, and /docs/errors renders the error catalogue that problem responses link to.
 * Depends on no other module.
 */
import type { HudumaModule } from '#platform/module.ts';
import { apiDocsErrors } from './api-docs-errors.ts';
import { apiDocsRoutes } from './api-docs-routes.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };

export { apiDocsPaths } from './api-docs-paths.ts';

export const apiDocsModule: HudumaModule = {
  name: 'api-docs',
  errors: apiDocsErrors,
  messages: { en, sw },
  routes: async (app) => {
    await apiDocsRoutes(app, { openApiDocument: () => app.swagger() });
  },
};
