/**
 * Wires the UI kit into Fastify: picks each visitor's language, serves the hashed assets and
 * the favicon, offers `request.pageContext()` to every module's views (with who is signed in,
 * which identity puts on `request.signedIn`, and the staff layout for pages under /staff), and
 * holds the registry of page sections other modules contribute (page-sections.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { assets, favicon } from './assets.ts';
import { negotiateLanguage, translator, type Language, type MessageBundle } from './i18n.ts';
import type { Audience, NavigationItem, PageContext, SignedInView } from './layout.ts';
import { pageSectionRegistry } from './page-sections.ts';
import { safeReturnPath } from './return-path.ts';
import { webPaths } from './web-paths.ts';

declare module 'fastify' {
  interface FastifyRequest {
    language: Language;
    pageContext: () => PageContext;
    /** Who is signed in, as the header shows it; set by identity, undefined for anyone else. */
    signedIn: SignedInView | undefined;
  }
  interface FastifyContextConfig {
    /**
     * Where to come back to after signing in, for a state-changing route a signed-out visitor
     * reached (a GET route comes back to itself): e.g. pressing Pay on a service page.
     */
    signInReturn?: (request: FastifyRequest) => string | undefined;
  }
}

export const languageCookieName = 'huduma_lang';
const languageCookieAgeSecondsMax = 365 * 24 * 60 * 60;
const assetCacheControl = 'public, max-age=31536000, immutable';
/** /favicon.ico has no hash in its address, so a day, not a year. */
const faviconCacheControl = 'public, max-age=86400';

/** Staff pages live under /staff and get the staff header. */
export function audienceOf(url: string): Audience {
  const path = url.split('?')[0] ?? '';
  return path === webPaths.staffHome || path.startsWith(`${webPaths.staffHome}/`)
    ? 'staff' : 'public';
}

export type WebOptions = Readonly<{
  messages: MessageBundle;
  navigation: readonly NavigationItem[];
  staffNavigation?: readonly NavigationItem[];
  cookieSecure: boolean;
}>;

async function web(app: FastifyInstance, options: WebOptions): Promise<void> {
  const translators = {
    en: translator(options.messages, 'en'),
    sw: translator(options.messages, 'sw'),
  };
  app.decorate('pageSections', pageSectionRegistry());
  app.decorateRequest('language', 'en');
  app.decorateRequest('signedIn', undefined);
  app.decorateRequest('pageContext', function pageContext(this: FastifyRequest): PageContext {
    const signedIn = this.signedIn;
    return {
      language: this.language,
      t: translators[this.language],
      currentUrl: this.url,
      navigation: options.navigation,
      staffNavigation: options.staffNavigation ?? [],
      // Staff see the staff header everywhere, account holders the public one everywhere (a
      // staff page refusing them included), and anyone else the one of the page's path.
      audience: signedIn === undefined ? audienceOf(this.url)
        : signedIn.kind === 'staff' ? 'staff' : 'public',
      signedIn,
    };
  });
  app.addHook('onRequest', async (request) => {
    request.language = negotiateLanguage(
      request.cookies[languageCookieName],
      request.headers['accept-language'],
    );
  });

  app.get('/language', {
    config: { access: 'public' },
    schema: {
      hide: true,
      querystring: {
        type: 'object',
        properties: { to: { type: 'string', enum: ['en', 'sw'] }, return: { type: 'string' } },
        required: ['to'],
      },
    },
  }, async (request: FastifyRequest<{ Querystring: { to: Language; return?: string } }>, reply) => {
    reply.setCookie(languageCookieName, request.query.to, {
      path: '/',
      maxAge: languageCookieAgeSecondsMax,
      sameSite: 'lax',
      httpOnly: true,
      secure: options.cookieSecure,
    });
    return reply.redirect(safeReturnPath(request.query.return), 303);
  });

  app.get(webPaths.favicon, {
    schema: { hide: true }, config: { access: 'public' as const },
  }, async (_request, reply) => reply.header('cache-control', faviconCacheControl)
    .type(favicon.contentType).send(favicon.body));

  for (const asset of assets) {
    const options = { schema: { hide: true }, config: { access: 'public' as const } };
    app.get(asset.path, options, async (_request, reply) => {
      return reply.header('cache-control', assetCacheControl).type(asset.contentType)
        .send(asset.body);
    });
  }
}

export const webPlugin = fastifyPlugin(web, { name: 'huduma-web', dependencies: [] });

/** Sends a rendered page. */
export function sendHtml(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store')
    .send(body);
}
