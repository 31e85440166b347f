/**
 * Shared set-up for the applications service tests (no tests of its own): the app over a
 * test database with the Daraja emulator, the demo catalogue and forms, answers that complete
 * the driving-licence and marriage-notice forms, applicants and staff, and paying an
 * application's invoice by M-Pesa through the emulator.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { StaffActor } from '#modules/authorisation/index.ts';
import type { Clock } from '#platform/clock/index.ts';
import { seedDemoCatalogue } from '#modules/catalogue/index.ts';
import { documentSigningKeys } from '#modules/documents/index.ts';
import type { DatabaseHandle } from '#platform/db/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { startPaymentsHarness, type PaymentsHarness } from '#test/helpers/payments.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import type { ApplicantActor } from './application-service.ts';
import { saveAnswers, startApplication } from './application-service.ts';
import { seedDemoForms } from './demo-forms-seed.ts';
import {
  demoForms,
  readPage,
  validateAnswers,
  type Answers,
  type FormDefinition,
} from './forms/index.ts';
import { paymentAllocatedHandler } from './payment-allocated-handler.ts';
import type { ReviewDeps } from './review-service.ts';

export const licenceSlug = 'driving-licence-renewal-one-year';
export const marriageSlug = 'civil-marriage';

/** Reads posted pages into answers, as the form pages do; every page must be valid. */
export function answersFrom(def: FormDefinition,
  pages: Readonly<Record<string, Record<string, string>>>): Answers {
  let answers: Answers = {};
  for (const [pageId, fields] of Object.entries(pages)) {
    const read = readPage(def, pageId, { fields, files: [] }, answers);
    assert.deepEqual(read.errors, [], `page ${pageId}`);
    answers = read.answers;
  }
  assert.deepEqual(validateAnswers(def, answers), []);
  return answers;
}

export const licenceAnswers = answersFrom(demoForms[licenceSlug] as FormDefinition, {
  licence: { licenceNumber: 'DL1234567', idNumber: '12345678', 'expiryDate.day': '1',
    'expiryDate.month': '2', 'expiryDate.year': '2027', licenceClasses: 'B' },
  medical: { medicalCondition: 'no', declaration: 'yes' },
});

/** A complete notice of marriage naming the partner by their ID number. */
export function marriageAnswers(partnerIdNumber: string, occupation = 'Teacher'): Answers {
  const person = { 'dateOfBirth.day': '5', 'dateOfBirth.month': '6', 'dateOfBirth.year': '1990' };
  return answersFrom(demoForms[marriageSlug] as FormDefinition, {
    you: { fullName: 'Amina Wanjiru', idNumber: '23456789', ...person,
      maritalStatus: 'never-married', occupation, 'residence.line1': 'Moi Avenue 1',
      'residence.town': 'Nairobi', 'residence.county': 'Nairobi' },
    partner: { partnerName: 'Baraka Otieno', partnerIdNumber,
      'partnerDateOfBirth.day': '7', 'partnerDateOfBirth.month': '8',
      'partnerDateOfBirth.year': '1989', partnerMaritalStatus: 'never-married',
      partnerPhone: '0712345678' },
    ceremony: { venue: 'nairobi', 'ceremonyDate.day': '1', 'ceremonyDate.month': '3',
      'ceremonyDate.year': '2031' },
    witnesses: { 'witnesses.0.name': 'Achieng Otieno', 'witnesses.0.idNumber': '34567890',
      'witnesses.0.phone': '0712345679', 'witnesses.1.name': 'Juma Mwangi',
      'witnesses.1.idNumber': '45678901', 'witnesses.1.phone': '0712345680' },
  });
}

export type Fixture = Readonly<{
  harness: PaymentsHarness;
  deps: ReviewDeps;
  db: DatabaseHandle['db'];
  /** The agency of the driving licence service, and of the marriage notice. */
  licenceAgencyId: string;
  marriageAgencyId: string;
}>;

export async function agencyOf(database: DatabaseHandle, slug: string): Promise<string> {
  const rows = await sql<{ agency_id: string }>`select agency_id from service
    where slug = ${slug}`.execute(database.db);
  const agencyId = rows.rows[0]?.agency_id;
  assert.ok(agencyId !== undefined, slug);
  return agencyId;
}

