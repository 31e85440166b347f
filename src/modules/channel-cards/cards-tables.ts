/** Row types of the card channel's tables (migrations/202612060101_create-card-session.sql). */
import type { Currency } from '#platform/money/index.ts';

export type CardSessionStatus = 'open' | 'succeeded' | 'failed' | 'expired';

export type CardSessionTable = {
  id: string;
  provider: string;
  session_id: string;
  idempotency_key: string;
  invoice_id: string;
  invoice_reference: string;
  attempt: number;
  requested_by: string;
  amount_minor: bigint;
  currency: Currency;
  hosted_url: string;
  status: CardSessionStatus;
  failure_code: string | null;
  payment_reference: string | null;
  expires_at: Date;
  created_at: Date;
  updated_at: Date;
};

export type CardsTables = {
  card_session: CardSessionTable;
};
