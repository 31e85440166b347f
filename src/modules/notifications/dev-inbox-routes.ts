/**
 * GET /dev/inbox: the development inbox. Registered only when HUDUMA_DEV_INBOX is on (never in
 * production: the configuration refuses it), so it is a plain 404 otherwise. It is public on
 * purpose: a newcomer reads their own sign-in code here before any account exists.
 */
import type { FastifyInstance } from 'fastify';
import type { ModuleDeps } from '#platform/module.ts';
import { sendHtml } from '#web/index.ts';
import { renderDevInbox } from './dev-inbox-views.ts';
import { listRecentNotifications } from './notification-repo.ts';
import { notificationPaths } from './notification-paths.ts';

/** Enough to find a code just sent; the page stays small on a slow network. */
const devInboxSizeMax = 50;

export async function devInboxRoutes(app: FastifyInstance, deps: ModuleDeps): Promise<void> {
  app.get(notificationPaths.devInbox, {
    config: { access: 'public' },
    schema: { hide: true },
  }, async (request, reply) => {
    const notifications = await listRecentNotifications(deps.db, devInboxSizeMax);
    reply.header('x-robots-tag', 'noindex');
    return sendHtml(reply, renderDevInbox(request.pageContext(), notifications));
  });
}
