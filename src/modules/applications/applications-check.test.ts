import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql, type Transaction } from 'kysely';
import type { PlatformTables } from '#platform/db/index.ts';
import { generateBillReference } from '#modules/payments/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { actAsOwnerInTrx, describeOnDatabases } from '#test/helpers/databases.ts';
import { applicationFindings, checkApplications } from './applications-check.ts';
import {
  draftApplication,
  drainPayments,
  invoicesOf,
  licenceAnswers,
  licenceSlug,
  newCitizen,
  payByMpesa,
  startFixture,
  statusOf,
  type Fixture,
} from './application-fixtures.test.ts';
import {
  cancelApplication,
  submitApplication,
  type ApplicantActor,
} from './application-service.ts';
import {
  allowedActions,
  applicationStatuses,
  nextStatus,
  type ApplicationActionKind,
  type ApplicationStatus,
} from './application-status.ts';

/** A log the table accepts, with the projection it implies. */
const consistentHistory = fc.array(fc.nat(1_000), { maxLength: 30 }).map((picks) => {
  const kinds: ApplicationActionKind[] = ['start'];
  let status: ApplicationStatus = 'draft';
  for (const pick of picks) {
    const allowed = allowedActions(status);
    if (allowed.length === 0) break;
    const kind = allowed[pick % allowed.length] as ApplicationActionKind;
    const next = nextStatus(status, kind);
    if (!next.ok) throw new Error('allowedActions offered a refused action');
    kinds.push(kind);
    status = next.status;
  }
  // Each bill issued (invoice, or reissue for an expired one) is new; a pay names the last.
  let invoiceId: string | null = null;
  const documentId = kinds.includes('issue') ? uuidv7() : null;
  const actions = kinds.map((kind, index) => {
    if (kind === 'invoice' || kind === 'reissue') invoiceId = uuidv7();
    const detail = kind === 'invoice' || kind === 'reissue' ? { invoiceId }
      : kind === 'pay' && invoiceId !== null ? { invoiceId }
        : kind === 'issue' ? { documentId } : null;
    return { seq: index + 1, kind, detail };
  });
  const state = { application_id: uuidv7(), status, last_seq: kinds.length,
    invoice_id: invoiceId, document_id: documentId };
  return { actions, state };
});

describe('applicationFindings (pure)', () => {
  it('finds nothing in a projection that says what its log says', () => {
    fc.assert(fc.property(consistentHistory, ({ actions, state }) => {
      assert.deepEqual(applicationFindings(state, actions), []);
    }), { numRuns: 300 });
  });

  it('finds every change to the status, the last seq, the invoice or the document', () => {
    fc.assert(fc.property(consistentHistory, fc.constantFrom(...applicationStatuses),
      fc.integer({ min: 1, max: 5 }), ({ actions, state }, status, shift) => {
        if (status !== state.status) {
          assert.deepEqual(applicationFindings({ ...state, status }, actions),
            [`status ${status} but the log says ${state.status}`]);
        }
        assert.deepEqual(applicationFindings({ ...state, last_seq: state.last_seq + shift },
          actions), ['last_seq is not the log\'s']);
        assert.deepEqual(applicationFindings({ ...state, invoice_id: uuidv7() }, actions),
          ['invoice differs from the log\'s']);
        assert.deepEqual(applicationFindings({ ...state, document_id: uuidv7() }, actions),
          ['document differs from the log\'s']);
      }), { numRuns: 200 });
  });

  it('finds a projection with no log at all (every application starts with start)', () => {
    const state = { application_id: uuidv7(), status: 'paid', last_seq: 0, invoice_id: null,
      document_id: null };
    assert.deepEqual(applicationFindings(state, []), ['action log is empty']);
  });

  it('finds a gap in the log and an action the table refuses', () => {
    const state = { application_id: uuidv7(), status: 'draft', last_seq: 3, invoice_id: null,
      document_id: null };
    const gap = [{ seq: 1, kind: 'start' as const, detail: null },
      { seq: 3, kind: 'assign' as const, detail: null }];
    assert.ok(applicationFindings(state, gap).includes('action log has a gap'));
    const refused = [{ seq: 1, kind: 'start' as const, detail: null },
      { seq: 2, kind: 'pay' as const, detail: null }];
    assert.deepEqual(applicationFindings({ ...state, last_seq: 2 }, refused),
      ['log breaks the transition table: action 2 (pay) cannot follow draft']);
  });
});

