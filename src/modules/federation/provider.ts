/**
 * The OpenID Provider (oidc-provider, OpenID Certified): its configuration for Huduma. The
 * protocol is the library's; what is ours is here: the issuer (public base URL + /oidc),
 * the signing key, storage (oidc-adapter.ts), clients (client-service.ts), scopes and claims,
 * PKCE required, refresh tokens rotated, our own interaction pages, and the link between the
 * provider's session and the Huduma sign-in (a citizen signed out of Huduma, or signed in as
 * someone else, is asked to sign in again before any client is answered).
 */
import Provider, { interactionPolicy, type Account,
  type KoaContextWithOIDC } from 'oidc-provider';
import type { ModuleDeps } from '#platform/module.ts';
import { adapterFor, type AdapterDeps } from './oidc-adapter.ts';
import { claimsOf } from './federation-claims.ts';
import { federationPaths } from './federation-paths.ts';
import type { ProviderKeys } from './federation-keys.ts';
import { scopeClaims } from './federation-scopes.ts';
import { providerPages } from './provider-pages.ts';
import type { ProviderRequests } from './provider-requests.ts';

export type { RequestContext } from './provider-requests.ts';

export type ProviderDeps = AdapterDeps & Pick<ModuleDeps, 'logger'> & Readonly<{
  issuer: string;
  keys: ProviderKeys;
  /** Believe X-Forwarded-Proto and -Host (a reverse proxy in front of the app). */
  behindProxy: boolean;
}>;

export type HudumaProvider = Readonly<{
  provider: Provider;
  /** Filled by the routes before each request reaches the provider. */
  requests: ProviderRequests;
}>;

/** Lifetimes in seconds. */
export const providerTtl = {
  AccessToken: 10 * 60,
  AuthorizationCode: 60,
  IdToken: 10 * 60,
  RefreshToken: 14 * 24 * 60 * 60,
  Interaction: 15 * 60,
  Session: 12 * 60 * 60,
  Grant: 14 * 24 * 60 * 60,
} as const;

function accountOf(requests: HudumaProvider['requests'], ctx: KoaContextWithOIDC):
  string | undefined {
  const actor = requests.get(ctx.req)?.actor;
  return actor?.kind === 'account' ? actor.accountId : undefined;
}

/** The login prompt also asks when the Huduma sign-in is not the provider session's. */
function policyFor(requests: HudumaProvider['requests']) {
  const policy = interactionPolicy.base();
  policy.get('login')?.checks.push(new interactionPolicy.Check('huduma_session',
    'the Huduma sign-in is not the session\'s', (ctx) => {
      const accountId = accountOf(requests, ctx);
      return accountId === undefined || accountId !== ctx.oidc.session?.accountId;
    }));
  return policy;
}

export function createProvider(deps: ProviderDeps): HudumaProvider {
  const requests: ProviderRequests = new WeakMap();
  const pages = providerPages(requests);
  const provider = new Provider(deps.issuer, {
    adapter: adapterFor(deps),
    jwks: deps.keys.jwks,
    cookies: { keys: [...deps.keys.cookieKeys],
      names: { session: 'huduma_oidc_session', interaction: 'huduma_oidc_interaction',
        resume: 'huduma_oidc_resume' } },
    claims: scopeClaims,
    scopes: ['openid', 'offline_access', 'profile', 'phone', 'id_number'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic'],
    responseTypes: ['code'],
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: pages.logoutSource,
        postLogoutSuccessSource: pages.postLogoutSuccessSource },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
    },
    interactions: { policy: policyFor(requests),
      url: (_ctx: unknown, interaction: { uid: string }) =>
        federationPaths.interaction(interaction.uid) },
    findAccount: (ctx: KoaContextWithOIDC, sub: string): Account => ({
      accountId: sub,
      claims: async (_use, scope) => claimsOf(deps, {
        accountId: sub, scope, clientId: ctx.oidc.client?.clientId ?? '',
        sourceAddress: ctx.req.socket.remoteAddress ?? null }),
    }),
    rotateRefreshToken: () => true,
    ttl: providerTtl,
    renderError: pages.renderError,
  });
  provider.proxy = deps.behindProxy;
  // The library answers server_error itself; the log keeps what failed (never the request).
  provider.on('server_error', (_ctx, error) => {
    deps.logger.error({ err: { name: (error as Error).name, message: (error as Error).message,
      stack: (error as Error).stack } }, 'sign in with huduma: provider error');
  });
  return { provider, requests };
}
