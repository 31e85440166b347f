/** Row types of the documents tables (migrations/202611281500_create-receipt.sql). */
import type { ColumnType } from 'kysely';
import type { Currency } from '#platform/money/index.ts';
import type {
  DocumentRevocationTable,
  IssuedDocumentTable,
} from './issued-document-tables.ts';

export type ReceiptTable = {
  id: string;
  number: string;
  source_key: string;
  invoice_id: string;
  invoice_reference: string;
  payer_account_id: string;
  agency_id: string;
  agency_name: string;
  service_name: string;
  amount_minor: bigint;
  currency: Currency;
  channel: string;
  provider_reference: string | null;
  paid_at: Date;
  issued_at: Date;
  /** Receipt details (migration 202612041100; receipt-details.ts): null on older receipts. */
  payer_name: ColumnType<string | null, string | null | undefined, never>;
  paid_by_name: ColumnType<string | null, string | null | undefined, never>;
  service_name_sw: ColumnType<string | null, string | null | undefined, never>;
  agency_name_sw: ColumnType<string | null, string | null | undefined, never>;
  /** jsonb: read parsed, written as a JSON string. */
  bill_lines: ColumnType<unknown, string | null | undefined, never>;
  next_step_en: ColumnType<string | null, string | null | undefined, never>;
  next_step_sw: ColumnType<string | null, string | null | undefined, never>;
};

export type DocumentsTables = {
  receipt: ReceiptTable;
  issued_document: IssuedDocumentTable;
  document_revocation: DocumentRevocationTable;
};
