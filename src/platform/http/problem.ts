/**
 * Errors on the wire: RFC 9457 problem+json with a stable `code` for APIs, and a friendly page
 * (rendered by the injected renderer) for people. Routes throw ProblemError or send a Failure.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorTable, Failure } from '../errors/index.ts';

export class ProblemError extends Error {
  readonly code: string;
  readonly detail: string | undefined;
  readonly fields: Readonly<Record<string, string>> | undefined;
  constructor(failure: Failure) {
    super(failure.detail ?? failure.code);
    this.name = 'ProblemError';
    this.code = failure.code;
    this.detail = failure.detail;
    this.fields = failure.fields;
  }
}

export type ProblemBody = Readonly<{
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: Readonly<Record<string, string>>;
}>;

export const problemContentType = 'application/problem+json; charset=utf-8';

export function problemBody(table: ErrorTable, failure: Failure): ProblemBody {
  const definition = table[failure.code];
  if (definition === undefined) {
    throw new Error(`error code ${failure.code} is not in the catalogue`);
  }
  return {
    type: `/docs/errors#${failure.code.toLowerCase()}`,
    title: definition.title,
    status: definition.status,
    code: failure.code,
    ...(failure.detail === undefined ? {} : { detail: failure.detail }),
    ...(failure.fields === undefined ? {} : { errors: failure.fields }),
  };
}

/** A person's browser (HTML) rather than an API client. */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

export type HtmlErrorRenderer = (request: FastifyRequest, status: number) => string;

export function sendProblem(
  reply: FastifyReply,
  table: ErrorTable,
  failure: Failure,
): FastifyReply {
  const body = problemBody(table, failure);
  return reply.code(body.status).type(problemContentType).send(body);
}
