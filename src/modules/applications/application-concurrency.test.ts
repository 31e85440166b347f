import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { checkBooks, invoiceViewById, payerCreditBalance } from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { checkApplications } from './applications-check.ts';
import {
  actionKindsOf,
  draftApplication,
  drainPayments,
  invoicesOf,
  licenceAnswers,
  licenceSlug,
  newCitizen,
  payByMpesa,
  staffActorOf,
  tryPayByMpesa,
  startFixture,
  statusOf,
  type Fixture,
} from './application-fixtures.test.ts';
import {
  cancelApplication,
  startApplication,
  submitApplication,
  type ApplicantActor,
} from './application-service.ts';
import { markPaidIfPaid } from './payment-allocated-handler.ts';
import { actAsStaff } from './review-service.ts';

describeOnDatabases('applications under concurrency', (database, kind) => {
  let fixture: Fixture;
  let who: ApplicantActor;
  let officer: TestCaller;
  let supervisor: TestCaller;

  before(async () => {
    fixture = await startFixture(database());
    who = (await newCitizen(database())).who;
    officer = await signInAs(database(), 'agency-officer',
      { agencyId: fixture.licenceAgencyId });
    supervisor = await signInAs(database(), 'agency-supervisor',
      { agencyId: fixture.licenceAgencyId });
  });
  after(async () => fixture.harness.close());

  const submit = (applicationId: string, clientActionId = uuidv7()) =>
    submitApplication(fixture.deps, { applicationId, who, clientActionId,
      answers: licenceAnswers, now: new Date() });
  const cancel = (applicationId: string) => cancelApplication(fixture.deps,
    { applicationId, who, clientActionId: uuidv7(), now: new Date() });
  const draft = () => draftApplication(fixture, licenceSlug, who, licenceAnswers);
  const count = (kinds: readonly string[], wanted: string) =>
    kinds.filter((k) => k === wanted).length;

  const assertLogsConsistent = async () => {
    const report = await checkApplications(fixture.db);
    assert.deepEqual(report.findings, []);
  };

  it('two submits with different client action ids at once: one submit, one invoice', async () => {
    const applicationId = await draft();
    const results = await Promise.all([submit(applicationId), submit(applicationId)]);
    assert.equal(results.filter((result) => result.ok).length, 1);
    const refused = results.find((result) => !result.ok);
    assert.equal(refused?.ok === false ? refused.error.code : undefined,
      'APPLICATION_ACTION_NOT_ALLOWED');
    const kinds = await actionKindsOf(fixture, applicationId);
    assert.equal(count(kinds, 'submit'), 1);
    assert.equal(count(kinds, 'invoice'), 1);
    assert.equal((await invoicesOf(fixture, applicationId)).length, 1);
    assert.equal(await statusOf(fixture, applicationId), 'awaiting-payment');
    await assertLogsConsistent();
  });

  it('the same client action id twice at once acts once; both calls succeed', async () => {
    const applicationId = await draft();
    const clientActionId = uuidv7();
    const results = await Promise.all([submit(applicationId, clientActionId),
      submit(applicationId, clientActionId)]);
    assert.ok(results.every((result) => result.ok), JSON.stringify(results));
    assert.deepEqual(results.map((result) => result.ok && result.value.repeated).toSorted(),
      [false, true]);
    const kinds = await actionKindsOf(fixture, applicationId);
    assert.deepEqual(kinds, ['start', 'submit', 'invoice']);
    assert.equal((await invoicesOf(fixture, applicationId)).length, 1);
  });

  it('cancel after the money came: the handler marks it paid, the cancel is refused',
    async () => {
      const applicationId = await draft();
      assert.ok((await submit(applicationId)).ok);
      const [invoice] = await invoicesOf(fixture, applicationId);
      assert.ok(invoice !== undefined);
      await payByMpesa(fixture, invoice);
      const [, cancelled] = await Promise.all([drainPayments(fixture), cancel(applicationId)]);
      assert.equal(cancelled.ok, false);
      assert.equal(await statusOf(fixture, applicationId), 'paid');
      const view = await invoiceViewById(fixture.deps, invoice.id, new Date());
      assert.equal(view?.status, 'paid', 'the paid invoice was not cancelled');
      await assertLogsConsistent();
    });

  it('payment.allocated handled twice at once (a repeated event) pays once', async () => {
    const applicationId = await draft();
    assert.ok((await submit(applicationId)).ok);
    const [invoice] = await invoicesOf(fixture, applicationId);
    assert.ok(invoice !== undefined);
    await payByMpesa(fixture, invoice);
    await Promise.all([markPaidIfPaid(fixture.deps, applicationId, invoice.id),
      markPaidIfPaid(fixture.deps, applicationId, invoice.id), drainPayments(fixture)]);
    const kinds = await actionKindsOf(fixture, applicationId);
    assert.equal(count(kinds, 'pay'), 1, kinds.join(' '));
    assert.equal(await statusOf(fixture, applicationId), 'paid');
  });

  it('cancel racing the payment: paid XOR cancelled, and cancelled money is the payer\'s credit',
    async () => {
      for (let round = 0; round < 3; round += 1) {
        const applicationId = await draft();
        assert.ok((await submit(applicationId)).ok);
        const [invoice] = await invoicesOf(fixture, applicationId);
        assert.ok(invoice !== undefined);
        const creditBefore = await payerCreditBalance(fixture.deps, invoice.payer_account_id);
        const [paid, cancelled] = await Promise.all([
          tryPayByMpesa(fixture, invoice).then(async (outcome) => {
            await drainPayments(fixture);
            return outcome;
          }),
          cancel(applicationId)]);
        await drainPayments(fixture);
        const status = await statusOf(fixture, applicationId);
        const kinds = await actionKindsOf(fixture, applicationId);
        const view = await invoiceViewById(fixture.deps, invoice.id, new Date());
        const credit = await payerCreditBalance(fixture.deps, invoice.payer_account_id);
        if (status === 'cancelled') {
          assert.ok(cancelled.ok);
          assert.equal(count(kinds, 'pay'), 0);
          assert.equal(view?.status, 'cancelled');
          // Either M-Pesa was told to refuse the payment (no money taken), or it came after
          // the cancel and is the payer's credit.
          assert.equal(credit.amountMinor - creditBefore.amountMinor,
            paid === 'completed' ? BigInt(invoice.total_minor) : 0n, paid);
          assert.ok(['completed', 'rejected'].includes(paid), paid);
        } else {
          assert.equal(status, 'paid');
          assert.equal(cancelled.ok, false);
          assert.equal(count(kinds, 'cancel'), 0);
          assert.equal(paid, 'completed');
          assert.equal(view?.status, 'paid');
          assert.equal(credit.amountMinor, creditBefore.amountMinor);
        }
      }
      await assertLogsConsistent();
      const books = await checkBooks(fixture.db);
      assert.deepEqual(books.findings, []);
    });

  it('two officers at once (approve vs return): exactly one wins', async () => {
    const applicationId = await draft();
    assert.ok((await submit(applicationId)).ok);
    const [invoice] = await invoicesOf(fixture, applicationId);
    assert.ok(invoice !== undefined);
    await payByMpesa(fixture, invoice);
    await drainPayments(fixture);
    assert.equal(await statusOf(fixture, applicationId), 'paid');
    const act = (caller: TestCaller, actKind: 'start-review' | 'approve' | 'return') =>
      actAsStaff(fixture.deps, { applicationId, kind: actKind, staff: staffActorOf(caller),
        clientActionId: uuidv7(), now: new Date(),
        ...(actKind === 'return' ? { comment: 'Give the number as printed' } : {}) });
    assert.ok((await act(officer, 'start-review')).ok);
    const results = await Promise.all([act(supervisor, 'approve'), act(officer, 'return')]);
    assert.equal(results.filter((result) => result.ok).length, 1, JSON.stringify(results));
    const loser = results.find((result) => !result.ok);
    assert.equal(loser?.ok === false ? loser.error.code : undefined,
      'APPLICATION_ACTION_NOT_ALLOWED');
    const kinds = await actionKindsOf(fixture, applicationId);
    assert.equal(count(kinds, 'approve') + count(kinds, 'return'), 1);
    assert.ok(['approved', 'returned'].includes(String(await statusOf(fixture, applicationId))));
    await assertLogsConsistent();
  });

  it('Start pressed twice at once with one client action id makes one application',
    async () => {
      const clientActionId = uuidv7();
      const start = () => startApplication(fixture.deps, { service: licenceSlug, who,
        clientActionId, now: new Date() });
      const [first, second] = await Promise.all([start(), start()]);
      assert.ok(first.ok && second.ok);
      assert.equal(first.value.id, second.value.id);
      const rows = await sql<{ n: string }>`select count(*) as n from application_action
        where client_action_id = ${clientActionId}`.execute(fixture.db);
      assert.equal(Number(rows.rows[0]?.n), 1);
    });

  it('two officers issuing at once: one issue, one document', async () => {
    const applicationId = await draft();
    assert.ok((await submit(applicationId)).ok);
    const [invoice] = await invoicesOf(fixture, applicationId);
    assert.ok(invoice !== undefined);
    await payByMpesa(fixture, invoice);
    await drainPayments(fixture);
    const act = (caller: TestCaller, actKind: 'start-review' | 'approve' | 'issue') =>
      actAsStaff(fixture.deps, { applicationId, kind: actKind, staff: staffActorOf(caller),
        clientActionId: uuidv7(), now: new Date() });
    assert.ok((await act(officer, 'start-review')).ok);
    assert.ok((await act(supervisor, 'approve')).ok);
    const results = await Promise.all([act(officer, 'issue'), act(supervisor, 'issue')]);
    assert.equal(results.filter((result) => result.ok).length, 1, JSON.stringify(results));
    const kinds = await actionKindsOf(fixture, applicationId);
    assert.equal(count(kinds, 'issue'), 1);
    const documents = await sql<{ n: string }>`select count(*) as n from issued_document
      where source_key = ${`application:${applicationId}`}`.execute(fixture.db);
    assert.equal(Number(documents.rows[0]?.n), 1);
    assert.equal(await statusOf(fixture, applicationId), 'issued');
    await assertLogsConsistent();
  });

  it('cancel and submit racing a draft: a cancelled application leaves no open bill',
    async () => {
      const applicationId = await draft();
      const [submitted, cancelled] = await Promise.all([submit(applicationId),
        cancel(applicationId)]);
      const status = await statusOf(fixture, applicationId);
      const invoices = await invoicesOf(fixture, applicationId);
      if (status === 'cancelled') {
        assert.ok(cancelled.ok);
        for (const invoice of invoices) {
          const view = await invoiceViewById(fixture.deps, invoice.id, new Date());
          assert.equal(view?.status, 'cancelled', 'a bill left open for a cancelled application');
        }
      } else {
        assert.equal(status, 'awaiting-payment');
        assert.ok(submitted.ok);
      }
      await assertLogsConsistent();
    });

  it('cancel that read a draft, then waited for a submit to commit, is refused (postgres)',
    { skip: kind === 'pglite' ? 'one connection: no transaction can wait on another' : false },
    async () => {
      const applicationId = await draft();
      const waiting = async (n: number) => {
        for (let tries = 0; tries < 200; tries += 1) {
          // pg_locks is readable by the app role; the waiters' own activity rows are not.
          const rows = await sql<{ n: string }>`select count(*) as n from pg_locks l
            join pg_stat_activity a on a.pid = l.pid
            where not l.granted and a.datname = current_database()`.execute(fixture.db);
          if (Number(rows.rows[0]?.n) >= n) return;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        assert.fail(`never saw ${n} waiting`);
      };
      // Hold the state row: the submit queues for it first, then the cancel (which has read
      // 'draft' with no bill before queueing); the submit commits a bill, then the cancel acts.
      let release = () => undefined as void;
      const held = new Promise<void>((resolve) => { release = resolve; });
      const holder = fixture.db.transaction().execute(async (trx) => {
        await sql`select 1 from application_state where application_id = ${applicationId}
          for update`.execute(trx);
        await held;
      });
      const submitted = submit(applicationId);
      const cancelled = waiting(1).then(async () => cancel(applicationId));
      try {
        await waiting(2);
      } finally {
        release();
        await holder;
      }
      const [submitResult, cancelResult] = await Promise.all([submitted, cancelled]);
      assert.ok(submitResult.ok);
      const [invoice] = await invoicesOf(fixture, applicationId);
      assert.ok(invoice !== undefined);
      const view = await invoiceViewById(fixture.deps, invoice.id, new Date());
      const status = await statusOf(fixture, applicationId);
      assert.ok(!(status === 'cancelled' && view?.status === 'unpaid'),
        'the application was cancelled with its bill left open to be paid');
      assert.equal(cancelResult.ok, false);
      assert.equal(status, 'awaiting-payment');
      const again = await cancel(applicationId);
      assert.ok(again.ok, 'a second try cancels the bill and the application');
      assert.equal((await invoiceViewById(fixture.deps, invoice.id, new Date()))?.status,
        'cancelled');
      await assertLogsConsistent();
    });
});
