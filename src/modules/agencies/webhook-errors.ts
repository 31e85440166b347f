import type { ErrorTable } from '#platform/errors/index.ts';

/** The agency webhooks' failures (docs/errors.md lists each). */
export const webhookErrors = {
  AGENCY_WEBHOOK_URL_INVALID: {
    status: 400, title: 'The webhook address must be an https:// address of at most 2,000 ' +
      'characters' },
  AGENCY_WEBHOOK_EVENTS_REQUIRED: {
    status: 400, title: 'Choose at least one event to send to the webhook' },
  AGENCY_WEBHOOK_NOT_FOUND: { status: 404, title: 'There is no such webhook endpoint' },
  AGENCY_WEBHOOK_DISABLED: { status: 409, title: 'This webhook endpoint is disabled' },
  AGENCY_WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, title: 'There is no such webhook delivery' },
  AGENCY_WEBHOOK_DELIVERY_PENDING: {
    status: 409, title: 'This delivery is still being tried; it can be replayed once it ends' },
  AGENCY_WEBHOOK_AGENCY_REQUIRED: {
    status: 400, title: 'Name the agency the webhook endpoint belongs to' },
} as const satisfies ErrorTable;

export type WebhookErrorCode = keyof typeof webhookErrors;
