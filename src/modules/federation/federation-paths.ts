/** The addresses of Sign in with Huduma's own pages (the provider itself is under /oidc). */
export const federationPaths = {
  providerMount: '/oidc',
  interactionPattern: '/federation/interaction/:uid',
  consentPattern: '/federation/interaction/:uid/consent',
  interaction: (uid: string): string => `/federation/interaction/${encodeURIComponent(uid)}`,
  consent: (uid: string): string =>
    `/federation/interaction/${encodeURIComponent(uid)}/consent`,
  clients: '/staff/federation/clients',
  rotatePattern: '/staff/federation/clients/:clientId/rotate',
  revokePattern: '/staff/federation/clients/:clientId/revoke',
  rotate: (clientId: string): string =>
    `/staff/federation/clients/${encodeURIComponent(clientId)}/rotate`,
  revoke: (clientId: string): string =>
    `/staff/federation/clients/${encodeURIComponent(clientId)}/revoke`,
} as const;
