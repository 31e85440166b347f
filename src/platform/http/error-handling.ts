/**
 * One error handler for the whole app. Known failures map through the error catalogue;
 * anything else is a bug: logged with its stack, answered 500 without internals.
 * No input ever produces a 500 by design: bad input is a 400 with a clear message.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorTable, Failure } from '../errors/index.ts';
import {
  problemBody,
  problemContentType,
  ProblemError,
  wantsHtml,
  type HtmlErrorRenderer,
} from './problem.ts';

const codesByStatus: Readonly<Record<number, string>> = {
  400: 'PLATFORM_VALIDATION_FAILED',
  404: 'PLATFORM_NOT_FOUND',
  405: 'PLATFORM_METHOD_NOT_ALLOWED',
  413: 'PLATFORM_PAYLOAD_TOO_LARGE',
  414: 'PLATFORM_URI_TOO_LONG',
  415: 'PLATFORM_UNSUPPORTED_MEDIA_TYPE',
  429: 'PLATFORM_RATE_LIMITED',
};

type Responder = (request: FastifyRequest, reply: FastifyReply, failure: Failure) => FastifyReply;

function responder(table: ErrorTable, renderHtmlError: HtmlErrorRenderer): Responder {
  return (request, reply, failure) => {
    const body = problemBody(table, failure);
    if (wantsHtml(request)) {
      return reply.code(body.status).type('text/html; charset=utf-8')
        .send(renderHtmlError(request, body.status));
    }
    return reply.code(body.status).type(problemContentType).send(body);
  };
}

/**
 * For Fastify's `frameworkErrors` option: a malformed URL (bad percent-encoding, an over-long
 * path parameter) is refused before any route runs; answer it like every other failure.
 */
export function frameworkErrorHandler(
  table: ErrorTable,
  renderHtmlError: HtmlErrorRenderer,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  const respond = responder(table, renderHtmlError);
  return (error, request, reply) => {
    const status = error.statusCode ?? 400;
    respond(request, reply, { code: codesByStatus[status] ?? 'PLATFORM_VALIDATION_FAILED',
      detail: error.message });
  };
}

export function installErrorHandling(
  app: FastifyInstance,
  table: ErrorTable,
  renderHtmlError: HtmlErrorRenderer,
): void {
  const respond = responder(table, renderHtmlError);

  app.setNotFoundHandler((request, reply) =>
    respond(request, reply, { code: 'PLATFORM_NOT_FOUND', detail: 'No page or API at this path' }));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProblemError) {
      return respond(request, reply, {
        code: error.code,
        ...(error.detail === undefined ? {} : { detail: error.detail }),
        ...(error.fields === undefined ? {} : { fields: error.fields }),
      });
    }
    if (error.validation !== undefined) {
      const context = error.validationContext ?? 'request';
      return respond(request, reply, {
        code: 'PLATFORM_VALIDATION_FAILED',
        detail: `${context}: ${error.validation.map(describeValidation).join('; ')}`,
      });
    }
    const status = error.statusCode ?? 500;
    const code = codesByStatus[status];
    if (status < 500 && code !== undefined) {
      return respond(request, reply, { code, detail: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return respond(request, reply, { code: 'PLATFORM_INTERNAL_ERROR' });
  });
}

type ValidationItem = Readonly<{
  instancePath?: string;
  message?: string;
  params?: Readonly<Record<string, unknown>>;
}>;

function describeValidation(item: ValidationItem): string {
  const where = item.instancePath === undefined || item.instancePath === ''
    ? ''
    : `${item.instancePath.slice(1).replaceAll('/', '.')} `;
  const extra = item.params?.['additionalProperty'];
  const suffix = typeof extra === 'string' ? ` (${extra})` : '';
  return `${where}${item.message ?? 'is not valid'}${suffix}`;
}
