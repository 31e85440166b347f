/**
 * Lists: my applications (and those I am asked to confirm) as a page and as a section of the
 * account page; the officer's queue as a panel of the staff home.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { agencyScopeOf, hasPermission } from '#modules/authorisation/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { html, sendHtml, type SafeHtml } from '#web/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { applicationsDb, findApplicationIdByReference } from './application-repo.ts';
import { normaliseApplicationReference } from './application-reference.ts';
import { listApplicationsOf, listQueue, listToConfirm } from './application-queries.ts';
import { applicationsSection, renderMyApplications } from './application-views.ts';
import { applicationsPaths, applicationsRoutePatterns } from './applications-paths.ts';
import { applicantOf, ownedApplication } from './applicant-access.ts';
import { queueTable } from './staff-views.ts';

const listMax = 100;
const sectionMax = 5;

export async function myApplicationsRoutes(app: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  app.get(applicationsRoutePatterns.mine, {
    config: { access: { permission: 'account.self' } }, schema: { hide: true },
  }, async (request, reply) => {
    const who = applicantOf(request);
    const db = applicationsDb(deps.db);
    const [mine, toConfirm] = await Promise.all([
      listApplicationsOf(db, who.forAccountId, { limit: listMax }),
      who.accountId === who.forAccountId ? listToConfirm(db, who.accountId) : [],
    ]);
    return sendHtml(reply, renderMyApplications(request.pageContext(), { mine, toConfirm }));
  });

  // The short link in messages: forgiving of case and spaces; someone else's is not found.
  app.get(applicationsRoutePatterns.short, {
    config: { access: { permission: 'account.self' } },
    schema: { hide: true, params: { type: 'object', properties: {
      reference: { type: 'string', maxLength: 20 } }, required: ['reference'] } },
  }, async (request: FastifyRequest<{ Params: { reference: string } }>, reply) => {
    const reference = normaliseApplicationReference(request.params.reference);
    const id = reference === undefined ? undefined
      : await findApplicationIdByReference(applicationsDb(deps.db), reference);
    if (id === undefined) throw new ProblemError({ code: 'APPLICATION_NOT_FOUND' });
    const owned = await ownedApplication(deps, request, id, { secondParty: true });
    return reply.redirect(applicationsPaths.application(owned.application.id), 303);
  });
}

/** The account page's section: my latest applications and those I am asked to confirm. */
export function accountSection(deps: ModuleDeps):
  (request: FastifyRequest) => Promise<SafeHtml | undefined> {
  return async (request) => {
    if (request.actor?.kind !== 'account') return undefined;
    const who = applicantOf(request);
    const db = applicationsDb(deps.db);
    const [mine, toConfirm] = await Promise.all([
      listApplicationsOf(db, who.forAccountId, { limit: sectionMax }),
      who.accountId === who.forAccountId ? listToConfirm(db, who.accountId) : [],
    ]);
    return applicationsSection(request.pageContext(), [...toConfirm, ...mine]);
  };
}

export function staffHomePanel(deps: ModuleDeps):
  (request: FastifyRequest) => Promise<SafeHtml | undefined> {
  return async (request) => {
    const actor = request.actor;
    if (actor?.kind !== 'staff' || !hasPermission(actor, 'applications.read')) return undefined;
    const context = request.pageContext();
    const now = deps.clock.now();
    const queue = await listQueue(applicationsDb(deps.db), {
      scope: agencyScopeOf(actor), page: 1, pageSize: sectionMax });
    return html`<section aria-labelledby="queue-title"><h2 id="queue-title">${
      context.t('applications.queue.title')}</h2><p>${
      context.t('applications.queue.count', { count: queue.total })}</p>${
      queueTable(context, queue.items, now)}<p><a href="${applicationsPaths.queue}">${
      context.t('applications.queue.open')}</a></p></section>`;
  };
}
