/**
 * The bare framework, for comparison: a minimal Fastify app with @fastify/formbody that parses
 * the same kind of urlencoded body the submit route takes (_csrf, clientActionId), checks the
 * two fields are there, and answers 303 to the application's page. No database, no session,
 * no hooks. Run by run.ts in its own process; prints the port it listens on.
 *
 *   node bench/submit/bare-server.ts   -> prints {"port": N}, serves until SIGTERM
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { serveBare } from '../shared/bare-server.ts';

const app = Fastify({ logger: false });
await app.register(formbody);
app.post<{ Params: { id: string }; Body: { _csrf?: string; clientActionId?: string } }>(
  '/applications/:id/submit', async (request, reply) => {
    if (typeof request.body._csrf !== 'string' ||
      typeof request.body.clientActionId !== 'string') {
      return reply.code(400).send('missing fields');
    }
    return reply.redirect(`/applications/${request.params.id}`, 303);
  });
await serveBare(app);
