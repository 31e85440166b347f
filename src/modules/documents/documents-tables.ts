/** Row types of the documents tables (migrations/202611281500_create-receipt.sql). */
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
};

export type DocumentsTables = {
  receipt: ReceiptTable;
  issued_document: IssuedDocumentTable;
  document_revocation: DocumentRevocationTable;
};
