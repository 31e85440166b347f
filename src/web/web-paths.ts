/** Paths the page shell links to. Modules keep their own paths in their own files. */
export const webPaths = {
  home: '/',
  about: '/about',
  apiDocs: '/docs',
  /** The public transparency pages and open data (reporting answers them). */
  transparency: '/transparency',
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
  /** The catalogue's service page (cataloguePaths.service): where Pay is pressed. */
  service: (serviceSlug: string): string => `/services/${encodeURIComponent(serviceSlug)}`,
  language: (to: string, returnTo: string): string =>
    `/language?${new URLSearchParams({ to, return: returnTo }).toString()}`,
} as const;

const payForServicePrefix = webPaths.payForService('');

/**
 * Where a signed-out visitor's form post to one of the shared addresses above comes back to
 * after signing in (a post cannot be replayed by a redirect): pressing Pay on a service page
 * comes back to that service page, to press it again. Undefined for any other address.
 */
export function signInReturnForPost(url: string): string | undefined {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith(payForServicePrefix)) return undefined;
  const slug = path.slice(payForServicePrefix.length);
  if (slug === '' || slug.includes('/')) return undefined;
  // Still percent-encoded as it came: decode once so the builder encodes it once.
  let decoded: string;
  try {
    decoded = decodeURIComponent(slug);
  } catch {
    return undefined;
  }
  return webPaths.service(decoded);
}
