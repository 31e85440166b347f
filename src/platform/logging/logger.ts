/**
 * Structured logs (pino). Personal data never reaches a log line: known fields are censored
 * (to four levels deep in what is logged, and at the top of a child logger's bindings), request
 * logs carry the route pattern and never the query string. The censoring runs when a line is
 * written, not when a child logger is made: pino's own path redaction cost 11 us for every
 * request's child logger, most of the per-request cost of logging.
 */
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Field names that hold personal data or credentials; censored wherever they are met. */
const personalFields = new Set([
  'msisdn', 'phone', 'phoneNumber', 'PhoneNumber', 'MSISDN', 'idNumber', 'nationalId',
  'passportNumber', 'firstName', 'lastName', 'middleName', 'fullName', 'FirstName',
  'MiddleName', 'LastName', 'email', 'password', 'code', 'otp', 'dateOfBirth',
  'cookie', 'authorization', 'set-cookie',
]);

export const censor = '[redacted]';
/** A log line's own fields are depth 1; the fields of their values 2, and so on. */
const scrubDepthMax = 4;

/**
 * The value with every personal field replaced by the censor, to scrubDepthMax levels of
 * objects and arrays; untouched values are returned as they are (no copy). Runs only for lines
 * actually written, where pino's own redaction ran for every child logger (one a request).
 */
export function scrub(value: unknown, depth = 1): unknown {
  if (depth > scrubDepthMax || value === null || typeof value !== 'object') return value;
  if (value instanceof Error || value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown) => scrub(item, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [key, inner] of Object.entries(value)) {
    const next = personalFields.has(key) ? censor : scrub(inner, depth + 1);
    if (next !== inner) copy ??= { ...value };
    if (copy !== undefined) copy[key] = next;
  }
  return copy ?? value;
}

/**
 * An error's fields that may hold a query's values (PGlite puts the parameters of a failed
 * query on its error; PostgreSQL's detail quotes a duplicate key): never written, ever.
 */
const queryValueFields = ['params', 'parameters', 'queryOptions'];
const databaseValueFields = ['detail', 'where', 'internalQuery', 'hint'];
/** A database error: PostgreSQL's SQLSTATE and severity, from node-postgres or PGlite. */
const isDatabaseError = (error: Record<string, unknown>) =>
  typeof error.severity === 'string' && typeof error.code === 'string' &&
  /^[0-9A-Z]{5}$/.test(error.code);
/** `invalid input syntax for type integer: "Wanjiku"`: the value a data exception quotes. */
const quotedValue = /: "[^\n]*"$/gm;

/** pino's error serializer, without the values of a failed query (in its cause chain too). */
export function serializeError(error: unknown, depth = 1): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  const original = error as unknown as Record<string, unknown>;
  const database = isDatabaseError(original);
  for (const field of [...queryValueFields, ...(database ? databaseValueFields : [])]) {
    delete serialized[field];
  }
  if (database) {
    for (const field of ['message', 'stack']) {
      const text = serialized[field];
      if (typeof text === 'string') serialized[field] = text.replace(quotedValue, `: ${censor}`);
    }
  }
  if (error.cause instanceof Error && depth < scrubDepthMax) {
    serialized.cause = serializeError(error.cause, depth + 1);
  }
  return serialized;
}

export function createLogger(
  options: Readonly<{ level: string; destination?: DestinationStream }>,
): Logger {
  const config = {
    level: options.level,
    formatters: {
      log: (object: Record<string, unknown>) => scrub(object) as Record<string, unknown>,
      bindings: (bindings: Record<string, unknown>) => scrub(bindings) as Record<string, unknown>,
    },
    serializers: {
      // A child logger's bindings skip the formatters; its top-level fields meet these.
      ...Object.fromEntries([...personalFields].map((field) => [field, () => censor])),
      err: (error: unknown) => serializeError(error),
      req: (request: { method: string; routeOptions?: { url?: string }; url: string }) => ({
        method: request.method,
        // The route pattern, not the URL: ids and query strings may hold personal data.
        route: request.routeOptions?.url ?? 'unmatched',
      }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}
