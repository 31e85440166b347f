/**
 * The card channel's own addresses. The pay page's card button and the return page live under
 * the pay pages' addresses (payPaths.card, payPaths.cardReturn in payments), served here.
 */
export const cardPaths = {
  /** Where the acquirer POSTs its signed notifications. */
  notifications: '/api/v1/cards/notifications',
  cardPattern: '/pay/:reference/card',
  returnPattern: '/pay/:reference/card/return',
} as const;
