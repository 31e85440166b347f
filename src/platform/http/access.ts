/**
 * Every route declares who may call it, in its options: `config: { access: ... }`.
 * A route without a declaration fails at start-up, so none can be forgotten. The identity
 * module enforces the declarations (sessions, roles, agency scope); see docs/architecture.md.
 *
 * - 'public': anyone, signed in or not (catalogue pages, health, assets).
 * - 'provider-callback': a payment provider calling back (checked by secret path token and
 *   source-address allow-list in the payments module, not by a session).
 * - { permission }: a signed-in person or an API client holding that permission.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';

export type RouteAccess = 'public' | 'provider-callback' | Readonly<{ permission: string }>;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export function requireAccessDeclarations(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = route.config as { access?: RouteAccess } | undefined;
    if (config?.access === undefined) {
      const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
      throw new Error(`route ${methods} ${route.url} declares no access: add config.access`);
    }
  });
}
