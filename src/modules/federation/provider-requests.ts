/** What the /oidc route hands the provider with each request, keyed by the raw request. */
import type { IncomingMessage } from 'node:http';
import type { Actor } from '#modules/authorisation/index.ts';
import type { PageContext } from '#web/index.ts';

/** Who asks (the Huduma session, if any), and the page context for the library's pages. */
export type RequestContext = Readonly<{ actor: Actor | undefined; page: PageContext }>;

export type ProviderRequests = WeakMap<IncomingMessage, RequestContext>;
