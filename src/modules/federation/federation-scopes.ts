/**
 * The scopes a relying party may ask for, and the claims each releases (docs/federation.md).
 * `id_number` is released only when the citizen ticks it on the consent screen.
 */
export const federationScopes = ['openid', 'profile', 'phone', 'id_number',
  'offline_access'] as const;

export type FederationScope = (typeof federationScopes)[number];

/** The scope the citizen must tick by hand; never granted by default. */
export const idNumberScope = 'id_number';

/** Claims per scope, as the provider library's `claims` setting takes them. */
export const scopeClaims: Readonly<Record<string, readonly string[]>> = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'middle_name', 'family_name'],
  phone: ['phone_number', 'phone_number_verified'],
  id_number: ['id_number', 'id_document_type'],
};

export function isFederationScope(value: string): value is FederationScope {
  return (federationScopes as readonly string[]).includes(value);
}

/** A redirect address we accept: https, or http on this machine (development). */
export function isAcceptableRedirectUri(value: string): boolean {
  if (!URL.canParse(value) || value.length > 500) return false;
  const url = new URL(value);
  if (url.hash !== '' || url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' &&
    ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}
