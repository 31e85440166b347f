/**
 * GET /docs (every API operation, from the OpenAPI document) and GET /docs/errors (the error
 * catalogue). The OpenAPI document exists only once the app is ready, so the summary is built
 * on the first request and kept: routes do not change while the app runs.
 */
import type { FastifyInstance } from 'fastify';
import { sendHtml } from '#web/index.ts';
import { apiDocsPaths } from './api-docs-paths.ts';
import { renderApiDocsPage, renderErrorCataloguePage } from './api-docs-views.ts';
import { readErrorCatalogue, type ErrorCatalogueEntry } from './error-catalogue.ts';
import { summariseOpenApi, type ApiSummary } from './openapi-summary.ts';

export type ApiDocsOptions = Readonly<{
  /** The app's OpenAPI document; called only after the app is ready. */
  openApiDocument: () => unknown;
  /** The error catalogue; read at registration, so a missing file stops the start. */
  errorCatalogue?: readonly ErrorCatalogueEntry[];
}>;

const pageOptions = { schema: { hide: true }, config: { access: 'public' as const } };

export async function apiDocsRoutes(app: FastifyInstance, options: ApiDocsOptions): Promise<void> {
  const errors = options.errorCatalogue ?? readErrorCatalogue();
  let summary: ApiSummary | undefined;

  app.get(apiDocsPaths.docs, pageOptions, async (request, reply) => {
    summary ??= summariseOpenApi(options.openApiDocument());
    return sendHtml(reply, renderApiDocsPage(request.pageContext(), summary, errors.length));
  });

  app.get(apiDocsPaths.errors, pageOptions, async (request, reply) =>
    sendHtml(reply, renderErrorCataloguePage(request.pageContext(), errors)));
}
