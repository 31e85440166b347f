/** Addresses of the assisted service's pages. */
const enc = encodeURIComponent;

export const assistedPaths = {
  agentHome: '/staff/assisted',
  consents: '/staff/assisted/consents',
  consentPattern: '/staff/assisted/consents/:consentId',
  consent: (id: string): string => `/staff/assisted/consents/${enc(id)}`,
  sessionPattern: '/staff/assisted/sessions/:sessionId',
  session: (id: string): string => `/staff/assisted/sessions/${enc(id)}`,
  billsPattern: '/staff/assisted/sessions/:sessionId/bills',
  bills: (id: string): string => `/staff/assisted/sessions/${enc(id)}/bills`,
  billPattern: '/staff/assisted/sessions/:sessionId/bills/:billId',
  bill: (id: string, billId: string): string =>
    `/staff/assisted/sessions/${enc(id)}/bills/${enc(billId)}`,
  promptPattern: '/staff/assisted/sessions/:sessionId/bills/:billId/prompt',
  prompt: (id: string, billId: string): string =>
    `/staff/assisted/sessions/${enc(id)}/bills/${enc(billId)}/prompt`,
  endPattern: '/staff/assisted/sessions/:sessionId/end',
  end: (id: string): string => `/staff/assisted/sessions/${enc(id)}/end`,
  applicationPagePattern: '/staff/assisted/sessions/:sessionId/applications/:applicationId/' +
    'pages/:pageId',
  applicationPage: (id: string, applicationId: string, pageId: string): string =>
    `/staff/assisted/sessions/${enc(id)}/applications/${enc(applicationId)}/pages/${enc(pageId)}`,
  applicationCheckPattern: '/staff/assisted/sessions/:sessionId/applications/:applicationId/check',
  applicationCheck: (id: string, applicationId: string): string =>
    `/staff/assisted/sessions/${enc(id)}/applications/${enc(applicationId)}/check`,
  applicationSubmitPattern: '/staff/assisted/sessions/:sessionId/applications/:applicationId/' +
    'submit',
  applicationSubmit: (id: string, applicationId: string): string =>
    `/staff/assisted/sessions/${enc(id)}/applications/${enc(applicationId)}/submit`,
  register: '/staff/assisted/agents',
  feeCaps: '/staff/assisted/fee-caps',
  agencyBills: '/staff/assisted/bills',
  feeTable: '/agent-fees',
} as const;
