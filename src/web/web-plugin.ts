/**
 * Wires the UI kit into Fastify: picks each visitor's language, serves the hashed assets,
 * and offers `request.pageContext()` to every module's views.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { assets } from './assets.ts';
import { negotiateLanguage, translator, type Language, type MessageBundle } from './i18n.ts';
import type { NavigationItem, PageContext } from './layout.ts';
import { safeReturnPath } from './return-path.ts';

declare module 'fastify' {
  interface FastifyRequest {
    language: Language;
    pageContext: () => PageContext;
  }
}

export const languageCookieName = 'huduma_lang';
const languageCookieAgeSecondsMax = 365 * 24 * 60 * 60;
const assetCacheControl = 'public, max-age=31536000, immutable';

export type WebOptions = Readonly<{
  messages: MessageBundle;
  navigation: readonly NavigationItem[];
  cookieSecure: boolean;
}>;

async function web(app: FastifyInstance, options: WebOptions): Promise<void> {
  const translators = {
    en: translator(options.messages, 'en'),
    sw: translator(options.messages, 'sw'),
  };
  app.decorateRequest('language', 'en');
  app.decorateRequest('pageContext', function pageContext(this: FastifyRequest): PageContext {
    return {
      language: this.language,
      t: translators[this.language],
      currentUrl: this.url,
      navigation: options.navigation,
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
