/**
 * Mounts the provider under /oidc (docs/decisions/0015-openid-provider.md). Fastify does not
 * read the body of these requests (the library parses its own, and refuses what it does not
 * know); the route hands the raw request and response to the library's Koa callback, with
 * the path below /oidc, after noting who the caller is and the page context (for its pages)
 * and copying the headers Fastify's hooks set (security headers) onto the raw response.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PageContext } from '#web/index.ts';
import { accessibleFormPost, isLibraryFormPost } from './form-post-page.ts';
import { Type } from 'typebox';
import { federationPaths } from './federation-paths.ts';
import { basicCredentialsOf, presentedSecrets } from './presented-secret.ts';
import type { HudumaProvider } from './provider.ts';

const mount = federationPaths.providerMount;
const ProviderParams = Type.Object({ '*': Type.String({ maxLength: 2000 }) });

type RawWithOriginal = FastifyRequest['raw'] & { originalUrl?: string };

/**
 * The library ends its answers with res.end(body) after setting the headers, none sent yet:
 * its self-submitting form page is rewritten there (form-post-page.ts), its length set again.
 */
function passFormPostThroughLayout(response: ServerResponse, page: PageContext): void {
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.end = ((...args: unknown[]) => {
    const [body] = args;
    if (typeof body === 'string' && !response.headersSent && isLibraryFormPost(body)) {
      const accessible = accessibleFormPost(body, page.language, page.t);
      response.setHeader('content-length', Buffer.byteLength(accessible));
      return end(accessible, ...args.slice(1));
    }
    return end(...args);
  }) as ServerResponse['end'];
}

export async function providerRoutes(app: FastifyInstance, op: HudumaProvider): Promise<void> {
  const callback = op.provider.callback();
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    op.requests.set(request.raw, { actor: request.actor, page: request.pageContext() });
    const raw = request.raw as RawWithOriginal;
    const url = raw.url ?? mount;
    raw.originalUrl = url;
    raw.url = url.slice(mount.length) === '' ? '/' : url.slice(mount.length);
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value as string | string[]);
    }
    reply.hijack();
    passFormPostThroughLayout(reply.raw, request.pageContext());
    await presentedSecrets.run(basicCredentialsOf(request.headers.authorization),
      () => callback(raw, reply.raw));
  };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => {
      done(null, undefined);
    });
    scope.route({ method: ['GET', 'POST'], url: `${mount}/*`,
      config: { access: 'provider-callback' }, schema: { hide: true, params: ProviderParams },
      handler });
  });
}
