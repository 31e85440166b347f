/**
 * The acquirer's own JSON answers (not the platform's problem+json): { error, detail? }, as a
 * real acquirer's API would send them.
 */
export type CardReply = Readonly<{ statusCode: number; body: unknown }>;

export function reply(statusCode: number, body: unknown): CardReply {
  return { statusCode, body };
}

export const cardErrors = {
  unauthorised: () => reply(401, { error: 'unauthorised' }),
  invalidRequest: (detail: string) => reply(400, { error: 'invalid_request', detail }),
  notFound: () => reply(404, { error: 'not_found' }),
  idempotencyKeyReused: () => reply(409, { error: 'idempotency_key_reused' }),
  exceedsPayment: () => reply(409, { error: 'exceeds_payment' }),
} as const;

/** An absolute http(s) URL, as returnUrl and notificationUrl must be. */
export function isAbsoluteHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}
