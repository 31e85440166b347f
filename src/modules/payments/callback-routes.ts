/**
 * The URLs M-Pesa calls: C2B validation and confirmation, the STK callback, and initiator
 * results. Each carries the secret token in its path (wrong token: 404, as if nothing were
 * there) and must come from an allowed source address (else 403); both are logged without the
 * body. Confirmations and callbacks are acknowledged only after their raw body, and normally
 * their processing, is committed. The path never says "mpesa": Safaricom refuses such URLs.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MpesaConfig } from '#config';
import { failure } from '#platform/errors/index.ts';
import { ProblemError } from '#platform/http/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { Logger } from '#platform/logging/index.ts';
import type { MetricsRegistry } from '#platform/metrics/index.ts';
import { validateC2bPayment } from './c2b-validation.ts';
import { callbackTokenMatches, sourceAllowList } from './callback-guard.ts';
import type { IngestBatcher } from './ingest-batcher.ts';
import {
  c2bRejectionCodes,
  c2bValidationAccepted,
  c2bValidationRejected,
  callbackAcknowledgement,
  parseC2bPayment,
  type C2bRejectionCode,
} from './mpesa/index.ts';
import type { PaymentsDeps } from './payments-deps.ts';
import type { CallbackKind } from './payments-tables.ts';

/** Where M-Pesa reaches us; `token` is the secret path segment. */
export const callbackPaths = {
  prefix: '/api/v1/payments/callbacks/:token',
  base: (token: string) => `/api/v1/payments/callbacks/${token}`,
  c2bValidation: '/c2b/validation',
  c2bConfirmation: '/c2b/confirmation',
  stkCallback: '/stk/callback',
  statusResult: '/status/result',
  statusTimeout: '/status/timeout',
} as const;

/** Callback bodies are small JSON documents; anything bigger is not from M-Pesa. */
const callbackBodyBytesMax = 64 * 1024;
const storedHeaders = ['content-type', 'content-length', 'user-agent'] as const;

export type CallbackRoutesOptions = Readonly<{
  deps: PaymentsDeps;
  mpesa: MpesaConfig;
  batcher: IngestBatcher;
  metrics: MetricsRegistry;
}>;

export async function callbackRoutes(
  app: FastifyInstance,
  options: CallbackRoutesOptions,
): Promise<void> {
  const allowList = sourceAllowList(options.mpesa.allowedSources);
  // The body is kept as bytes, whatever its type: it is stored verbatim before anything reads
  // it (as text when it is text; as bytes too when it is not, e.g. UTF-16 or NUL bytes).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: callbackBodyBytesMax },
    (_request, body, done) => done(null, body));
  app.addHook('onRequest', async (request) => guard(request, options, allowList));
  const config = { access: 'provider-callback' as const };
  const schema = { hide: true, tags: ['payments'] };
  app.post(callbackPaths.c2bValidation, { config, schema },
    async (request, reply) => answerValidation(request, reply, options));
  const store = (kind: CallbackKind) => async (request: FastifyRequest, reply: FastifyReply) => {
    await options.batcher.submit({
      id: uuidv7(), kind, receivedAt: options.deps.clock.now(), sourceAddress: request.ip,
      headers: headerSubset(request), ...storableBody(request.body),
    });
    return reply.code(200).send(callbackAcknowledgement);
  };
  app.post(callbackPaths.c2bConfirmation, { config, schema }, store('mpesa_c2b_confirmation'));
  app.post(callbackPaths.stkCallback, { config, schema }, store('mpesa_stk_callback'));
  app.post(callbackPaths.statusResult, { config, schema },
    store('mpesa_transaction_status_result'));
  app.post(callbackPaths.statusTimeout, { config, schema },
    store('mpesa_transaction_status_result'));
}

function guard(
  request: FastifyRequest,
  options: CallbackRoutesOptions,
  allowList: ReturnType<typeof sourceAllowList>,
): void {
  const token = (request.params as { token?: string }).token ?? '';
  const route = request.routeOptions.url ?? 'unmatched';
  if (!callbackTokenMatches(token, options.mpesa.callbackToken)) {
    logRefusal(options.deps.logger, route, 'wrong token', undefined);
    throw new ProblemError(failure('PLATFORM_NOT_FOUND', 'No page or API at this path'));
  }
  if (!allowList.allows(request.ip)) {
    logRefusal(options.deps.logger, route, 'source not allowed', request.ip);
    throw new ProblemError(failure('PAY_MPESA_CALLBACK_SOURCE_REFUSED'));
  }
}

/** Never the body (it holds payer details) and never the token. */
function logRefusal(logger: Logger, route: string, reason: string, source: string | undefined):
  void {
  logger.warn({ route, reason, source }, 'M-Pesa callback refused');
}

// ignoreBOM keeps a leading byte-order mark in the text, so the text is the bytes exactly.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The body as stored: its text when it is UTF-8 without NUL (PostgreSQL text holds no NUL);
 * otherwise its bytes, with a readable form as text (NUL and undecodable bytes as U+FFFD).
 */
export function storableBody(body: unknown): Readonly<{ body: string; bodyBytes?: Uint8Array }> {
  if (!(body instanceof Uint8Array)) return { body: typeof body === 'string' ? body : '' };
  try {
    const text = strictUtf8.decode(body);
    if (!text.includes('\u0000')) return { body: text };
  } catch {
    // Not UTF-8: kept as bytes below.
  }
  return { body: lenientUtf8.decode(body).replaceAll('\u0000', '\uFFFD'),
    bodyBytes: Uint8Array.from(body) };
}

/** The body as text, for reading (validation is answered, never stored). */
function bodyText(body: unknown): string {
  return storableBody(body).body;
}

function headerSubset(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of storedHeaders) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value.slice(0, 200);
  }
  return headers;
}

/** A field M-Pesa got wrong says which code to answer with. */
function rejectionForField(field: string): C2bRejectionCode {
  if (field === 'TransAmount') return c2bRejectionCodes.invalidAmount;
  if (field === 'BusinessShortCode') return c2bRejectionCodes.invalidShortcode;
  return c2bRejectionCodes.otherError;
}

async function answerValidation(
  request: FastifyRequest,
  reply: FastifyReply,
  options: CallbackRoutesOptions,
): Promise<FastifyReply> {
  let body: unknown;
  try {
    body = JSON.parse(bodyText(request.body));
  } catch {
    body = undefined;
  }
  const payment = parseC2bPayment(body);
  if (!payment.ok) {
    return reply.code(200).send(c2bValidationRejected(rejectionForField(payment.error.field)));
  }
  const decision = await validateC2bPayment(options.deps, payment.value,
    { shortcode: options.mpesa.shortcode, now: options.deps.clock.now() });
  options.metrics.counter('payments_c2b_validations_total',
    'C2B validation answers, by result.').inc({
    result: decision.accepted ? 'accepted' : decision.reason,
  });
  if (decision.billInquiry !== undefined) {
    options.metrics.counter('payments_bill_inquiries_total',
      'Bill lookups at agencies that keep their own billing, by outcome and decision.')
      .inc(decision.billInquiry);
  }
  return reply.code(200).send(decision.accepted
    ? c2bValidationAccepted(decision.thirdPartyTransId)
    : c2bValidationRejected(decision.code));
}
