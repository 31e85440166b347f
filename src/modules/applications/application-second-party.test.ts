import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { checkApplications } from './applications-check.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import {
  actionKindsOf,
  draftApplication,
  drainPayments,
  invoicesOf,
  marriageAnswers,
  marriageSlug,
  newCitizen,
  payByMpesa,
  staffActorOf,
  startFixture,
  statusOf,
  type Fixture,
} from './application-fixtures.test.ts';
import {
  confirmAsSecondParty,
  isConfirmed,
  requestConfirmation,
  resubmitApplication,
  saveAnswers,
  submitApplication,
  type ApplicantActor,
} from './application-service.ts';
import type { Answers } from './forms/index.ts';
import { actAsStaff } from './review-service.ts';

type Citizen = Awaited<ReturnType<typeof newCitizen>>;

describeOnDatabases('applications: the second party confirms a marriage notice', (database) => {
  let fixture: Fixture;
  let applicant: Citizen;
  let partner: Citizen;
  let stranger: Citizen;

  before(async () => {
    fixture = await startFixture(database());
    applicant = await newCitizen(database());
    partner = await newCitizen(database());
    stranger = await newCitizen(database());
  });
  after(async () => fixture.harness.close());

  const submit = (applicationId: string, answers: Answers) => submitApplication(fixture.deps,
    { applicationId, who: applicant.who, clientActionId: uuidv7(), answers, now: new Date() });
  const ask = (applicationId: string, answers: Answers, who: ApplicantActor = applicant.who) =>
    requestConfirmation(fixture.deps, { applicationId, who, clientActionId: uuidv7(), answers,
      now: new Date() });
  const confirm = (applicationId: string, accountId: string) => confirmAsSecondParty(
    fixture.deps, { applicationId, accountId, clientActionId: uuidv7(), now: new Date() });
  const secondPartyOf = async (applicationId: string) => (await sql<{ id: string | null }>`
    select second_party_account_id as id from application_state
    where application_id = ${applicationId}`.execute(fixture.db)).rows[0]?.id;
  const errorCode = (result: { ok: boolean; error?: { code: string } }) =>
    result.ok ? 'ok' : result.error?.code;

  it('refuses a submit before the partner confirms', async () => {
    const answers = marriageAnswers(partner.idNumber);
    const applicationId = await draftApplication(fixture, marriageSlug, applicant.who, answers);
    assert.equal(errorCode(await submit(applicationId, answers)),
      'APPLICATION_SECOND_PARTY_NOT_CONFIRMED');
    assert.equal(await statusOf(fixture, applicationId), 'draft');
    assert.deepEqual(await actionKindsOf(fixture, applicationId), ['start']);
    assert.equal((await ask(applicationId, answers)).ok, true);
    assert.equal(errorCode(await submit(applicationId, answers)),
      'APPLICATION_SECOND_PARTY_NOT_CONFIRMED', 'asked is not confirmed');
  });

  it('asks the account holding the partner\'s ID number, and tells them', async () => {
    const answers = marriageAnswers(partner.idNumber);
    const applicationId = await draftApplication(fixture, marriageSlug, applicant.who, answers);
    const asked = await ask(applicationId, answers);
    assert.ok(asked.ok);
    assert.equal(await secondPartyOf(applicationId), partner.who.accountId);
    const notices = await sql<{ template: string; account_id: string }>`select template,
      account_id from notification where account_id = ${partner.who.accountId}
      and template = 'applications.confirm-requested'`.execute(fixture.db);
    assert.ok(notices.rows.length >= 1, 'the partner is notified');
    const toStranger = await sql<{ n: string }>`select count(*) as n from notification
      where account_id = ${stranger.who.accountId}`.execute(fixture.db);
    assert.equal(Number(toStranger.rows[0]?.n), 0);
  });

  it('refuses to ask for an ID number no account holds, or the applicant\'s own', async () => {
    const nobody = marriageAnswers('87654321');
    const first = await draftApplication(fixture, marriageSlug, applicant.who, nobody);
    assert.equal(errorCode(await ask(first, nobody)), 'APPLICATION_SECOND_PARTY_NOT_FOUND');
    const self = marriageAnswers(applicant.idNumber);
    const second = await draftApplication(fixture, marriageSlug, applicant.who, self);
    assert.equal(errorCode(await ask(second, self)), 'APPLICATION_SECOND_PARTY_NOT_FOUND');
    assert.equal(await secondPartyOf(second), null);
  });

  it('lets only the partner confirm, then the submit goes through with one bill', async () => {
    const answers = marriageAnswers(partner.idNumber);
    const applicationId = await draftApplication(fixture, marriageSlug, applicant.who, answers);
    assert.equal(errorCode(await confirm(applicationId, partner.who.accountId)),
      'APPLICATION_NOT_FOUND', 'nobody was asked yet');
    assert.ok((await ask(applicationId, answers)).ok);
    assert.equal(errorCode(await confirm(applicationId, stranger.who.accountId)),
      'APPLICATION_NOT_FOUND');
    assert.equal(errorCode(await confirm(applicationId, applicant.who.accountId)),
      'APPLICATION_NOT_FOUND', 'the applicant cannot confirm for their partner');
    assert.equal(errorCode(await submit(applicationId, answers)),
      'APPLICATION_SECOND_PARTY_NOT_CONFIRMED');
    assert.equal(errorCode(await confirm(applicationId, partner.who.accountId)), 'ok');
    assert.equal(errorCode(await submit(applicationId, answers)), 'ok');
    assert.equal(await statusOf(fixture, applicationId), 'awaiting-payment');
    assert.deepEqual(await actionKindsOf(fixture, applicationId),
      ['start', 'request-confirmation', 'confirm', 'submit', 'invoice']);
    assert.equal(errorCode(await confirm(applicationId, partner.who.accountId)),
      'APPLICATION_ACTION_NOT_ALLOWED', 'nothing to confirm once submitted');
  });

  it('a change to the answers after the confirmation needs confirming again', async () => {
    const answers = marriageAnswers(partner.idNumber);
    const applicationId = await draftApplication(fixture, marriageSlug, applicant.who, answers);
    assert.ok((await ask(applicationId, answers)).ok);
    assert.ok((await confirm(applicationId, partner.who.accountId)).ok);
    const changed = marriageAnswers(partner.idNumber, 'Engineer');
    assert.ok((await saveAnswers(fixture.deps, { applicationId, who: applicant.who,
      answers: changed, now: new Date() })).ok);
    assert.equal(errorCode(await submit(applicationId, changed)),
      'APPLICATION_SECOND_PARTY_NOT_CONFIRMED');
    assert.ok((await confirm(applicationId, partner.who.accountId)).ok);
    assert.equal(errorCode(await submit(applicationId, changed)), 'ok');
  });

  it('naming another partner after the first confirmed needs the new partner to confirm',
    async () => {
      const answers = marriageAnswers(partner.idNumber);
      const applicationId = await draftApplication(fixture, marriageSlug, applicant.who,
        answers);
      assert.ok((await ask(applicationId, answers)).ok);
      assert.ok((await confirm(applicationId, partner.who.accountId)).ok);
      const renamed = marriageAnswers(stranger.idNumber);
      const saved = await saveAnswers(fixture.deps, { applicationId, who: applicant.who,
        answers: renamed, now: new Date() });
      assert.ok(saved.ok);
      const { version } = saved.value;
      await confirm(applicationId, partner.who.accountId);
      assert.equal(await isConfirmed(fixture.deps, applicationId, version), false,
        'the check page asks the new partner instead of offering a submit that is refused');
      assert.equal(errorCode(await submit(applicationId, renamed)),
        'APPLICATION_SECOND_PARTY_NOT_CONFIRMED',
        'the first partner confirmed a notice that no longer names them');
      assert.ok((await ask(applicationId, renamed)).ok);
      assert.equal(await secondPartyOf(applicationId), stranger.who.accountId);
      assert.ok((await confirm(applicationId, stranger.who.accountId)).ok);
      assert.equal(await isConfirmed(fixture.deps, applicationId, version), true);
      assert.equal(errorCode(await submit(applicationId, renamed)), 'ok');
    });

  it('after a return, a resubmit needs the partner the changed answers name to confirm',
    async () => {
      const answers = marriageAnswers(partner.idNumber);
      const applicationId = await draftApplication(fixture, marriageSlug, applicant.who,
        answers);
      assert.ok((await ask(applicationId, answers)).ok);
      assert.ok((await confirm(applicationId, partner.who.accountId)).ok);
      assert.ok((await submit(applicationId, answers)).ok);
      const [invoice] = await invoicesOf(fixture, applicationId);
      assert.ok(invoice !== undefined);
      await payByMpesa(fixture, invoice);
      await drainPayments(fixture);
      const officer = staffActorOf(await signInAs(database(), 'agency-officer',
        { agencyId: fixture.marriageAgencyId }));
      for (const kind of ['start-review', 'return'] as const) {
        assert.ok((await actAsStaff(fixture.deps, { applicationId, kind, staff: officer,
          clientActionId: uuidv7(), comment: 'Check the partner', now: new Date() })).ok);
      }
      const resubmit = (with_: Answers) => resubmitApplication(fixture.deps, { applicationId,
        who: applicant.who, clientActionId: uuidv7(), answers: with_, now: new Date() });
      const renamed = marriageAnswers(stranger.idNumber);
      assert.ok((await saveAnswers(fixture.deps, { applicationId, who: applicant.who,
        answers: renamed, now: new Date() })).ok);
      assert.equal(errorCode(await resubmit(renamed)), 'APPLICATION_SECOND_PARTY_NOT_CONFIRMED');
      await confirm(applicationId, partner.who.accountId);
      assert.equal(errorCode(await resubmit(renamed)), 'APPLICATION_SECOND_PARTY_NOT_CONFIRMED',
        'the first partner cannot confirm a notice naming someone else');
      assert.ok((await ask(applicationId, renamed)).ok);
      assert.ok((await confirm(applicationId, stranger.who.accountId)).ok);
      assert.equal(errorCode(await resubmit(renamed)), 'ok');
      assert.equal(await statusOf(fixture, applicationId), 'resubmitted');
      assert.equal((await invoicesOf(fixture, applicationId)).length, 1, 'no second bill');
    });

  it('leaves every log consistent with its projection', async () => {
    assert.deepEqual((await checkApplications(fixture.db)).findings, []);
  });
});
