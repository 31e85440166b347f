/**
 * What the applicant is told at each change of status, in their language: the status in words
 * and what happens next (pay, wait for review, change answers, collect), short enough for one
 * SMS; the application's page (the short link) says the rest. Pure.
 */
import type { ApplicationRow } from './application-repo.ts';
import type { ApplicationStatus } from './application-status.ts';

export type NoticeFacts = Readonly<{
  serviceName: Readonly<{ en: string; sw: string | null }>;
  /** The application's page, absolute. */
  url: string;
  /** For awaiting-payment: the bill reference and amount to pay by paybill. */
  bill?: Readonly<{ reference: string; amount: string; paybill: string }>;
}>;

type Language = 'en' | 'sw';

export const statusWords: Readonly<Record<Language, Readonly<Record<ApplicationStatus, string>>>>
  = {
    en: {
      draft: 'Draft', submitted: 'Submitted', 'awaiting-payment': 'Awaiting payment',
      paid: 'Paid, waiting for review', 'in-review': 'In review',
      returned: 'Returned for changes', resubmitted: 'Resubmitted', approved: 'Approved',
      rejected: 'Rejected', issued: 'Issued', cancelled: 'Cancelled',
    },
    sw: {
      draft: 'Rasimu', submitted: 'Limewasilishwa', 'awaiting-payment': 'Linasubiri malipo',
      paid: 'Limelipiwa, linasubiri kukaguliwa', 'in-review': 'Linakaguliwa',
      returned: 'Limerudishwa kwa marekebisho', resubmitted: 'Limewasilishwa upya',
      approved: 'Limeidhinishwa', rejected: 'Limekataliwa', issued: 'Hati imetolewa',
      cancelled: 'Limeghairiwa',
    },
  };

/** What to do next, short enough for one SMS with the rest (the page says more). */
function nextStep(language: Language, status: ApplicationStatus, facts: NoticeFacts): string {
  const sw = language === 'sw';
  const bill = facts.bill;
  switch (status) {
    case 'awaiting-payment':
      return bill === undefined ? '' : sw
        ? `Lipa ${bill.amount} paybill ${bill.paybill}, akaunti ${bill.reference}.`
        : `Pay ${bill.amount} by paybill ${bill.paybill}, account ${bill.reference}.`;
    case 'paid': return sw ? 'Wakala atalikagua.' : 'The agency will review it.';
    case 'returned':
      return sw ? 'Badilisha majibu na uwasilishe upya; bila kulipa tena.'
        : 'Change your answers and resubmit; no second payment.';
    case 'rejected': return sw ? 'Sababu iko mtandaoni.' : 'See the reason online.';
    case 'approved': return sw ? 'Hati yako inaandaliwa.' : 'Your document is being prepared.';
    case 'issued': return sw ? 'Pakua hati yako.' : 'Download your document.';
    default: return '';
  }
}

/** The params of the applications.status-changed notification. */
export function statusNotice(
  language: Language,
  application: ApplicationRow,
  status: ApplicationStatus,
  facts: NoticeFacts,
): Record<string, string> {
  return {
    reference: application.reference, status: statusWords[language][status],
    next: nextStep(language, status, facts), url: facts.url,
  };
}
