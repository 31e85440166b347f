/** Row types of the issued documents (migrations/202612041000_create-issued-document.sql). */

export type IssuedDocumentTable = {
  id: string;
  number: string;
  source_key: string;
  service_id: string;
  agency_id: string;
  holder_account_id: string;
  holder_name: string;
  template: string;
  service_name_en: string;
  service_name_sw: string;
  agency_name_en: string;
  agency_name_sw: string;
  /** JSON text on insert; the drivers hand back the parsed array. */
  facts: unknown;
  issued_at: Date;
  expires_at: Date | null;
  payload: string;
};

export type DocumentRevocationTable = {
  document_id: string;
  reason: string;
  revoked_at: Date;
  revoked_by_kind: string;
  revoked_by_id: string | null;
};
