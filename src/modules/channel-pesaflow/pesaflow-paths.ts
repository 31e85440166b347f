/** The paths of the Pesaflow-compatible checkout: the legacy gateway's, and our staff page. */
export const pesaflowPaths = {
  checkout: '/PaymentAPI/iframev2.1.php',
  status: '/api/invoice/payment/status',
  hosted: '/PaymentAPI/checkout',
  stk: '/PaymentAPI/checkout/stk',
  page: (requestId: string, notice?: string): string =>
    `/PaymentAPI/checkout?request_id=${encodeURIComponent(requestId)}${
      notice === undefined ? '' : `&notice=${encodeURIComponent(notice)}`}`,
  staff: '/staff/pesaflow-clients',
  disablePattern: '/staff/pesaflow-clients/:clientId/disable',
  disable: (clientId: string): string =>
    `/staff/pesaflow-clients/${encodeURIComponent(clientId)}/disable`,
} as const;
