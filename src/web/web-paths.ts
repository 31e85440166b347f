/** Paths the page shell links to. Modules keep their own paths in their own files. */
export const webPaths = {
  home: '/',
  about: '/about',
  apiDocs: '/docs',
  /** The site's own pages (the site module answers them), linked from every footer. */
  help: '/help',
  contact: '/contact',
  privacy: '/privacy',
  accessibility: '/accessibility',
  terms: '/terms',
  /** The staff header's home (identity answers it). */
  staffHome: '/staff',
  favicon: '/favicon.ico',
  /**
   * POST here to issue an invoice for a service and go to pay it. The catalogue's service page
   * posts to it and payments answers it; it lives here so neither module imports the other.
   */
  payForService: (serviceSlug: string): string =>
    `/pay/services/${encodeURIComponent(serviceSlug)}`,
  language: (to: string, returnTo: string): string =>
    `/language?${new URLSearchParams({ to, return: returnTo }).toString()}`,
} as const;
