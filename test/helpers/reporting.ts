/**
 * Reporting fixtures: an agency with two priced services, and invoices inserted directly (the
 * reports read invoices; how they are issued is payments' business, tested there).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { generateBillReference } from '#modules/payments/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { createTestAgency } from './sessions.ts';

export type ReportingAgency = Readonly<{ agencyId: string; serviceIds: readonly string[];
  feeVersionIds: readonly string[] }>;

/** An agency with two services (fees KES 1,000.00 and KES 250.00). */
export async function createReportingAgency(database: DatabaseHandle, name: string):
  Promise<ReportingAgency> {
  const agencyId = await createTestAgency(database, name);
  const serviceIds = [uuidv7(), uuidv7()];
  const feeVersionIds = [uuidv7(), uuidv7()];
  const fees = [100_000n, 25_000n];
  for (const [index, serviceId] of serviceIds.entries()) {
    await sql`insert into service (id, agency_id, slug, name_en, origin, onboarding_status)
      values (${serviceId}, ${agencyId}, ${`svc-${serviceId}`}, ${`${name} service ${index + 1}`},
        'synthetic', ${index === 0 ? 'live' : 'in_progress'})`.execute(database.db);
    await sql`insert into fee_schedule_version (id, service_id, version, amount_minor, currency,
        effective_from) values (${feeVersionIds[index] ?? ''}, ${serviceId}, 1,
        ${fees[index] ?? 0n}, 'KES', '2020-01-01')`.execute(database.db);
  }
  return { agencyId, serviceIds, feeVersionIds };
}

export type TestInvoice = Readonly<{ agencyId: string; serviceId: string;
  feeVersionId: string; serviceFeeMinor: bigint; accessFeeMinor: bigint; issuedAt: Date }>;

/** An invoice with a service-fee line and (when not zero) an access-fee line; returns its id. */
export async function insertTestInvoice(database: DatabaseHandle, invoice: TestInvoice):
  Promise<string> {
  const id = uuidv7();
  const expiresAt = new Date(invoice.issuedAt.getTime() + 30 * 86_400_000);
  await sql`insert into invoice (id, reference, service_id, agency_id, payer_account_id,
      currency, total_minor, issued_at, expires_at)
    values (${id}, ${generateBillReference(randomBytes)}, ${invoice.serviceId},
      ${invoice.agencyId}, ${uuidv7()}, 'KES',
      ${invoice.serviceFeeMinor + invoice.accessFeeMinor}, ${invoice.issuedAt}, ${expiresAt})`
    .execute(database.db);
  await sql`insert into invoice_line (invoice_id, line_number, kind, description, amount_minor,
      currency, fee_schedule_version_id, fee_schedule_version)
    values (${id}, 1, 'service_fee', 'Service fee', ${invoice.serviceFeeMinor}, 'KES',
      ${invoice.feeVersionId}, 1)`.execute(database.db);
  if (invoice.accessFeeMinor > 0n) {
    await sql`insert into invoice_line (invoice_id, line_number, kind, description,
        amount_minor, currency, access_fee_schedule_id)
      values (${id}, 2, 'access_fee', 'Access fee', ${invoice.accessFeeMinor}, 'KES',
        '01930000-0000-7000-8000-000000000001')`.execute(database.db);
  }
  return id;
}
