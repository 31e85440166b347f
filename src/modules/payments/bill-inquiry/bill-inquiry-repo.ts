/** Reading and writing the bill inquiry tables (the caller's connection or transaction). */
import type { Kysely } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import type { Money } from '#platform/money/index.ts';
import {
  billInquiryDb,
  type BillInquiryRouteTable,
  type BillLookupDecision,
  type BillLookupOutcome,
} from './bill-inquiry-tables.ts';

export type BillInquiryRoute = Readonly<{
  id: string;
  agencyId: string;
  prefix: string;
  serviceId: string;
  payerAccountId: string;
  lookupUrl: string;
  timeoutMs: number;
  fallback: BillInquiryRouteTable['fallback'];
  allowsPartPayment: boolean;
  secret: string;
  createdAt: Date;
  updatedAt: Date;
}>;

export function toRoute(row: BillInquiryRouteTable): BillInquiryRoute {
  return { id: row.id, agencyId: row.agency_id, prefix: row.prefix, serviceId: row.service_id,
    payerAccountId: row.payer_account_id, lookupUrl: row.lookup_url, timeoutMs: row.timeout_ms,
    fallback: row.fallback, allowsPartPayment: row.allows_part_payment, secret: row.secret,
    createdAt: row.created_at, updatedAt: row.updated_at };
}

export async function findRouteByPrefix<DB>(db: Kysely<DB>, prefix: string):
  Promise<BillInquiryRoute | undefined> {
  const row = await billInquiryDb(db).selectFrom('bill_inquiry_route').selectAll()
    .where('prefix', '=', prefix).executeTakeFirst();
  return row === undefined ? undefined : toRoute(row);
}

export async function findRouteByAgency<DB>(db: Kysely<DB>, agencyId: string):
  Promise<BillInquiryRoute | undefined> {
  const row = await billInquiryDb(db).selectFrom('bill_inquiry_route').selectAll()
    .where('agency_id', '=', agencyId).executeTakeFirst();
  return row === undefined ? undefined : toRoute(row);
}

export type LookupRecord = Readonly<{
  routeId: string;
  reference: string;
  outcome: BillLookupOutcome;
  amountDue: Money | undefined;
  decision: BillLookupDecision;
  at: Date;
}>;

/** Appends one lookup; returns its id (our answer's ThirdPartyTransID). */
export async function insertLookup<DB>(db: Kysely<DB>, record: LookupRecord): Promise<string> {
  const id = uuidv7(record.at.getTime());
  await billInquiryDb(db).insertInto('bill_inquiry_lookup').values({
    id, route_id: record.routeId, reference: record.reference, outcome: record.outcome,
    amount_due_minor: record.amountDue?.amountMinor ?? null,
    currency: record.amountDue?.currency ?? null, decision: record.decision,
    looked_up_at: record.at }).execute();
  return id;
}

/** The amount due the agency last gave for a reference (found lookups only). */
export async function latestFoundLookup<DB>(db: Kysely<DB>, reference: string):
  Promise<Readonly<{ amount_due_minor: bigint | null; currency: Money['currency'] | null }> |
    undefined> {
  return billInquiryDb(db).selectFrom('bill_inquiry_lookup')
    .select(['amount_due_minor', 'currency'])
    .where('reference', '=', reference).where('outcome', '=', 'found')
    .orderBy('looked_up_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}
