/**
 * GET /staff/search?q=: one box for application, bill and receipt numbers, within the
 * officer's agency; and the box as a panel of the staff home. Every staff role that reads
 * applications also reads payments; each kind of result still needs its own permission.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasPermission } from '#modules/authorisation/index.ts';
import { sendHtml, type SafeHtml } from '#web/index.ts';
import { staffActorOf } from './staff-routes.ts';
import { searchAsStaff, type StaffSearchDeps } from './staff-search-service.ts';
import { renderSearchPage, searchPanel, staffSearchPath } from './staff-search-views.ts';

/** The query string may be longer than a reference: the page says so rather than a 400. */
const queryStringLengthMax = 200;

export async function staffSearchRoutes(app: FastifyInstance, deps: StaffSearchDeps):
  Promise<void> {
  app.get(staffSearchPath, {
    config: { access: { permission: 'applications.read' } },
    schema: { hide: true, querystring: { type: 'object', properties: {
      q: { type: 'string', maxLength: queryStringLengthMax } } } },
  }, async (request: FastifyRequest<{ Querystring: { q?: string } }>, reply) => {
    const staff = staffActorOf(request);
    const outcome = await searchAsStaff(deps, staff, request.query.q ?? '');
    return sendHtml(reply, renderSearchPage(request.pageContext(), outcome));
  });
}

export function staffSearchPanel(): (request: FastifyRequest) => Promise<SafeHtml | undefined> {
  return (request) => {
    const actor = request.actor;
    const shown = actor?.kind === 'staff' && hasPermission(actor, 'applications.read');
    return Promise.resolve(shown ? searchPanel(request.pageContext()) : undefined);
  };
}
