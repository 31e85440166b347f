/**
 * The citizen pay pages' addresses (reverse routing). `routePatterns` are the same addresses
 * as Fastify patterns. Nothing here says "mpesa" in a path M-Pesa calls (those are callbacks,
 * elsewhere); these are pages people open.
 */
import { webPaths } from '#web/index.ts';

const segment = encodeURIComponent;

export const payPaths = {
  /** POST here (from a service page) to issue an invoice for the service and go to pay it. */
  startForService: webPaths.payForService,
  invoice: (reference: string): string => `/pay/${segment(reference)}`,
  stkPush: (reference: string): string => `/pay/${segment(reference)}/mpesa`,
  waiting: (reference: string, pushId: string): string =>
    `/pay/${segment(reference)}/mpesa/${segment(pushId)}`,
  status: (reference: string, pushId: string): string =>
    `/pay/${segment(reference)}/mpesa/${segment(pushId)}/status`,
  credit: (reference: string): string => `/pay/${segment(reference)}/credit`,
  /** Served by channel-cards: POST makes the acquirer's session and goes to its page. */
  card: (reference: string): string => `/pay/${segment(reference)}/card`,
  /** Served by channel-cards: where the acquirer sends the payer back (?sessionId=). */
  cardReturn: (reference: string): string => `/pay/${segment(reference)}/card/return`,
  /** Issues the receipts of the invoice's payments, then goes to the newest. */
  receipt: (reference: string): string => `/pay/${segment(reference)}/receipt`,
} as const;

export const payRoutePatterns = {
  startForService: '/pay/services/:slug',
  invoice: '/pay/:reference',
  stkPush: '/pay/:reference/mpesa',
  waiting: '/pay/:reference/mpesa/:pushId',
  status: '/pay/:reference/mpesa/:pushId/status',
  credit: '/pay/:reference/credit',
  card: '/pay/:reference/card',
  cardReturn: '/pay/:reference/card/return',
  receipt: '/pay/:reference/receipt',
} as const;
