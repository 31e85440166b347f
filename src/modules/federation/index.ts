/**
 * Sign in with Huduma (docs/federation.md): Huduma as an OpenID Provider for agency systems.
 * The protocol is oidc-provider's (OpenID Certified), mounted under /oidc (provider-routes.ts,
 * docs/decisions/0015-openid-provider.md); ours are the storage (oidc-adapter.ts), the
 * clients platform administrators register per agency (client-service.ts, staff pages), the
 * login and consent pages (interaction-routes.ts) and the claims released (federation-claims).
 */
import type { HudumaModule, ModuleDeps } from '#platform/module.ts';
import { clientRoutes } from './client-routes.ts';
import { federationErrors } from './federation-errors.ts';
import { loadProviderKeys } from './federation-keys.ts';
import { federationPaths } from './federation-paths.ts';
import { interactionRoutes } from './interaction-routes.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { purgeExpiredRecords } from './oidc-adapter.ts';
import { createProvider } from './provider.ts';
import { providerRoutes } from './provider-routes.ts';

export { federationErrors, type FederationErrorCode } from './federation-errors.ts';
export { federationPaths } from './federation-paths.ts';
export { federationScopes, scopeClaims } from './federation-scopes.ts';
export type { FederationTables } from './federation-tables.ts';
export { listClients, registerClient, revokeClient, rotateClientSecret,
  type ClientView, type NewClient } from './client-service.ts';
export { purgeExpiredRecords } from './oidc-adapter.ts';

/** Expired provider records are deleted this often. */
export const purgeEveryMs = 15 * 60 * 1000;

/** The provider's issuer: the platform's public address followed by /oidc. */
export function issuerOf(deps: Pick<ModuleDeps, 'config'>): string {
  return `${deps.config.publicBaseUrl.replace(/\/+$/, '')}${federationPaths.providerMount}`;
}

export const federationModule: HudumaModule = {
  name: 'federation',
  errors: federationErrors,
  messages: { en, sw },
  staffNavigation: [{ href: federationPaths.clients, labelKey: 'federation.nav',
    permission: 'federation.clients.manage' }],
  routes: async (app, deps) => {
    const op = createProvider({ ...deps, issuer: issuerOf(deps),
      keys: await loadProviderKeys(deps.config),
      behindProxy: deps.config.trustedProxies.length > 0 });
    await providerRoutes(app, op);
    await interactionRoutes(app, deps, op);
    await clientRoutes(app, deps);
  },
  periodicJobs: (deps) => [{ name: 'federation.purge-expired', everyMs: purgeEveryMs,
    run: async () => {
      await purgeExpiredRecords(deps, deps.clock.now());
    } }],
};
