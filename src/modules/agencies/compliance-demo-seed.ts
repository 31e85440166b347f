/**
 * Demo compliance register, so a fresh demo shows a meaningful scorecard: legacy paybills
 * (one past its closure date, one closed, one still within its date), exemptions (one
 * expired, one in force), outside revenue for recent months, and two notices (one overdue,
 * one answered); then the compliance check raises the alerts they call for. Demo agencies
 * only; added once (nothing is added if the register holds anything). Dates are relative to
 * the day it runs, so the demo stays meaningful.
 */
import type { Database } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { checkCompliance } from './compliance-alerts.ts';
import { nairobiDate } from './compliance-rules.ts';
import { complianceDb } from './compliance-tables.ts';

const dayMs = 86_400_000;
const immigration = 'department-of-immigration-services';
const transport = 'national-transport-and-safety-authority';
const business = 'business-registration-service';
/** Demo people of the compliance desk (a maker and a different checker). */
const deskMaker = 'demo-compliance-desk-1';
const deskChecker = 'demo-compliance-desk-2';
const agencyDeclarant = 'demo-agency-administrator';

export async function seedDemoCompliance(deps: Readonly<{ db: Database }>, now = new Date()):
Promise<{ seeded: boolean }> {
  const db = complianceDb(deps.db);
  const existing = await db.selectFrom('compliance_legacy_paybill').select('id')
    .union(db.selectFrom('compliance_notice').select('id')).limit(1).execute();
  if (existing.length > 0) return { seeded: false };
  const agencies = await db.selectFrom('agency').select(['id', 'slug'])
    .where('slug', 'in', [immigration, transport, business]).execute();
  const idOf = new Map(agencies.map((agency) => [agency.slug, agency.id]));
  const [imm, ntsa, brs] = [idOf.get(immigration), idOf.get(transport), idOf.get(business)];
  if (imm === undefined || ntsa === undefined || brs === undefined) return { seeded: false };
  const day = (offset: number) => nairobiDate(new Date(now.getTime() + offset * dayMs));
  const month = (back: number) => {
    const date = new Date(now.getTime());
    date.setUTCDate(1);
    date.setUTCMonth(date.getUTCMonth() - back);
    return date.toISOString().slice(0, 8) + '01';
  };
  const at = new Date(now.getTime() - 40 * dayMs);
  const paybill = (agencyId: string, number: string, name: string, due: number,
    closed: number | null) => ({ id: uuidv7(at.getTime()), agency_id: agencyId,
    paybill_number: number, account_name: name, closure_due_on: day(due),
    closed_on: closed === null ? null : day(closed), declared_by: agencyDeclarant,
    declared_at: at });
  const exemption = (agencyId: string, expires: number, reason: string, plan: string) => ({
    id: uuidv7(at.getTime()), agency_id: agencyId, service_id: null, reason,
    migration_plan: plan, expires_on: day(expires), recorded_by: deskMaker, recorded_at: at,
    approved_by: deskChecker, approved_at: at });
  const notices = [
    { id: uuidv7(at.getTime()), agency_id: imm, subject: 'Legacy passport fees paybill',
      body: 'Paybill 522100 was to close last month. Close it or explain why it is open.',
      deadline_on: day(-5), state: 'issued' as const, issued_by: deskMaker, issued_at: at,
      updated_at: at },
    { id: uuidv7(at.getTime()), agency_id: ntsa, subject: 'Driving test fees outside Huduma',
      body: 'Declare the revenue collected outside the platform and the plan to move it.',
      deadline_on: day(10), state: 'answered' as const, issued_by: deskMaker, issued_at: at,
      updated_at: at },
  ];
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('compliance_legacy_paybill').values([
      paybill(imm, '522100', 'Passport fees collection', -30, null),
      paybill(imm, '522101', 'Visa fees collection', -60, -45),
      paybill(ntsa, '303030', 'Driving test fees', 90, null),
    ]).execute();
    await trx.insertInto('compliance_exemption').values([
      exemption(ntsa, -10, 'Smart DL card production runs on the vendor\'s own billing.',
        'Move card fees to Huduma invoices through bill inquiry.'),
      exemption(brs, 120, 'Company registry integration under test.',
        'Switch collection to Huduma when the bill-inquiry endpoint passes testing.'),
    ]).execute();
    await trx.insertInto('compliance_outside_revenue').values([1, 2, 3].map((back) => ({
      agency_id: ntsa, month: month(back), currency: 'KES' as const,
      amount_minor: BigInt(back) * 1_250_000_00n, declared_by: agencyDeclarant,
      declared_at: at }))).execute();
    await trx.insertInto('compliance_notice').values(notices).execute();
    await trx.insertInto('compliance_notice_event').values([
      ...notices.map((notice) => ({ id: uuidv7(at.getTime()), notice_id: notice.id,
        kind: 'issued' as const, actor_id: deskMaker, occurred_at: at, text: '',
        deadline_on: notice.deadline_on })),
      { id: uuidv7(at.getTime()), notice_id: notices[1]?.id ?? '', kind: 'answered' as const,
        actor_id: agencyDeclarant, occurred_at: at, deadline_on: null,
        text: 'About KES 3.75 m a quarter; moving by the end of next quarter.' },
    ]).execute();
  });
  await checkCompliance(deps.db, now);
  return { seeded: true };
}
