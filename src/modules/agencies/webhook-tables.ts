/** Row types of the webhook tables (migrations/202612041930_create-agency-webhook.sql). */
import type { Kysely } from 'kysely';

export type WebhookEndpointState = 'active' | 'disabled';
export type WebhookDeliveryState = 'pending' | 'delivered' | 'abandoned';

export type AgencyWebhookEndpointTable = {
  id: string;
  agency_id: string;
  url: string;
  secret: string;
  /** Comma-separated event types. */
  events: string;
  state: WebhookEndpointState;
  created_at: Date;
  created_by: string;
  secret_rotated_at: Date | null;
  disabled_at: Date | null;
  lease_until: Date | null;
};

export type AgencyWebhookCursorTable = {
  source: string;
  last_id: string;
  last_at: Date | null;
  updated_at: Date;
};

export type AgencyWebhookEventTable = {
  id: string;
  source_key: string;
  agency_id: string;
  type: string;
  created_at: Date;
  body: string;
};

export type AgencyWebhookDeliveryTable = {
  id: string;
  endpoint_id: string;
  event_id: string;
  state: WebhookDeliveryState;
  attempts: number;
  created_at: Date;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
};

export type WebhookTables = {
  agency_webhook_endpoint: AgencyWebhookEndpointTable;
  agency_webhook_cursor: AgencyWebhookCursorTable;
  agency_webhook_event: AgencyWebhookEventTable;
  agency_webhook_delivery: AgencyWebhookDeliveryTable;
};

export type WebhookDb = Kysely<WebhookTables>;

export function webhookDb<DB>(db: Kysely<DB>): WebhookDb {
  return db as unknown as WebhookDb;
}
