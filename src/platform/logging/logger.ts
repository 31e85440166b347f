/**
 * Structured logs (pino). Personal data never reaches a log line: known fields are redacted
 * wherever they appear, request logs carry the route pattern and never the query string.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Field names that hold personal data; redacted at any depth we know of. */
const personalFields = [
  'msisdn', 'phone', 'phoneNumber', 'PhoneNumber', 'MSISDN', 'idNumber', 'nationalId',
  'passportNumber', 'firstName', 'lastName', 'middleName', 'fullName', 'FirstName',
  'MiddleName', 'LastName', 'email', 'password', 'code', 'otp', 'dateOfBirth',
];

const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  ...personalFields,
  ...personalFields.map((field) => `*.${field}`),
  ...personalFields.map((field) => `*.*.${field}`),
];

export function createLogger(
  options: Readonly<{ level: string; destination?: DestinationStream }>,
): Logger {
  const config = {
    level: options.level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
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
