import type { ErrorTable } from '#platform/errors/index.ts';

/** Failures of the card channel (docs/errors.md lists each). */
export const cardsErrors = {
  CARDS_NOT_AVAILABLE: {
    status: 404, title: 'Card payments are not offered here (no card acquirer is configured)' },
  CARDS_INVOICE_NOT_PAYABLE: {
    status: 409, title: 'This invoice has nothing left to pay, or can no longer be paid' },
  CARDS_ACQUIRER_UNAVAILABLE: {
    status: 502, title: 'The card acquirer could not start a payment; nothing was charged' },
  CARDS_SESSION_NOT_FOUND: {
    status: 404, title: 'No card payment of this invoice has this session' },
  CARDS_NOTIFICATION_REFUSED: {
    status: 401, title: 'The card notification is not signed with our key, or is too old' },
  CARDS_NOTIFICATION_NOT_UNDERSTOOD: {
    status: 400, title: 'The card notification is not an event we understand' },
} as const satisfies ErrorTable;

export type CardsErrorCode = keyof typeof cardsErrors;
