/**
 * The bare framework, for comparison: Fastify with @fastify/formbody answering the same
 * urlencoded POST the USSD gateway sends with a fixed text/plain CON screen. No database, no
 * hooks. Run by run.ts in its own process; prints the port it listens on.
 *
 *   node bench/ussd/bare-server.ts   -> prints {"port": N}, serves until SIGTERM
 */
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { serveBare } from '../shared/bare-server.ts';

const app = Fastify({ logger: false });
await app.register(formbody);
app.post<{ Body: { sessionId?: string; text?: string } }>('/ussd', async (request, reply) => {
  if (typeof request.body.sessionId !== 'string') return reply.code(400).send('missing');
  return reply.type('text/plain; charset=utf-8').send('CON Huduma\n1 Pay a bill');
});
await serveBare(app);
