/**
 * The Sign in with Huduma part of the configuration (docs/federation.md): the OpenID
 * Provider's signing key. The issuer is the public base URL followed by /oidc.
 */
import type { Env } from './config-readers.ts';

export type FederationConfig = Readonly<{
  /**
   * The provider's ID token signing key: PKCS8 PEM of an RSA (2048 bits or more) or P-256
   * key (HUDUMA_OIDC_SIGNING_KEY); required in production. Unset elsewhere: generated and
   * kept in the data folder (memory in tests), so restarts keep the published JWKS.
   */
  signingKey: string | undefined;
}>;

export function readFederationConfig(env: Env, problems: string[]): FederationConfig {
  const raw = env.HUDUMA_OIDC_SIGNING_KEY;
  if (raw === undefined || raw.trim() === '') return Object.freeze({ signingKey: undefined });
  // Never echo the value: it is a private key. Its kind is checked when the module starts.
  if (!raw.trim().startsWith('-----BEGIN PRIVATE KEY-----')) {
    problems.push('HUDUMA_OIDC_SIGNING_KEY must be a PKCS8 PEM private key (RSA or P-256)');
    return Object.freeze({ signingKey: undefined });
  }
  return Object.freeze({ signingKey: raw.trim() });
}
