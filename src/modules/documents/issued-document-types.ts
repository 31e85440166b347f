/** Issued documents: what the caller (applications) states, and what documents keeps. */

export const documentTemplates = ['certificate', 'licence', 'permit', 'notice'] as const;
export type DocumentTemplate = (typeof documentTemplates)[number];

export function isDocumentTemplate(value: string): value is DocumentTemplate {
  return (documentTemplates as readonly string[]).includes(value);
}

export type BilingualText = Readonly<{ en: string; sw: string }>;

/** An extra line printed on the PDF and the holder's page (not signed). */
export type DocumentFact = Readonly<{ label: BilingualText; value: string }>;

export type DocumentDraft = Readonly<{
  /** Idempotency: the application id. Issuing twice for one source returns the first. */
  sourceKey: string;
  serviceId: string;
  agencyId: string;
  holderAccountId: string;
  /** As printed on the document and signed in its QR code. */
  holderName: string;
  template: DocumentTemplate;
  facts: readonly DocumentFact[];
  issuedAt: Date;
  /** The instant it stops being good; its Kenya date is printed as "valid until". */
  expiresAt: Date | null;
  serviceName: BilingualText;
  agencyName: BilingualText;
}>;

/** A document as issued: the draft, its id, number and signed payload, and any revocation. */
export type IssuedDocument = DocumentDraft & Readonly<{
  id: string;
  /** HD-XXXXX-XXXXX, printed and signed. */
  number: string;
  /** The signed QR text (HD1.<body>.<signature>). */
  payload: string;
  revokedAt: Date | null;
  /** Staff's words; shown to staff and the holder, never on the public /verify page. */
  revocationReason: string | null;
}>;

/** Limits on what a draft may hold (the table's checks say the same). */
export const documentLimits = {
  sourceKeyLengthMax: 200,
  holderNameLengthMax: 200,
  nameLengthMax: 300,
  factsCountMax: 20,
  factLengthMax: 300,
  revocationReasonLengthMax: 500,
  documentsPerHolderMax: 200,
} as const;
