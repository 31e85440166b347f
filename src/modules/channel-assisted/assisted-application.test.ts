/**
 * An agent applies in a citizen's name, on both databases: a service with a form is the
 * citizen's application (theirs in applications, started and submitted as theirs), recorded
 * as made through the agent with the agent fee checked against the cap; submitting issues the
 * citizen's invoice for the government fee only, linked as a bill through the agent, and the
 * citizen (not the agent) is told both fees apart; the audit names the agent acting for the
 * citizen. Forms with uploads or a second party are refused before anything is started;
 * another agent finds nothing; an incomplete form is not submitted.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { demoForms, type FormDefinition } from '#modules/applications/index.ts';
import type { StaffActor } from '#modules/authorisation/index.ts';
import { listRecentNotifications } from '#modules/notifications/index.ts';
import { invoiceViewById } from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { latestCodeSentTo } from '#test/helpers/inbox.ts';
import { fixtureIds, insertPaymentsFixture } from '#test/helpers/payments.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { registerAgent } from './agent-register-service.ts';
import { listAssistedApplications } from './application-listing.ts';
import { assistedApplication, saveAssistedAnswers, startAssistedApplication,
  submitAssistedApplication } from './assisted-application-service.ts';
import { makeAssistedBill } from './assisted-payment-service.ts';
import { assistedDb } from './assisted-tables.ts';
import { confirmConsent, requestConsent } from './consent-service.ts';
import { publishFeeCap } from './fee-cap-service.ts';

const text = (en: string) => ({ en, sw: `${en} (sw)` });
const oneQuestion: FormDefinition = { version: 1, pages: [{ id: 'about', title: text('About'),
  fields: [{ id: 'reason', kind: 'text', label: text('Why you apply'), required: true,
    maxLength: 100 }] }] };
const withUpload = demoForms['ordinary-passport-34-pages'];
const withPartner = demoForms['civil-marriage'];
let phoneCounter = 0;

describeOnDatabases('assisted service: applications', (database) => {
  const deps = () => testDeps(database());
  let agent: StaffActor;
  let otherAgent: StaffActor;

  async function newAgent(number: string): Promise<StaffActor> {
    const caller = await signInAs(database(), 'assisted-agent');
    const admin = await signInAs(database(), 'platform-admin');
    const registered = await registerAgent(deps(), {
      email: `assisted-agent.${caller.id}@staff.test`, agentNumber: number,
      businessName: 'Kencom Cyber', kind: 'cyber-cafe', location: 'Nairobi',
      actor: { kind: 'staff', id: admin.id }, now: new Date() });
    assert.ok(registered.ok);
    return { kind: 'staff', role: 'assisted-agent', staffId: caller.id, agencyId: null,
      sessionId: caller.sessionId };
  }

  /** A consenting citizen's session with the agent: the citizen's id, phone and session. */
  async function session(): Promise<{ citizen: string; phone: string; sessionId: string }> {
    const caller = await signInAs(database(), 'account-holder');
    phoneCounter += 1;
    const phone = `+2547${String(process.pid % 1000).padStart(3, '0')}${
      String(phoneCounter + 50_000).padStart(5, '0')}`;
    await sql`update account set phone = ${phone} where id = ${caller.id}`.execute(database().db);
    const requested = await requestConsent(deps(), { agent, citizen: phone, now: new Date(),
      sourceAddress: null });
    assert.ok(requested.ok, JSON.stringify(requested));
    const code = await latestCodeSentTo(database(), phone, 'assisted.consent-code');
    const confirmed = await confirmConsent(deps(), { agent,
      consentId: requested.value.consentId, code, now: new Date(), sourceAddress: null });
    assert.ok(confirmed.ok);
    return { citizen: caller.id, phone, sessionId: confirmed.value.sessionId };
  }

  const applicationsOf = async (accountId: string) => (await sql<{ id: string;
    started_by_account_id: string }>`select id, started_by_account_id from application
    where applicant_account_id = ${accountId}`.execute(database().db)).rows;

  before(async () => {
    await insertPaymentsFixture(database());
    for (const [id, form] of [[fixtureIds.permit, oneQuestion], [fixtureIds.passport,
      withUpload], [fixtureIds.free, withPartner]] as const) {
      await sql`update service set form_schema = ${JSON.stringify(form)}
        where id = ${id}`.execute(database().db);
    }
    agent = await newAgent('HC-APPL-001');
    otherAgent = await newAgent('HC-APPL-002');
    const admin = await signInAs(database(), 'platform-admin');
    const flat = await publishFeeCap(deps(), { service: '', amount: '100',
      effectiveFrom: new Date().toISOString().slice(0, 10),
      actor: { kind: 'staff', id: admin.id }, now: new Date(Date.now() - 86_400_000) });
    assert.ok(flat.ok);
  });

  it('makes the citizen\'s application through the agent; submit bills the citizen', async () => {
    const { citizen, phone, sessionId } = await session();
    const requestKey = uuidv7();
    const bill = await makeAssistedBill(deps(), { agent, sessionId, service: 'fixture-permit',
      agentFee: '40', requestKey, now: new Date() });
    assert.ok(!bill.ok);
    assert.equal(bill.error.code, 'ASSISTED_SERVICE_NEEDS_FORM');
    assert.equal(bill.error.detail, fixtureIds.permit, 'the route applies instead');
    const input = { agent, sessionId, serviceId: fixtureIds.permit, agentFee: '40', requestKey,
      now: new Date() };
    const started = await startAssistedApplication(deps(), input);
    assert.ok(started.ok, JSON.stringify(started));
    const again = await startAssistedApplication(deps(), input);
    assert.deepEqual(again, started, 'the same form twice starts one application');
    assert.deepEqual(await applicationsOf(citizen),
      [{ id: (await applicationsOf(citizen))[0]?.id, started_by_account_id: citizen }]);
    const found = await assistedApplication(deps(), agent, sessionId, started.value.id,
      new Date());
    assert.ok(found.ok);
    assert.equal(found.value.draft.applicantAccountId, citizen);
    const history = (await sql<{ kind: string; actor_id: string; comment: string }>`select kind,
      actor_id, comment from application_action where application_id = ${found.value.draft.id}`
      .execute(database().db)).rows;
    assert.deepEqual(history.map((row) => [row.kind, row.actor_id]), [['start', citizen]]);
    assert.match(history[0]?.comment ?? '', /^Made through agent HC-APPL-001 \(Kencom Cyber\)/,
      'the application\'s history, shown to the citizen and to staff, names the agent');
    const saved = await saveAssistedAnswers(deps(), found.value,
      { reason: 'A permit for a school trip' }, new Date());
    assert.ok(saved.ok);
    const filled = await assistedApplication(deps(), agent, sessionId, started.value.id,
      new Date());
    assert.ok(filled.ok);
    const clientActionId = uuidv7();
    const submitted = await submitAssistedApplication(deps(), agent, filled.value,
      { clientActionId, now: new Date() });
    assert.ok(submitted.ok, JSON.stringify(submitted));
    const billId = submitted.value.billId;
    assert.ok(billId !== undefined);
    const link = await assistedDb(database().db).selectFrom('assisted_transaction').selectAll()
      .where('id', '=', billId).executeTakeFirstOrThrow();
    const invoice = await invoiceViewById(deps(), link.invoice_id, new Date());
    assert.equal(invoice?.payerAccountId, citizen, 'the invoice is the citizen\'s');
    assert.equal(invoice.total.amountMinor, 26_000n, 'the government fee only');
    assert.equal(link.agent_fee_minor.toString(), '4000');
    const state = (await sql<{ invoice_id: string; status: string }>`select invoice_id, status
      from application_state where application_id = ${found.value.draft.id}`
      .execute(database().db)).rows[0];
    assert.equal(state?.invoice_id, link.invoice_id, 'the application\'s own invoice');
    const repeated = await submitAssistedApplication(deps(), agent, filled.value,
      { clientActionId, now: new Date() });
    assert.deepEqual(repeated, submitted, 'submitting twice links one bill');
    const summaries = (await listRecentNotifications(database().db, 100)).filter((message) =>
      message.recipient === phone && message.template === 'assisted.fee-summary');
    assert.equal(summaries.length, 1, 'one summary, to the citizen');
    assert.match(summaries[0]?.body ?? '', /Agent fee KES\s?40\.00 to agent HC-APPL-001/);
    const audits = (await sql<{ action: string; actor_id: string; on_behalf_of_id: string }>`
      select action, actor_id, on_behalf_of_id from audit_record
      where subject_id = ${found.value.draft.id} and action like 'ASSISTED_%'
      order by sequence`.execute(database().db)).rows;
    assert.deepEqual(audits.map((row) => [row.action, row.actor_id, row.on_behalf_of_id]), [
      ['ASSISTED_APPLICATION_STARTED', agent.staffId, citizen],
      ['ASSISTED_APPLICATION_SUBMITTED', agent.staffId, citizen]]);
    const listed = await listAssistedApplications(deps(), { citizenAccountId: citizen });
    assert.deepEqual(listed.map((row) => [row.applicationId, row.agentNumber]),
      [[found.value.draft.id, 'HC-APPL-001']]);
    assert.equal((await listAssistedApplications(deps(),
      { agency: fixtureIds.agency })).some((row) => row.applicationId === found.value.draft.id),
    true);
  });

  it('refuses a fee above the cap, uploads and a second party before starting', async () => {
    const { citizen, sessionId } = await session();
    const start = (serviceId: string, agentFee = '40') => startAssistedApplication(deps(),
      { agent, sessionId, serviceId, agentFee, requestKey: uuidv7(), now: new Date() });
    const codeOf = async (result: ReturnType<typeof start>) => {
      const settled = await result;
      return settled.ok ? 'ok' : settled.error.code;
    };
    assert.equal(await codeOf(start(fixtureIds.permit, '150')), 'ASSISTED_FEE_ABOVE_CAP');
    assert.equal(await codeOf(start(fixtureIds.passport)), 'ASSISTED_FORM_NEEDS_UPLOADS');
    assert.equal(await codeOf(start(fixtureIds.free)), 'ASSISTED_FORM_NEEDS_SECOND_PARTY');
    assert.equal(await codeOf(start(fixtureIds.visa)), 'ASSISTED_SERVICE_NOT_AVAILABLE');
    assert.deepEqual(await applicationsOf(citizen), [], 'nothing was started');
  });

  it('shows an application to its own agent only, and submits only a whole form', async () => {
    const { sessionId } = await session();
    const started = await startAssistedApplication(deps(), { agent, sessionId,
      serviceId: fixtureIds.permit, agentFee: '0', requestKey: uuidv7(), now: new Date() });
    assert.ok(started.ok);
    const byOther = await assistedApplication(deps(), otherAgent, sessionId, started.value.id,
      new Date());
    assert.equal(byOther.ok ? 'ok' : byOther.error.code, 'ASSISTED_SESSION_NOT_ACTIVE');
    const wrongId = await assistedApplication(deps(), agent, sessionId, uuidv7(), new Date());
    assert.equal(wrongId.ok ? 'ok' : wrongId.error.code, 'ASSISTED_APPLICATION_NOT_FOUND');
    const found = await assistedApplication(deps(), agent, sessionId, started.value.id,
      new Date());
    assert.ok(found.ok);
    const empty = await submitAssistedApplication(deps(), agent, found.value,
      { clientActionId: uuidv7(), now: new Date() });
    assert.equal(empty.ok ? 'ok' : empty.error.detail, 'APPLICATION_ANSWERS_INCOMPLETE');
    const badKey = await submitAssistedApplication(deps(), agent, found.value,
      { clientActionId: 'x', now: new Date() });
    assert.equal(badKey.ok ? 'ok' : badKey.error.code, 'ASSISTED_APPLICATION_NOT_SUBMITTED');
  });

  it('two submits racing with different keys make one invoice and one linked bill', async () => {
    const { sessionId } = await session();
    const started = await startAssistedApplication(deps(), { agent, sessionId,
      serviceId: fixtureIds.permit, agentFee: '10', requestKey: uuidv7(), now: new Date() });
    assert.ok(started.ok);
    const found = await assistedApplication(deps(), agent, sessionId, started.value.id,
      new Date());
    assert.ok(found.ok);
    assert.ok((await saveAssistedAnswers(deps(), found.value, { reason: 'Racing' },
      new Date())).ok);
    const filled = await assistedApplication(deps(), agent, sessionId, started.value.id,
      new Date());
    assert.ok(filled.ok);
    const results = await Promise.all([uuidv7(), uuidv7()].map((clientActionId) =>
      submitAssistedApplication(deps(), agent, filled.value, { clientActionId,
        now: new Date() })));
    const billIds = new Set(results.flatMap((result) => result.ok && result.value.billId !==
      undefined ? [result.value.billId] : []));
    assert.equal(billIds.size, 1, JSON.stringify(results));
    const linked = (await sql<{ n: string }>`select count(*)::text as n from assisted_transaction t
      join application_state s on s.invoice_id = t.invoice_id
      where s.application_id = ${filled.value.draft.id}`.execute(database().db)).rows[0];
    assert.equal(linked?.n, '1');
    const invoices = (await sql<{ n: string }>`select count(*)::text as n from invoice
      where subject = ${`application:${filled.value.draft.id}`}`.execute(database().db)).rows[0];
    assert.equal(invoices?.n, '1');
  });
});
