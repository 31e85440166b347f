/** The compliance pages' addresses (reverse routing: no URL strings in views or handlers). */
const base = '/staff/compliance';
const part = encodeURIComponent;

export const compliancePaths = {
  home: base,
  notices: `${base}/notices`,
  notice: (id: string): string => `${base}/notices/${part(id)}`,
  noticePattern: `${base}/notices/:noticeId`,
  noticeAnswer: (id: string): string => `${base}/notices/${part(id)}/answer`,
  noticeAnswerPattern: `${base}/notices/:noticeId/answer`,
  noticeClose: (id: string): string => `${base}/notices/${part(id)}/close`,
  noticeClosePattern: `${base}/notices/:noticeId/close`,
  noticeReopen: (id: string): string => `${base}/notices/${part(id)}/reopen`,
  noticeReopenPattern: `${base}/notices/:noticeId/reopen`,
  scorecard: `${base}/scorecard`,
  scorecardCsv: `${base}/scorecard.csv`,
  register: (agencyId: string): string => `${base}/agencies/${part(agencyId)}`,
  registerPattern: `${base}/agencies/:agencyId`,
  paybills: (agencyId: string): string => `${base}/agencies/${part(agencyId)}/paybills`,
  paybillsPattern: `${base}/agencies/:agencyId/paybills`,
  paybillClose: (agencyId: string, paybillId: string): string =>
    `${base}/agencies/${part(agencyId)}/paybills/${part(paybillId)}/close`,
  paybillClosePattern: `${base}/agencies/:agencyId/paybills/:paybillId/close`,
  revenue: (agencyId: string): string => `${base}/agencies/${part(agencyId)}/outside-revenue`,
  revenuePattern: `${base}/agencies/:agencyId/outside-revenue`,
  exemptions: (agencyId: string): string => `${base}/agencies/${part(agencyId)}/exemptions`,
  exemptionsPattern: `${base}/agencies/:agencyId/exemptions`,
  exemptionApprove: (agencyId: string, exemptionId: string): string =>
    `${base}/agencies/${part(agencyId)}/exemptions/${part(exemptionId)}/approve`,
  exemptionApprovePattern: `${base}/agencies/:agencyId/exemptions/:exemptionId/approve`,
} as const;
