/** The documents module's addresses (reverse routing): views and handlers use these. */
export const documentsPaths = {
  receipt: (id: string): string => `/receipts/${encodeURIComponent(id)}`,
  receiptPdf: (id: string): string => `/receipts/${encodeURIComponent(id)}/receipt.pdf`,
  /** A receipt by its number: the short link payment messages carry; goes to the receipt. */
  receiptByNumber: (number: string): string => `/r/${encodeURIComponent(number)}`,
  staffReceipt: (id: string): string => `/staff/receipts/${encodeURIComponent(id)}`,
  staffReceiptPdf: (id: string): string =>
    `/staff/receipts/${encodeURIComponent(id)}/receipt.pdf`,
  /** The check page; with a payload, its answer for that payload. */
  verify: (payload?: string): string => payload === undefined ? '/verify'
    : `/verify?${new URLSearchParams({ p: payload }).toString()}`,
  /** The holder's documents, their page and PDF (issued-document-routes.ts). */
  documents: '/documents',
  document: (id: string): string => `/documents/${encodeURIComponent(id)}`,
  documentPdf: (id: string): string => `/documents/${encodeURIComponent(id)}/document.pdf`,
  staffDocument: (id: string): string => `/staff/documents/${encodeURIComponent(id)}`,
  staffDocumentPdf: (id: string): string =>
    `/staff/documents/${encodeURIComponent(id)}/document.pdf`,
  /** POST: revoke the document (reason required). */
  revoke: (id: string): string => `/staff/documents/${encodeURIComponent(id)}/revoke`,
  /** GET ?p=<payload>: the JSON answer of /verify. */
  verifyApi: '/api/v1/verify',
  signingKey: '/.well-known/huduma-signing-key',
  signingKeyPem: '/.well-known/huduma-signing-key.pem',
} as const;

export const documentsRoutePatterns = {
  receipt: '/receipts/:id',
  receiptPdf: '/receipts/:id/receipt.pdf',
  receiptByNumber: '/r/:number',
  staffReceipt: '/staff/receipts/:id',
  staffReceiptPdf: '/staff/receipts/:id/receipt.pdf',
  verify: '/verify',
  document: '/documents/:id',
  documentPdf: '/documents/:id/document.pdf',
  staffDocument: '/staff/documents/:id',
  staffDocumentPdf: '/staff/documents/:id/document.pdf',
  revoke: '/staff/documents/:id/revoke',
} as const;