export async function startFixture(database: DatabaseHandle,
  options: Readonly<{ clock?: Clock }> = {}): Promise<Fixture> {
  const harness = await startPaymentsHarness(database, options);
  await seedDemoCatalogue(harness.deps);
  await seedDemoForms(harness.deps);
  const deps = { ...harness.deps, signingKeys: await documentSigningKeys(harness.deps.config) };
  return { harness, deps, db: database.db, licenceAgencyId: await agencyOf(database, licenceSlug),
    marriageAgencyId: await agencyOf(database, marriageSlug) };
}

let idNumberCounter = 0;

/**
 * A citizen account with a national ID number of 8 digits (what the forms accept), signed in.
 * @returns the caller and the applicant actor acting for themselves.
 */
export async function newCitizen(database: DatabaseHandle): Promise<Readonly<{
  caller: TestCaller; who: ApplicantActor; idNumber: string }>> {
  idNumberCounter += 1;
  const idNumber = `3${String(process.pid % 1000).padStart(3, '0')}${
    String(idNumberCounter).padStart(4, '0')}`;
  const id = uuidv7();
  const now = new Date();
  await sql`insert into account (id, kind, document_type, document_number, first_name,
    last_name, birth_date, password_hash, phone, created_at, updated_at)
    values (${id}, 'citizen', 'national_id', ${idNumber}, 'Test', 'Citizen', '1990-01-01',
    '$scrypt$ln=1,r=1,p=1$AAAA$AAAA', '+254700000001', ${now}, ${now})`.execute(database.db);
  const caller = await signInAs(database, 'account-holder', { accountId: id });
  return { caller, who: { accountId: id, forAccountId: id }, idNumber };
}

export function staffActorOf(caller: TestCaller): StaffActor {
  if (caller.role === 'account-holder' || caller.role === 'agency-api-client') {
    throw new Error(`${caller.role} is not staff`);
  }
  return { kind: 'staff', role: caller.role, staffId: caller.id, agencyId: caller.agencyId,
    sessionId: caller.sessionId };
}

/** Starts an application and saves complete answers; returns its id. */
export async function draftApplication(fixture: Fixture, slug: string, who: ApplicantActor,
  answers: Answers): Promise<string> {
  const started = await startApplication(fixture.deps, { service: slug, who,
    clientActionId: uuidv7(), now: new Date() });
  assert.ok(started.ok);
  const saved = await saveAnswers(fixture.deps, { applicationId: started.value.id, who,
    answers, now: new Date() });
  assert.ok(saved.ok);
  return started.value.id;
}

export async function statusOf(fixture: Fixture, applicationId: string):
  Promise<string | undefined> {
  const rows = await sql<{ status: string }>`select status from application_state
    where application_id = ${applicationId}`.execute(fixture.db);
  return rows.rows[0]?.status;
}

export async function actionKindsOf(fixture: Fixture, applicationId: string): Promise<string[]> {
  const rows = await sql<{ kind: string }>`select kind from application_action
    where application_id = ${applicationId} order by seq`.execute(fixture.db);
  return rows.rows.map((row) => row.kind);
}

export type InvoiceFacts = Readonly<{ id: string; reference: string; total_minor: bigint;
  payer_account_id: string }>;

export async function invoicesOf(fixture: Fixture, applicationId: string):
  Promise<InvoiceFacts[]> {
  const rows = await sql<InvoiceFacts>`select id, reference, total_minor, payer_account_id
    from invoice where subject = ${`application:${applicationId}`}`.execute(fixture.db);
  return rows.rows;
}

/**
 * Pays the invoice in full by M-Pesa (C2B through the emulator); the outbox not yet run.
 * @returns the emulator's outcome ('rejected': validation refused it, no money was taken).
 */
export async function tryPayByMpesa(fixture: Fixture, invoice: InvoiceFacts): Promise<string> {
  const emulator = fixture.harness.daraja.emulator;
  const outcome = await emulator.simulateC2b({
    amountShillings: BigInt(invoice.total_minor) / 100n, msisdn: '0712345126',
    billReference: invoice.reference });
  await emulator.idle();
  return outcome.status;
}

export async function payByMpesa(fixture: Fixture, invoice: InvoiceFacts): Promise<void> {
  assert.equal(await tryPayByMpesa(fixture, invoice), 'completed');
}

/** Runs the payment.allocated consumer over what is waiting in the outbox. */
export async function drainPayments(fixture: Fixture): Promise<void> {
  await runOutboxBatch({ db: fixture.db, clock: fixture.harness.deps.clock,
    logger: createLogger({ level: 'silent' }),
    handlers: { 'payment.allocated': paymentAllocatedHandler(fixture.deps) } });
}
