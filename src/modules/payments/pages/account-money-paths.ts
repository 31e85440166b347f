/**
 * The citizen's money pages under /account (reverse routing): their bills, cancelling one,
 * their payments and credit. `accountMoneyRoutePatterns` are the same as Fastify patterns.
 */
const segment = encodeURIComponent;

export const billGroups = ['open', 'paid', 'expired', 'cancelled'] as const;
export type BillGroup = (typeof billGroups)[number];

export function isBillGroup(value: string): value is BillGroup {
  return (billGroups as readonly string[]).includes(value);
}

export const accountMoneyPaths = {
  bills: (group: BillGroup = 'open', page = 1): string => {
    const query = new URLSearchParams();
    if (group !== 'open') query.set('group', group);
    if (page > 1) query.set('page', String(page));
    const text = query.toString();
    return text === '' ? '/account/bills' : `/account/bills?${text}`;
  },
  cancelledNotice: '/account/bills?group=cancelled&notice=cancelled',
  cancelBill: (reference: string): string => `/account/bills/${segment(reference)}/cancel`,
  payments: (page = 1): string =>
    page > 1 ? `/account/payments?page=${String(page)}` : '/account/payments',
  /** The applications module's apply page: where paying for a service with a form starts. */
  applyForService: (slug: string): string => `/services/${segment(slug)}/apply`,
} as const;

export const accountMoneyRoutePatterns = {
  bills: '/account/bills',
  cancelBill: '/account/bills/:reference/cancel',
  payments: '/account/payments',
} as const;
