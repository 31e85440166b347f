/**
 * The compliance register at work (both databases): declaring and closing legacy paybills,
 * outside revenue replaced and audited, an exemption recorded by one person and refused to
 * the same person as approver, two approvers at once approving once, the notice lifecycle
 * (issued, answered, reopened, overdue, closed) with its history, and the check raising each
 * alert once however often it runs.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { manualClock } from '#platform/clock/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency } from '#test/helpers/sessions.ts';
import { checkCompliance, complianceJobs } from './compliance-alerts.ts';
import { advanceNotice, issueNotice } from './compliance-notices.ts';
import { findNotice, listAlerts, readRegister } from './compliance-repo.ts';
import { deriveNoticeState } from './compliance-rules.ts';
import {
  approveExemption,
  closeLegacyPaybill,
  declareLegacyPaybill,
  declareOutsideRevenue,
  recordExemption,
} from './compliance-service.ts';

const day = 86_400_000;
const staff = (role: string, id = uuidv7()) => ({ kind: 'staff' as const, id, role });
/** Noon in Nairobi on 2026-12-10. */
const now = new Date('2026-12-10T09:00:00Z');
const later = (days: number) => new Date(now.getTime() + days * day);

function codeOf(result: { ok: boolean } & ({ ok: true } | { ok: false; error: { code: string } })):
string {
  return result.ok ? 'ok' : result.error.code;
}

