/** Where the API documentation lives. The OpenAPI document itself is served by app.ts. */
import { errorAnchor } from './error-catalogue.ts';

export const apiDocsPaths = {
  docs: '/docs',
  errors: '/docs/errors',
  error: (code: string): string => `/docs/errors#${errorAnchor(code)}`,
  openApiDocument: '/docs/openapi.json',
} as const;
