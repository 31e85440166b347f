/**
 * One guard at the edge for what no route should have to think about: text holding the NUL
 * character (U+0000), which PostgreSQL cannot store in `text` (the query fails, a 500), and
 * numbers that are not finite (`page=1e309` coerced by a schema is Infinity, which passes an
 * integer rule with a maximum). Either, anywhere in the query, path or parsed body, is a 400
 * naming where it was, before the route runs. M-Pesa callbacks are not guarded here: they
 * are stored verbatim first, whatever they hold (the payments module decides).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from './problem.ts';

/** Deeper than any form or API body: a value nested deeper is refused as it is. */
const inputDepthMax = 32;

/** Where the first unsafe value is, as `part.path`, with the rule it breaks; or undefined. */
export function findUnsafeInput(value: unknown, where: string, depth = 0): string | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? `${where}: text must not contain the NUL character (U+0000)` : undefined;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : `${where}: must be a finite number`;
  }
  // Bytes (a body no parser turned into fields) are the route's to read, not text.
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return undefined;
  if (depth >= inputDepthMax) return `${where}: is nested too deeply`;
  const entries = Array.isArray(value)
    ? value.map((item: unknown, index) => [String(index), item] as const)
    : Object.entries(value);
  for (const [key, inner] of entries) {
    const found = key.includes('\u0000')
      ? `${where}: a name must not contain the NUL character (U+0000)`
      : findUnsafeInput(inner, `${where}.${key}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function unsafeInputOf(request: FastifyRequest): string | undefined {
  return findUnsafeInput(request.params, 'params') ??
    findUnsafeInput(request.query, 'querystring') ??
    findUnsafeInput(request.body, 'body');
}

/** Refuses, with a 400, a request holding NUL characters or non-finite numbers. */
export function installInputGuard(app: FastifyInstance): void {
  // preHandler: after the schemas have coerced query strings into numbers.
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.routeOptions.config.access === 'provider-callback') {
      done();
      return;
    }
    const detail = unsafeInputOf(request);
    if (detail === undefined) {
      done();
      return;
    }
    // statusCode too: a scope with an error handler of its own (the Daraja emulator answers
    // in Daraja's envelope) still sees a client's mistake, not a failure of ours.
    done(Object.assign(new ProblemError({ code: 'PLATFORM_VALIDATION_FAILED', detail }),
      { statusCode: 400 }));
  });
}