describeOnDatabases('checkApplications over real histories', (database) => {
  let fixture: Fixture;
  let who: ApplicantActor;
  const ids: Record<'draft' | 'awaiting' | 'paid' | 'cancelled', string> = {
    draft: '', awaiting: '', paid: '', cancelled: '' };

  before(async () => {
    fixture = await startFixture(database());
    who = (await newCitizen(database())).who;
    const submitted = async () => {
      const id = await draftApplication(fixture, licenceSlug, who, licenceAnswers);
      assert.ok((await submitApplication(fixture.deps, { applicationId: id, who,
        clientActionId: uuidv7(), answers: licenceAnswers, now: new Date() })).ok);
      return id;
    };
    ids.draft = await draftApplication(fixture, licenceSlug, who, licenceAnswers);
    ids.awaiting = await submitted();
    ids.paid = await submitted();
    ids.cancelled = await submitted();
    const [invoice] = await invoicesOf(fixture, ids.paid);
    assert.ok(invoice !== undefined);
    await payByMpesa(fixture, invoice);
    await drainPayments(fixture);
    assert.ok((await cancelApplication(fixture.deps, { applicationId: ids.cancelled, who,
      clientActionId: uuidv7(), now: new Date() })).ok);
    assert.equal(await statusOf(fixture, ids.paid), 'paid');
    assert.equal(await statusOf(fixture, ids.cancelled), 'cancelled');
  });
  after(async () => fixture.harness.close());

  /** Changes the data as the tables' owner would (the app role cannot rewrite the log). */
  const asOwner = (work: (trx: Transaction<PlatformTables>) => Promise<unknown>) =>
    fixture.db.transaction().execute(async (trx) => {
      await actAsOwnerInTrx(trx);
      await work(trx);
    });
  const findingsFor = async (id: string) => (await checkApplications(fixture.db)).findings
    .filter((finding) => finding.applicationId === id).map((finding) => finding.detail);

  it('reports nothing for a clean history, and counts every application', async () => {
    const report = await checkApplications(fixture.db);
    assert.deepEqual(report.findings, []);
    assert.equal(report.applicationsChecked, 4);
  });

  /** The findings with a change made and rolled back (no other test sees it). */
  const findingsWithin = async (change: (trx: Transaction<PlatformTables>) => Promise<unknown>) => {
    let findings: readonly { applicationId: string; detail: string }[] = [];
    const rolledBack = new Error('roll back');
    await fixture.db.transaction().execute(async (trx) => {
      await actAsOwnerInTrx(trx);
      await change(trx);
      findings = (await checkApplications<PlatformTables>(trx)).findings;
      throw rolledBack;
    }).catch((error: unknown) => {
      if (error !== rolledBack) throw error;
    });
    return findings;
  };
  /** A copy of the paid application's bill, for `subject`, with a new id and reference. */
  const copyBill = (trx: Transaction<PlatformTables>, id: string, subject: string) =>
    sql`insert into invoice (id, reference, service_id, agency_id, payer_account_id, currency,
      total_minor, allows_part_payment, issued_at, expires_at, subject)
      select ${id}, ${generateBillReference(randomBytes)}, service_id, agency_id,
        payer_account_id, currency, total_minor, allows_part_payment, issued_at, expires_at,
        ${subject}
      from invoice where subject = ${`application:${ids.paid}`} limit 1`.execute(trx);

  it('reports a bill for an application whose log never issued it', async () => {
    const bill = uuidv7();
    const findings = await findingsWithin((trx) => copyBill(trx, bill,
      `application:${ids.draft}`));
    assert.deepEqual(findings, [{ applicationId: ids.draft,
      detail: `invoice ${bill} names the application but its log does not` }]);
  });

  it('reports an application with two bills paid in full', async () => {
    const bill = uuidv7();
    const findings = await findingsWithin(async (trx) => {
      await copyBill(trx, bill, `application:${ids.paid}`);
      // Covered by hand, with the allocation triggers off: only the check should notice.
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`insert into payment_allocation (id, invoice_id, source, amount_minor, currency,
        allocated_at) select ${uuidv7()}, id, 'payer_credit', total_minor, currency, now()
        from invoice where id = ${bill}`.execute(trx);
    });
    assert.deepEqual(findings.filter((finding) => finding.applicationId === ids.paid)
      .map((finding) => finding.detail), [
      `invoice ${bill} names the application but its log does not`,
      '2 bills paid in full (at most one may be)',
    ]);
  });

  it('reports a status the log does not imply, and nothing once it is put back', async () => {
    await asOwner((trx) => sql`update application_state set status = 'approved'
      where application_id = ${ids.paid}`.execute(trx));
    assert.deepEqual(await findingsFor(ids.paid), ['status approved but the log says paid']);
    await asOwner((trx) => sql`update application_state set status = 'paid'
      where application_id = ${ids.paid}`.execute(trx));
    assert.deepEqual((await checkApplications(fixture.db)).findings, []);
  });

  it('reports an invoice and a last seq that are not the log\'s', async () => {
    await asOwner((trx) => sql`update application_state set invoice_id = null,
      last_seq = last_seq + 1 where application_id = ${ids.awaiting}`.execute(trx));
    assert.deepEqual(await findingsFor(ids.awaiting),
      ['last_seq is not the log\'s', 'invoice differs from the log\'s']);
  });

  it('reports an action slipped into the log that the table refuses', async () => {
    await asOwner((trx) => sql`insert into application_action (id, application_id, seq,
      client_action_id, kind, actor_kind, at) values (${uuidv7()}, ${ids.cancelled}, 5,
      ${uuidv7()}, 'pay', 'system', now())`.execute(trx));
    const findings = await findingsFor(ids.cancelled);
    assert.ok(findings.includes(
      'log breaks the transition table: action 5 (pay) cannot follow cancelled'), String(findings));
    assert.ok(findings.includes('last_seq is not the log\'s'));
  });

  it('reports an application whose projection is missing', async () => {
    await asOwner((trx) => sql`delete from application_state
      where application_id = ${ids.draft}`.execute(trx));
    assert.deepEqual(await findingsFor(ids.draft), ['application has no application_state']);
  });

  it('reports a gap where an action was removed from the log', async () => {
    await asOwner(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`delete from application_action where application_id = ${ids.paid}
        and kind = 'submit'`.execute(trx);
    });
    const findings = await findingsFor(ids.paid);
    assert.equal(findings[0], 'action log has a gap', String(findings));
    assert.match(String(findings[1]), /^log breaks the transition table: action 2 \(invoice\)/);
  });
});
