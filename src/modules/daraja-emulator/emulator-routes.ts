/**
 * Daraja's HTTP surface, as a Fastify plugin mountable under any prefix: in the app at
 * /_emulator/mpesa (outside production only) or at the root of its own server. Plus four
 * emulator-only endpoints: GET /_state, GET /_statement.csv, POST /_sweep and POST /_reset.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseKenyaDateTime } from './emulator-formats.ts';
import { darajaError, darajaErrors, type DarajaReply } from './emulator-replies.ts';
import type { DarajaApiOperation, DarajaEmulator } from './emulator-service.ts';

export type EmulatorRoutesOptions = Readonly<{ emulator: DarajaEmulator }>;

/** Daraja's paths; pull transactions have no /mpesa/ prefix. Integrators disagree on v2. */
const apiRoutes: readonly (readonly [string, DarajaApiOperation])[] = [
  ['/mpesa/c2b/v1/registerurl', 'c2b-register-v1'],
  ['/mpesa/c2b/v2/registerurl', 'c2b-register-v2'],
  ['/mpesa/c2b/v1/simulate', 'c2b-simulate'],
  ['/mpesa/c2b/v2/simulate', 'c2b-simulate'],
  ['/mpesa/stkpush/v1/processrequest', 'stk-push'],
  ['/mpesa/stkpushquery/v1/query', 'stk-query'],
  ['/mpesa/transactionstatus/v1/query', 'transaction-status'],
  ['/mpesa/b2c/v1/paymentrequest', 'b2c-v1'],
  ['/mpesa/b2c/v3/paymentrequest', 'b2c-v3'],
  ['/mpesa/reversal/v1/request', 'reversal'],
  ['/pulltransactions/v1/register', 'pull-register'],
  ['/pulltransactions/v1/query', 'pull-query'],
];

// A fake provider: anyone may call it. It is mounted only where config allows (never in
// production), and it moves no real money.
const routeOptions = { config: { access: 'public' }, schema: { hide: true } } as const;

function send(reply: FastifyReply, answer: DarajaReply): FastifyReply {
  return reply.code(answer.statusCode).send(answer.body);
}

type Query = Readonly<Record<string, string | undefined>>;

/** "2026-11-28" or "2026-11-28 14:00:00", Kenya time. */
function readDate(text: string | undefined, endOfDay: boolean): Date | undefined {
  if (text === undefined || text === '') return undefined;
  const full = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text} ${endOfDay ? '23:59:59' : '00:00:00'}`
    : text;
  return parseKenyaDateTime(full);
}

export async function darajaEmulatorRoutes(
  app: FastifyInstance,
  options: EmulatorRoutesOptions,
): Promise<void> {
  const { emulator } = options;

  // Daraja's envelope, not problem+json: a malformed body gets what Safaricom would send.
  app.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return send(reply, darajaErrors.invalidPayload());
    }
    request.log.error({ err: error }, 'emulator request failed');
    return send(reply, darajaError('500.003.1001', 'Internal Server Error'));
  });

  app.get('/oauth/v1/generate', routeOptions, async (request, reply) => {
    const query = request.query as Query;
    return send(reply, emulator.oauth(request.headers.authorization, query['grant_type']));
  });

  for (const [url, operation] of apiRoutes) {
    app.post(url, routeOptions, async (request, reply) =>
      send(reply, emulator.call(operation, request.headers.authorization, request.body)));
  }

  app.get('/_state', routeOptions, async () => emulator.snapshot());

  app.get('/_statement.csv', routeOptions, async (request, reply) => {
    const query = request.query as Query;
    const shortcode = query['ShortCode'] ?? emulator.settings.shortcodes[0]?.shortcode ?? '';
    const from = readDate(query['from'], false);
    const to = readDate(query['to'], true);
    if (!/^\d{5,7}$/.test(shortcode)) return send(reply, darajaErrors.invalidField('ShortCode'));
    if ((query['from'] !== undefined && from === undefined) ||
      (query['to'] !== undefined && to === undefined)) {
      return send(reply, darajaErrors.invalidField('date'));
    }
    return reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="statement-${shortcode}.csv"`)
      .send(emulator.statementCsv(shortcode, {
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      }));
  });

  app.post('/_sweep', routeOptions, async (request, reply) =>
    send(reply, emulator.sweep(request.body)));

  app.post('/_reset', routeOptions, async (_request, reply) => {
    emulator.reset();
    return reply.code(204).send();
  });
}
