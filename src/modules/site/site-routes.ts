/** GET /help, /contact, /privacy, /accessibility, /terms: public, cached briefly by browsers. */
import type { FastifyInstance } from 'fastify';
import { sendHtml } from '#web/index.ts';
import { sitePages } from './site-pages.ts';
import { renderSitePage, type SiteFacts } from './site-views.ts';

export async function siteRoutes(app: FastifyInstance, facts: SiteFacts): Promise<void> {
  for (const page of sitePages) {
    app.get(page.path, { config: { access: 'public' }, schema: { hide: true } },
      async (request, reply) =>
        sendHtml(reply, renderSitePage(request.pageContext(), page, facts)));
  }
}
