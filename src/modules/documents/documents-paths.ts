/** The documents module's addresses (reverse routing): views and handlers use these. */
export const documentsPaths = {
  receipt: (id: string): string => `/receipts/${encodeURIComponent(id)}`,
  receiptPdf: (id: string): string => `/receipts/${encodeURIComponent(id)}/receipt.pdf`,
  staffReceipt: (id: string): string => `/staff/receipts/${encodeURIComponent(id)}`,
  staffReceiptPdf: (id: string): string =>
    `/staff/receipts/${encodeURIComponent(id)}/receipt.pdf`,
  /** The check page; with a payload, its answer for that payload. */
  verify: (payload?: string): string => payload === undefined ? '/verify'
    : `/verify?${new URLSearchParams({ p: payload }).toString()}`,
  signingKey: '/.well-known/huduma-signing-key',
  signingKeyPem: '/.well-known/huduma-signing-key.pem',
} as const;

export const documentsRoutePatterns = {
  receipt: '/receipts/:id',
  receiptPdf: '/receipts/:id/receipt.pdf',
  staffReceipt: '/staff/receipts/:id',
  staffReceiptPdf: '/staff/receipts/:id/receipt.pdf',
  verify: '/verify',
} as const;