describeOnDatabases('compliance register', (database) => {
  let agencyId = '';
  let otherAgencyId = '';
  const db = () => database().db;
  const admin = staff('agency-admin');
  const desk = staff('platform-admin');
  const secondDesk = staff('platform-admin');
  before(async () => {
    agencyId = await createTestAgency(database(), 'Register Agency');
    otherAgencyId = await createTestAgency(database(), 'Register Other');
  });

  const auditCount = async (action: string) => Number((await sql<{ n: number }>`
    select count(*)::int as n from audit_record where action = ${action}`.execute(db()))
    .rows[0]?.n ?? 0);

  it('declares a paybill once, refuses bad input and another agency, closes it once',
    async () => {
      const base = { scope: agencyId, agencyId, actor: admin, now };
      const rules: [Record<string, string>, string][] = [
        [{ paybillNumber: '12a45', accountName: 'Fees', closureDueOn: '2026-12-31' },
          'COMPLIANCE_PAYBILL_NUMBER_INVALID'],
        [{ paybillNumber: '123456', accountName: '  ', closureDueOn: '2026-12-31' },
          'COMPLIANCE_PAYBILL_NAME_REQUIRED'],
        [{ paybillNumber: '123456', accountName: 'Fees', closureDueOn: '2026-02-30' },
          'COMPLIANCE_DATE_INVALID'],
      ];
      for (const [fields, code] of rules) {
        const result = await declareLegacyPaybill(db(), { ...base, paybillNumber: '',
          accountName: '', closureDueOn: '', ...fields });
        assert.equal(codeOf(result), code, JSON.stringify(fields));
      }
      const stranger = await declareLegacyPaybill(db(), { ...base, scope: otherAgencyId,
        paybillNumber: '123456', accountName: 'Fees', closureDueOn: '2026-12-31' });
      assert.equal(codeOf(stranger), 'COMPLIANCE_AGENCY_NOT_FOUND');
      const declared = await declareLegacyPaybill(db(), { ...base, paybillNumber: '123456',
        accountName: 'Fees collection', closureDueOn: '2026-12-31' });
      assert.ok(declared.ok);
      const twice = await declareLegacyPaybill(db(), { ...base, paybillNumber: '123456',
        accountName: 'Again', closureDueOn: '2027-01-31' });
      assert.equal(codeOf(twice), 'COMPLIANCE_PAYBILL_ALREADY_DECLARED');
      const close = { ...base, paybillId: declared.value.id };
      assert.equal(codeOf(await closeLegacyPaybill(db(), { ...close, closedOn: '2026-12-11' })),
        'COMPLIANCE_DATE_IN_FUTURE');
      assert.equal(codeOf(await closeLegacyPaybill(db(), { ...close, scope: otherAgencyId,
        agencyId: otherAgencyId, closedOn: '2026-12-09' })), 'COMPLIANCE_PAYBILL_NOT_FOUND');
      assert.ok((await closeLegacyPaybill(db(), { ...close, closedOn: '2026-12-09' })).ok);
      assert.equal(codeOf(await closeLegacyPaybill(db(), { ...close, closedOn: '2026-12-10' })),
        'COMPLIANCE_PAYBILL_ALREADY_CLOSED');
      const register = await readRegister(db(), agencyId);
      assert.deepEqual(register.paybills.map((p) => [p.paybillNumber, p.closureDueOn,
        p.closedOn]), [['123456', '2026-12-31', '2026-12-09']]);
      assert.equal(await auditCount('COMPLIANCE_PAYBILL_DECLARED'), 1);
      assert.equal(await auditCount('COMPLIANCE_PAYBILL_CLOSED'), 1);
    });

  it('declares outside revenue in minor units, replacing a month\'s figure', async () => {
    const base = { scope: agencyId, agencyId, actor: admin, now, currency: 'KES' };
    assert.equal(codeOf(await declareOutsideRevenue(db(), { ...base, month: '2027-01',
      amount: '10' })), 'COMPLIANCE_MONTH_INVALID');
    assert.equal(codeOf(await declareOutsideRevenue(db(), { ...base, month: '2026-11',
      amount: '10.505' })), 'COMPLIANCE_AMOUNT_INVALID');
    assert.equal(codeOf(await declareOutsideRevenue(db(), { ...base, month: '2026-11',
      amount: '10', currency: 'EUR' })), 'COMPLIANCE_AMOUNT_INVALID');
    assert.ok((await declareOutsideRevenue(db(), { ...base, month: '2026-11',
      amount: '1,000.50' })).ok);
    assert.ok((await declareOutsideRevenue(db(), { ...base, month: '2026-11',
      amount: '2000.25' })).ok);
    const register = await readRegister(db(), agencyId);
    assert.deepEqual(register.revenue.map((r) => [r.month, r.currency, r.amountMinor]),
      [['2026-11-01', 'KES', 200_025n]]);
    assert.equal(await auditCount('COMPLIANCE_OUTSIDE_REVENUE_DECLARED'), 2);
  });

  it('records an exemption; the recorder may not approve it; another person does, once',
    async () => {
      const base = { agencyId, actor: desk, now, serviceId: '', reason: 'Own billing system',
        migrationPlan: 'Bill inquiry integration by March' };
      assert.equal(codeOf(await recordExemption(db(), { ...base, expiresOn: '2026-12-10' })),
        'COMPLIANCE_DATE_NOT_FUTURE');
      assert.equal(codeOf(await recordExemption(db(), { ...base, reason: '',
        expiresOn: '2027-03-31' })), 'COMPLIANCE_TEXT_REQUIRED');
      assert.equal(codeOf(await recordExemption(db(), { ...base, serviceId: uuidv7(),
        expiresOn: '2027-03-31' })), 'COMPLIANCE_SERVICE_NOT_FOUND');
      const recorded = await recordExemption(db(), { ...base, expiresOn: '2027-03-31' });
      assert.ok(recorded.ok);
      const self = await approveExemption(db(), { exemptionId: recorded.value.id, actor: desk,
        now });
      assert.equal(codeOf(self), 'COMPLIANCE_EXEMPTION_RECORDER_CANNOT_APPROVE');
      const third = staff('platform-admin');
      const both = await Promise.all([secondDesk, third].map((actor) =>
        approveExemption(db(), { exemptionId: recorded.value.id, actor, now })));
      assert.deepEqual(both.map(codeOf).sort(), ['COMPLIANCE_EXEMPTION_ALREADY_APPROVED', 'ok']);
      const [exemption] = (await readRegister(db(), agencyId)).exemptions;
      assert.equal(exemption?.recordedBy, desk.id);
      assert.ok(exemption?.approvedBy === secondDesk.id || exemption?.approvedBy === third.id);
      assert.equal(await auditCount('COMPLIANCE_EXEMPTION_APPROVED'), 1);
    });

  it('takes a notice through issued, answered, reopened, overdue, answered, closed',
    async () => {
      const issued = await issueNotice(db(), { agencyId, subject: 'Paybill 123456',
        body: 'Explain why it is still open.', deadlineOn: '2026-12-20', actor: desk, now });
      assert.ok(issued.ok);
      const noticeId = issued.value.id;
      const step = (kind: 'answered' | 'closed' | 'reopened', scope: string, text = '',
        deadlineOn?: string, at = now) => advanceNotice(db(), { scope, noticeId, kind, text,
        deadlineOn, actor: kind === 'answered' ? admin : desk, now: at });
      assert.equal(codeOf(await step('closed', 'all')), 'COMPLIANCE_NOTICE_STATE_CONFLICT');
      assert.equal(codeOf(await step('answered', otherAgencyId, 'Not ours')),
        'COMPLIANCE_NOTICE_NOT_FOUND');
      assert.equal(codeOf(await step('answered', agencyId, ' ')), 'COMPLIANCE_TEXT_REQUIRED');
      assert.ok((await step('answered', agencyId, 'It closes on 31 December.')).ok);
      assert.equal(codeOf(await step('answered', agencyId, 'Twice')),
        'COMPLIANCE_NOTICE_STATE_CONFLICT');
      assert.equal(codeOf(await step('reopened', 'all', 'Too late', '2026-12-01')),
        'COMPLIANCE_DATE_NOT_FUTURE');
      assert.ok((await step('reopened', 'all', 'Close it sooner', '2026-12-15')).ok);
      assert.equal((await checkCompliance(db(), later(3))).raised, 0, 'not yet overdue');
      const overdue = await checkCompliance(db(), later(6));
      assert.ok(overdue.raised >= 1);
      const alerts = (await listAlerts(db(), agencyId)).filter((a) => a.subjectId === noticeId);
      assert.deepEqual(alerts.map((a) => [a.kind, a.dueOn, a.resolvedAt]),
        [['notice_overdue', '2026-12-15', null]]);
      assert.ok((await step('answered', agencyId, 'Closed today.', undefined, later(6))).ok);
      assert.ok((await step('closed', 'all', 'Accepted', undefined, later(7))).ok);
      const found = await findNotice(db(), agencyId, noticeId);
      assert.equal(found?.notice.state, 'closed');
      const kinds = found?.events.map((e) => e.kind) ?? [];
      assert.deepEqual(kinds, ['issued', 'answered', 'reopened', 'answered', 'closed']);
      assert.equal(deriveNoticeState(kinds), found?.notice.state);
      assert.equal(await findNotice(db(), otherAgencyId, noticeId), undefined);
      await checkCompliance(db(), later(7));
      const [resolved] = (await listAlerts(db(), agencyId)).filter((a) =>
        a.subjectId === noticeId);
      assert.notEqual(resolved?.resolvedAt ?? null, null, 'answered: resolved');
    });

  it('two desk members deciding one answered notice at once: one step wins, the other is ' +
    'refused', async () => {
    const issued = await issueNotice(db(), { agencyId, subject: 'Race', body: 'b',
      deadlineOn: '2026-12-31', actor: desk, now });
    assert.ok(issued.ok);
    const noticeId = issued.value.id;
    assert.ok((await advanceNotice(db(), { scope: agencyId, noticeId, kind: 'answered',
      text: 'Done', actor: admin, now })).ok);
    const [closed, reopened] = await Promise.all([
      advanceNotice(db(), { scope: 'all', noticeId, kind: 'closed', text: '', actor: desk,
        now }),
      advanceNotice(db(), { scope: 'all', noticeId, kind: 'reopened', text: 'No',
        deadlineOn: '2027-01-15', actor: secondDesk, now })]);
    assert.deepEqual([closed, reopened].map(codeOf).sort(),
      ['COMPLIANCE_NOTICE_STATE_CONFLICT', 'ok']);
    const found = await findNotice(db(), 'all', noticeId);
    const kinds = found?.events.map((e) => e.kind) ?? [];
    assert.equal(kinds.length, 3);
    assert.equal(deriveNoticeState(kinds), found?.notice.state);
    assert.equal(found?.notice.deadlineOn, closed.ok ? '2026-12-31' : '2027-01-15');
  });

  it('raises each missed deadline and expired exemption once, however often it runs',
    async () => {
      const agency = await createTestAgency(database(), 'Alerting Agency');
      const paybill = await declareLegacyPaybill(db(), { scope: agency, agencyId: agency,
        paybillNumber: '555555', accountName: 'Old', closureDueOn: '2026-12-12', actor: admin,
        now });
      const exemption = await recordExemption(db(), { agencyId: agency, serviceId: '',
        reason: 'r', migrationPlan: 'p', expiresOn: '2026-12-14', actor: desk, now });
      assert.ok(paybill.ok && exemption.ok);
      assert.ok((await approveExemption(db(), { exemptionId: exemption.value.id,
        actor: secondDesk, now })).ok);
      const kindsOf = async () => (await listAlerts(db(), agency))
        .map((a) => [a.kind, a.resolvedAt === null ? 'open' : 'resolved']).sort();
      await checkCompliance(db(), later(2));
      assert.deepEqual(await kindsOf(), [], 'the closure day itself is not missed');
      await checkCompliance(db(), later(3));
      assert.deepEqual(await kindsOf(), [['paybill_past_closure', 'open']]);
      const runs = await Promise.all([later(5), later(5), later(6)].map((at) =>
        checkCompliance(db(), at)));
      assert.ok(runs.every((run) => run.resolved === 0));
      assert.deepEqual(await kindsOf(), [['exemption_expired', 'open'],
        ['paybill_past_closure', 'open']]);
      const raisedAudits = Number((await sql<{ n: number }>`select count(*)::int as n
        from audit_record where action = 'COMPLIANCE_ALERT_RAISED' and agency_id = ${agency}`
        .execute(db())).rows[0]?.n);
      assert.equal(raisedAudits, 2);
      assert.ok((await closeLegacyPaybill(db(), { scope: agency, agencyId: agency,
        paybillId: paybill.value.id, closedOn: '2026-12-16', actor: admin, now: later(7) })).ok);
      assert.equal((await checkCompliance(db(), later(7))).resolved, 1);
      assert.deepEqual(await kindsOf(), [['exemption_expired', 'open'],
        ['paybill_past_closure', 'resolved']]);
      assert.deepEqual(await checkCompliance(db(), later(8)), { raised: 0, resolved: 0 });
      const [job] = complianceJobs(testDeps(database(), { clock: manualClock(later(9)) }));
      assert.equal(job?.name, 'agencies.compliance-check');
      await job?.run();
      assert.deepEqual(await kindsOf(), [['exemption_expired', 'open'],
        ['paybill_past_closure', 'resolved']], 'the workers\' job changes nothing more');
    });
});
