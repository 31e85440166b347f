/**
 * Fixtures for the onboarding tests (src/modules/agencies/onboarding-*, services-*, fee-*):
 * a ministry, the answers of a valid new-agency form and service form, a one-question
 * application form, and a staff actor (a real staff_member row) of a role.
 */
import { sql } from 'kysely';
import type { StaffActor, StaffRole } from '#modules/authorisation/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { signInAs } from './sessions.ts';

export const agencyForm = (ministryId: string, nameEn: string): Record<string, string> => ({
  nameEn, nameSw: `${nameEn} (Kiswahili)`, ministryId, departmentId: '',
  contactName: 'Amina Otieno', contactEmail: 'Amina.Otieno@example.go.ke',
  contactPhone: '0712 345 678', bankName: 'Kenya Commercial Bank', bankCode: '01',
  branch: 'Moi Avenue', accountNumber: '1100 2233 44', accountName: `${nameEn} Collections`,
});

export const oneQuestionForm = JSON.stringify({ version: 1, pages: [{ id: 'about',
  title: { en: 'About you', sw: 'Kuhusu wewe' }, fields: [{ id: 'reason', kind: 'text',
    required: true, label: { en: 'Why you apply', sw: 'Kwa nini unaomba' } }] }] });

export const serviceFields = (nameEn: string, formSchema = ''): Record<string, string> => ({
  nameEn, nameSw: `${nameEn} (sw)`, descriptionEn: 'A licence to show films in public.',
  descriptionSw: 'Leseni ya kuonyesha filamu hadharani.',
  requirementsEn: 'Company registration certificate\nKRA PIN certificate',
  requirementsSw: 'Cheti cha usajili wa kampuni\nCheti cha PIN ya KRA',
  slaDays: '14', deliveryMode: 'online', formSchema,
});

/** A ministry to onboard agencies under; returns its id. */
export async function newMinistry(database: DatabaseHandle): Promise<string> {
  const id = uuidv7();
  await sql`insert into ministry (id, slug, name_en, origin)
    values (${id}, ${`ministry-${id}`}, 'Ministry of Information', 'synthetic')`
    .execute(database.db);
  return id;
}

/** A member of staff of the role (of the agency, for agency roles), as a service's actor. */
export async function staffActor(database: DatabaseHandle, role: StaffRole, agencyId?: string):
Promise<StaffActor> {
  const caller = await signInAs(database, role, agencyId === undefined ? {} : { agencyId });
  return { kind: 'staff', role, staffId: caller.id, agencyId: caller.agencyId,
    sessionId: caller.sessionId };
}
