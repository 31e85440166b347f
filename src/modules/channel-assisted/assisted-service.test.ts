/**
 * The assisted service on both databases: the consent code goes to the citizen's registered
 * phone, never the agent's; the right code opens a session, a wrong one is counted, an expired
 * or locked one is refused; codes are rate-limited per citizen (also when agents race); a bill
 * made in a session is the citizen's invoice, for the government fee only, linked to the agent
 * with the agent fee; a fee above the published cap is refused; the citizen is sent both fees
 * apart; the agency and the citizen see the bill as made through the agent.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import type { StaffActor } from '#modules/authorisation/index.ts';
import { listRecentNotifications } from '#modules/notifications/index.ts';
import { invoiceViewById, stkDepsFor } from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { latestCodeSentTo, messagesSentTo } from '#test/helpers/inbox.ts';
import { fixtureIds, insertPaymentsFixture } from '#test/helpers/payments.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { registerAgent } from './agent-register-service.ts';
import { consentCodeAttemptsMax, consentCodeLifetimeMs, consentCodesPerAgentMax,
  consentCodesPerCitizenMax } from './assisted-limits.ts';
import { makeAssistedBill, promptCitizen } from './assisted-payment-service.ts';
import { assistedDb } from './assisted-tables.ts';
import { listAssistedBills } from './bill-listing.ts';
import { confirmConsent, endSession, liveSession, requestConsent } from './consent-service.ts';
import { publishFeeCap } from './fee-cap-service.ts';

let phoneCounter = 0;

describeOnDatabases('assisted service', (database) => {
  const deps = () => testDeps(database());
  let agent: StaffActor;
  let otherAgent: StaffActor;
  const agentPhone = '+254799000001';

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

  /** A citizen with a phone of their own; returns their account id, ID number and phone. */
  async function newCitizen(): Promise<{ id: string; documentNumber: string; phone: string }> {
    const caller = await signInAs(database(), 'account-holder');
    phoneCounter += 1;
    const phone = `+2547${String(process.pid % 1000).padStart(3, '0')}${
      String(phoneCounter).padStart(5, '0')}`;
    await sql`update account set phone = ${phone} where id = ${caller.id}`.execute(database().db);
    const row = await assistedDb(database().db).selectFrom('account').select('document_number')
      .where('id', '=', caller.id).executeTakeFirstOrThrow();
    return { id: caller.id, documentNumber: row.document_number, phone };
  }

  async function consentedSession(citizen: { documentNumber: string; phone: string },
    who: StaffActor = agent): Promise<string> {
    const requested = await requestConsent(deps(), { agent: who, citizen: citizen.documentNumber,
      now: new Date(), sourceAddress: null });
    assert.ok(requested.ok, JSON.stringify(requested));
    const code = await latestCodeSentTo(database(), citizen.phone, 'assisted.consent-code');
    const confirmed = await confirmConsent(deps(), { agent: who,
      consentId: requested.value.consentId, code, now: new Date(), sourceAddress: null });
    assert.ok(confirmed.ok);
    return confirmed.value.sessionId;
  }

  before(async () => {
    await insertPaymentsFixture(database());
    agent = await newAgent('HC-TEST-001');
    otherAgent = await newAgent('HC-TEST-002');
    const admin = await signInAs(database(), 'platform-admin');
    const actor = { kind: 'staff' as const, id: admin.id };
    const today = new Date().toISOString().slice(0, 10);
    const flat = await publishFeeCap(deps(), { service: '', amount: '100', effectiveFrom: today,
      actor, now: new Date(Date.now() - 86_400_000) });
    assert.ok(flat.ok);
    const permit = await publishFeeCap(deps(), { service: 'fixture-permit', amount: '50',
      effectiveFrom: today, actor, now: new Date(Date.now() - 86_400_000) });
    assert.ok(permit.ok);
    const again = await publishFeeCap(deps(), { service: 'fixture-permit', amount: '60',
      effectiveFrom: today, actor, now: new Date(Date.now() - 86_400_000) });
    assert.equal(again.ok ? 'published' : again.error.code, 'ASSISTED_CAP_EXISTS');
  });

  it('sends the code to the citizen\'s registered phone, never to the agent', async () => {
    const citizen = await newCitizen();
    const requested = await requestConsent(deps(), { agent, citizen: citizen.phone.replace(
      '+254', '0'), now: new Date(), sourceAddress: '192.0.2.1' });
    assert.ok(requested.ok);
    assert.equal(requested.value.phoneEnding, citizen.phone.slice(-3));
    assert.match(await latestCodeSentTo(database(), citizen.phone, 'assisted.consent-code'),
      /^\d{6}$/);
    assert.equal(await messagesSentTo(database(), agentPhone), 0);
    const stored = await assistedDb(database().db).selectFrom('assisted_consent')
      .select('code_hash').where('id', '=', requested.value.consentId).executeTakeFirstOrThrow();
    assert.match(stored.code_hash, /^[0-9a-f]{64}$/, 'only a hash of the code is kept');
  });

  it('opens a session with the right code; counts wrong ones; locks; refuses late', async () => {
    const citizen = await newCitizen();
    const now = new Date();
    const requested = await requestConsent(deps(), { agent, citizen: citizen.documentNumber, now,
      sourceAddress: null });
    assert.ok(requested.ok);
    const code = await latestCodeSentTo(database(), citizen.phone, 'assisted.consent-code');
    const wrong = code === '000000' ? '111111' : '000000';
    const consentId = requested.value.consentId;
    const tryCode = (typed: string, at = now, who = agent) => confirmConsent(deps(),
      { agent: who, consentId, code: typed, now: at, sourceAddress: null });
    const first = await tryCode(wrong);
    assert.ok(!first.ok);
    assert.equal(first.error.code, 'ASSISTED_CONSENT_CODE_WRONG');
    assert.equal(first.error.detail, String(consentCodeAttemptsMax - 1));
    const byOther = await tryCode(code, now, otherAgent);
    assert.equal(byOther.ok ? 'ok' : byOther.error.code, 'ASSISTED_CONSENT_NOT_FOUND');
    const late = await tryCode(code, new Date(now.getTime() + consentCodeLifetimeMs));
    assert.equal(late.ok ? 'ok' : late.error.code, 'ASSISTED_CONSENT_EXPIRED');
    const right = await tryCode(code);
    assert.ok(right.ok);
    const session = await liveSession(deps(), agent, right.value.sessionId, new Date());
    assert.ok(session.ok);
    assert.ok(!session.value.maskedDocument.includes(citizen.documentNumber.slice(0, 4)));
    assert.equal(session.value.maskedDocument.slice(-3), citizen.documentNumber.slice(-3));
    const reused = await tryCode(code);
    assert.equal(reused.ok ? 'ok' : reused.error.code, 'ASSISTED_CONSENT_EXPIRED');
    assert.ok(!(await liveSession(deps(), otherAgent, right.value.sessionId, new Date())).ok);
    await endSession(deps(), agent, right.value.sessionId, new Date());
    const ended = await liveSession(deps(), agent, right.value.sessionId, new Date());
    assert.equal(ended.ok ? 'ok' : ended.error.code, 'ASSISTED_SESSION_NOT_ACTIVE');
  });

  it('locks a request after too many wrong codes, even for the right one', async () => {
    const citizen = await newCitizen();
    const requested = await requestConsent(deps(), { agent, citizen: citizen.documentNumber,
      now: new Date(), sourceAddress: null });
    assert.ok(requested.ok);
    const code = await latestCodeSentTo(database(), citizen.phone, 'assisted.consent-code');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < consentCodeAttemptsMax; attempt += 1) {
      const tried = await confirmConsent(deps(), { agent, consentId: requested.value.consentId,
        code: wrong, now: new Date(), sourceAddress: null });
      assert.equal(tried.ok ? 'ok' : tried.error.code, 'ASSISTED_CONSENT_CODE_WRONG');
    }
    const right = await confirmConsent(deps(), { agent, consentId: requested.value.consentId,
      code, now: new Date(), sourceAddress: null });
    assert.equal(right.ok ? 'ok' : right.error.code, 'ASSISTED_CONSENT_EXPIRED');
  });

  it('limits codes per citizen, even when agents race for the same citizen', async () => {
    const citizen = await newCitizen();
    const now = new Date();
    const outcomes = await Promise.all(Array.from({ length: consentCodesPerCitizenMax + 2 },
      (_, index) => requestConsent(deps(), { agent: index % 2 === 0 ? agent : otherAgent,
        citizen: citizen.documentNumber, now, sourceAddress: null })));
    assert.equal(outcomes.filter((outcome) => outcome.ok).length, consentCodesPerCitizenMax);
    assert.ok(outcomes.filter((outcome) => !outcome.ok)
      .every((outcome) => !outcome.ok && outcome.error.code === 'ASSISTED_CONSENT_RATE_LIMITED'));
    assert.equal(await messagesSentTo(database(), citizen.phone), consentCodesPerCitizenMax);
  });

  it('limits codes per agent, whoever the citizens are', async () => {
    const busy = await newAgent('HC-TEST-003');
    const citizens = [];
    for (let index = 0; index <= consentCodesPerAgentMax; index += 1) {
      citizens.push(await newCitizen());
    }
    const outcomes = [];
    for (const citizen of citizens) {
      outcomes.push(await requestConsent(deps(), { agent: busy,
        citizen: citizen.documentNumber, now: new Date(), sourceAddress: null }));
    }
    assert.equal(outcomes.filter((outcome) => outcome.ok).length, consentCodesPerAgentMax);
    const last = outcomes.at(-1);
    assert.equal(last?.ok === false ? last.error.code : 'ok', 'ASSISTED_CONSENT_RATE_LIMITED');
  });

  it('finds no one for an unknown number, and refuses an agent not in the register',
    async () => {
      const unknown = await requestConsent(deps(), { agent, citizen: '0700000001',
        now: new Date(), sourceAddress: null });
      assert.equal(unknown.ok ? 'ok' : unknown.error.code, 'ASSISTED_CITIZEN_NOT_FOUND');
      const stranger = await signInAs(database(), 'assisted-agent');
      const citizen = await newCitizen();
      const refused = await requestConsent(deps(), { agent: { ...agent, staffId: stranger.id },
        citizen: citizen.documentNumber, now: new Date(), sourceAddress: null });
      assert.equal(refused.ok ? 'ok' : refused.error.code, 'ASSISTED_AGENT_NOT_REGISTERED');
      assert.equal(await messagesSentTo(database(), citizen.phone), 0);
    });

  it('makes the citizen\'s bill through the agent, the agent fee apart and capped', async () => {
    const citizen = await newCitizen();
    const sessionId = await consentedSession(citizen);
    const bill = (service: string, agentFee: string, requestKey = uuidv7()) =>
      makeAssistedBill(deps(), { agent, sessionId, service, agentFee, requestKey,
        now: new Date() });
    const above = await bill('fixture-permit', '50.01');
    assert.equal(above.ok ? 'ok' : above.error.code, 'ASSISTED_FEE_ABOVE_CAP');
    const typo = await bill('fixture-permit', 'fifty');
    assert.equal(typo.ok ? 'ok' : typo.error.code, 'ASSISTED_FEE_INVALID');
    const none = await bill('no-such-service', '10');
    assert.equal(none.ok ? 'ok' : none.error.code, 'ASSISTED_SERVICE_NOT_AVAILABLE');
    const key = uuidv7();
    const made = await bill('fixture-permit', '50', key);
    assert.ok(made.ok);
    const twice = await bill('fixture-permit', '50', key);
    assert.deepEqual(twice, made, 'the same form twice makes one bill');
    const link = await assistedDb(database().db).selectFrom('assisted_transaction').selectAll()
      .where('id', '=', made.value.billId).executeTakeFirstOrThrow();
    assert.equal(link.citizen_account_id, citizen.id);
    assert.equal(link.agent_staff_id, agent.staffId);
    assert.equal(link.agent_fee_minor, 5_000n);
    const invoice = await invoiceViewById(deps(), link.invoice_id);
    assert.ok(invoice !== undefined);
    assert.equal(invoice.payerAccountId, citizen.id, 'the invoice is the citizen\'s');
    assert.equal(invoice.total.amountMinor, 260_00n, 'the government fee only: no agent fee');
    const sms = (await listRecentNotifications(database().db, 50)).find((message) =>
      message.recipient === citizen.phone && message.template === 'assisted.fee-summary');
    assert.ok(sms !== undefined);
    assert.match(sms.body, /Government fee KES\s?260\.00 to paybill 222222/);
    assert.match(sms.body, /Agent fee KES\s?50\.00 to agent HC-TEST-001, not to government/);
    assert.equal(await messagesSentTo(database(), agentPhone), 0);
    const mine = await listAssistedBills(deps(), { citizenAccountId: citizen.id });
    assert.deepEqual(mine.map((listed) => [listed.billReference, listed.agentNumber]),
      [[invoice.reference, 'HC-TEST-001']]);
    const agency = await listAssistedBills(deps(), { agency: fixtureIds.agency });
    assert.ok(agency.some((listed) => listed.billReference === invoice.reference));
    assert.deepEqual(await listAssistedBills(deps(), { agency: uuidv7() }), []);
  });

  it('the flat cap covers a service without its own; a service with a form is refused',
    async () => {
      const citizen = await newCitizen();
      const sessionId = await consentedSession(citizen);
      const bill = (service: string, agentFee: string) => makeAssistedBill(deps(),
        { agent, sessionId, service, agentFee, requestKey: uuidv7(), now: new Date() });
      const flatAbove = await bill('fixture-passport', '100.50');
      assert.equal(flatAbove.ok ? 'ok' : flatAbove.error.code, 'ASSISTED_FEE_ABOVE_CAP');
      assert.ok((await bill('fixture-passport', '100')).ok);
      await sql`update service set form_schema = '{"pages":[]}'::jsonb
        where id = ${fixtureIds.visa}`.execute(database().db);
      const withForm = await bill('fixture-visa', '10');
      assert.equal(withForm.ok ? 'ok' : withForm.error.code, 'ASSISTED_SERVICE_NEEDS_FORM');
      const ended = await makeAssistedBill(deps(), { agent: otherAgent, sessionId,
        service: 'fixture-permit', agentFee: '1', requestKey: uuidv7(), now: new Date() });
      assert.equal(ended.ok ? 'ok' : ended.error.code, 'ASSISTED_SESSION_NOT_ACTIVE',
        'another agent cannot use this session');
    });

  it('one bill when the same form races itself; the loser\'s invoice is cancelled', async () => {
    const citizen = await newCitizen();
    const sessionId = await consentedSession(citizen);
    const requestKey = uuidv7();
    const [first, second] = await Promise.all([0, 1].map(() => makeAssistedBill(deps(),
      { agent, sessionId, service: 'fixture-permit', agentFee: '5', requestKey,
        now: new Date() })));
    assert.ok(first?.ok === true && second?.ok === true);
    assert.equal(first.value.billId, second.value.billId);
    const invoices = await sql<{ cancelled: boolean }>`select cancelled_at is not null as cancelled
      from invoice where payer_account_id = ${citizen.id}`.execute(database().db);
    const open = invoices.rows.filter((row) => !row.cancelled).length;
    assert.equal(open, 1, 'one open bill for the citizen');
    const links = await assistedDb(database().db).selectFrom('assisted_transaction')
      .select('id').where('request_key', '=', requestKey).execute();
    assert.equal(links.length, 1);
  });

  it('sends the prompt only to the citizen\'s registered phone, and none without one',
    async () => {
      const citizen = await newCitizen();
      const sessionId = await consentedSession(citizen);
      const made = await makeAssistedBill(deps(), { agent, sessionId, service: 'fixture-permit',
        agentFee: '5', requestKey: uuidv7(), now: new Date() });
      assert.ok(made.ok);
      // The citizen changed to e-mail only after consenting.
      await sql`update account set phone = null, email = 'person@example.test',
        code_channel = 'email' where id = ${citizen.id}`.execute(database().db);
      const stk = { ...deps(), ...stkDepsFor(deps()) };
      const prompted = await promptCitizen(stk, agent, sessionId, made.value.billId, new Date());
      assert.equal(prompted.ok ? 'ok' : prompted.error.code,
        'ASSISTED_CITIZEN_PHONE_NOT_ON_FILE');
      const stranger = await promptCitizen(stk, agent, sessionId, uuidv7(), new Date());
      assert.equal(stranger.ok ? 'ok' : stranger.error.code, 'ASSISTED_TRANSACTION_NOT_FOUND');
    });
});
