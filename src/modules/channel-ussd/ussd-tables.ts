/** Row types of the USSD tables (migrations/202612060200_create-ussd.sql). */
import type { ColumnType } from 'kysely';

export type UssdSessionTable = {
  session_id: string;
  phone_key: string;
  /** jsonb: read parsed, written as a JSON string. */
  state: ColumnType<unknown, string, string>;
  answers_applied: number;
  started_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
};

export type UssdLanguagePreferenceTable = {
  phone_key: string;
  language: 'en' | 'sw';
  updated_at: Date;
};

export type UssdPaymentTable = {
  id: string;
  phone_key: string;
  invoice_reference: string;
  stk_push_id: string;
  created_at: Date;
};

export type UssdLookupWindowTable = {
  phone_key: string;
  window_start: Date;
  lookups: number;
};

export type UssdTables = {
  ussd_session: UssdSessionTable;
  ussd_language_preference: UssdLanguagePreferenceTable;
  ussd_payment: UssdPaymentTable;
  ussd_lookup_window: UssdLookupWindowTable;
};
