/** Row types of the bill inquiry tables (migrations/202612050200_create-bill-inquiry.sql). */
import type { Kysely } from 'kysely';
import type { Currency } from '#platform/money/index.ts';
import type { PaymentsTables } from '../payments-tables.ts';

export type BillInquiryFallback = 'reject' | 'accept';
export type BillLookupOutcome =
  | 'found' | 'not_found' | 'timeout' | 'unavailable' | 'invalid_answer';
export type BillLookupDecision =
  | 'accepted' | 'rejected' | 'fallback_accepted' | 'fallback_rejected';

export type BillInquiryRouteTable = {
  id: string;
  agency_id: string;
  prefix: string;
  service_id: string;
  payer_account_id: string;
  lookup_url: string;
  timeout_ms: number;
  fallback: BillInquiryFallback;
  allows_part_payment: boolean;
  secret: string;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
};

export type BillInquiryLookupTable = {
  id: string;
  route_id: string;
  reference: string;
  outcome: BillLookupOutcome;
  amount_due_minor: bigint | null;
  currency: Currency | null;
  decision: BillLookupDecision;
  looked_up_at: Date;
};

export type BillInquiryTables = PaymentsTables & {
  bill_inquiry_route: BillInquiryRouteTable;
  bill_inquiry_lookup: BillInquiryLookupTable;
};

export type BillInquiryDb = Kysely<BillInquiryTables>;

export function billInquiryDb<DB>(db: Kysely<DB>): BillInquiryDb {
  return db as unknown as BillInquiryDb;
}
