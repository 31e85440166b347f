/**
 * The scorecard's numbers on a small register (both databases): services by on-boarding
 * status, paybills open and past closure, exemptions in force and expired, notices open and
 * overdue, outside revenue of the last twelve months only, open alerts, and the score; agency
 * scope; sorting by any column both ways; the CSV with the same rows. Plus the score formula
 * and the twelve-month window as pure rules.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency } from '#test/helpers/sessions.ts';
import { checkCompliance } from './compliance-alerts.ts';
import { issueNotice } from './compliance-notices.ts';
import { readRegister } from './compliance-repo.ts';
import {
  complianceScore,
  isIsoDate,
  monthStart,
  twelveMonthsFrom,
} from './compliance-rules.ts';
import {
  complianceScorecard,
  scorecardColumns,
  scorecardCsv,
  sortScorecard,
  type ScorecardRow,
} from './compliance-scorecard.ts';
import {
  approveExemption,
  declareLegacyPaybill,
  declareOutsideRevenue,
  recordExemption,
} from './compliance-service.ts';
import { complianceDb } from './compliance-tables.ts';

const day = 86_400_000;
const staff = () => ({ kind: 'staff' as const, id: uuidv7(), role: 'platform-admin' });
const past = new Date('2026-06-01T09:00:00Z');
const now = new Date('2026-12-10T09:00:00Z');

describe('compliance score (rules)', () => {
  const clean = { servicesTotal: 4, servicesLive: 3, legacyPaybillsOpen: 0,
    legacyPaybillsPastClosure: 0, exemptionsExpired: 0, noticesOverdue: 0,
    outsideRevenueDeclared: false };
  it('starts from the share of services live and takes off for each failing', () => {
    assert.equal(complianceScore(clean), 75);
    assert.equal(complianceScore({ ...clean, legacyPaybillsOpen: 2,
      legacyPaybillsPastClosure: 1 }), 75 - 10 - 5);
    assert.equal(complianceScore({ ...clean, exemptionsExpired: 1, noticesOverdue: 2 }), 45);
    assert.equal(complianceScore({ ...clean, outsideRevenueDeclared: true }), 65);
    assert.equal(complianceScore({ ...clean, servicesTotal: 0, servicesLive: 0 }), 0);
    assert.equal(complianceScore({ ...clean, noticesOverdue: 20 }), 0, 'never below 0');
  });
  it('takes real dates from 1900 on and real months', () => {
    for (const good of ['2026-02-28', '2028-02-29', '1900-01-01', '9999-12-31']) {
      assert.ok(isIsoDate(good), good);
    }
    for (const bad of ['2026-02-29', '2026-13-01', '0000-01-01', '1899-12-31', '2026-1-01',
      '20260101', '2026-01-01T00:00', ' 2026-01-01']) {
      assert.ok(!isIsoDate(bad), bad);
    }
    assert.equal(monthStart('2026-11'), '2026-11-01');
    assert.equal(monthStart('0000-01'), undefined);
    assert.equal(monthStart('2026-00'), undefined);
  });
  it('counts twelve months with the current one', () => {
    assert.equal(twelveMonthsFrom('2026-12-10'), '2026-01-01');
    assert.equal(twelveMonthsFrom('2026-03-31'), '2025-04-01');
    assert.equal(twelveMonthsFrom('2027-01-01'), '2026-02-01');
  });
});

describeOnDatabases('compliance scorecard', (database) => {
  let agencyId = '';
  let cleanId = '';
  const db = () => database().db;
  before(async () => {
    agencyId = await createTestAgency(database(), 'Scorecard Agency');
    cleanId = await createTestAgency(database(), 'Scorecard Clean');
    const statuses = ['live', 'live', 'in_progress', 'not_started', 'exempt'];
    await complianceDb(db()).insertInto('service').values([
      ...statuses.map((status, index) => ({ id: uuidv7(), agency_id: agencyId,
        slug: `scorecard-${agencyId.slice(-8)}-${String(index)}`, name_en: `Service ${status}`,
        onboarding_status: status, origin: 'synthetic' })),
      { id: uuidv7(), agency_id: cleanId, slug: `scorecard-clean-${cleanId.slice(-8)}`,
        name_en: 'Clean service', onboarding_status: 'live', origin: 'synthetic' },
    ] as never).execute();
    const admin = { kind: 'staff' as const, id: uuidv7(), role: 'agency-admin' };
    const declare = (paybillNumber: string, closureDueOn: string) => declareLegacyPaybill(db(),
      { scope: agencyId, agencyId, paybillNumber, accountName: 'Legacy', closureDueOn,
        actor: admin, now: past });
    assert.ok((await declare('111111', '2026-12-01')).ok);
    assert.ok((await declare('222222', '2027-06-30')).ok);
    const desk = staff();
    const exemption = async (expiresOn: string) => {
      const recorded = await recordExemption(db(), { agencyId, serviceId: '', reason: 'r',
        migrationPlan: 'p', expiresOn, actor: desk, now: past });
      assert.ok(recorded.ok);
      assert.ok((await approveExemption(db(), { exemptionId: recorded.value.id,
        actor: staff(), now: past })).ok);
    };
    await exemption('2026-11-30');
    await exemption('2027-03-31');
    assert.ok((await recordExemption(db(), { agencyId, serviceId: '', reason: 'r',
      migrationPlan: 'p', expiresOn: '2027-03-31', actor: desk, now: past })).ok,
    'awaiting approval: counted nowhere');
    for (const deadlineOn of ['2026-12-05', '2026-12-20']) {
      assert.ok((await issueNotice(db(), { agencyId, subject: 's', body: 'b', deadlineOn,
        actor: desk, now: past })).ok);
    }
    const revenue = (month: string, amount: string, currency = 'KES') =>
      declareOutsideRevenue(db(), { scope: agencyId, agencyId, month, currency, amount,
        actor: admin, now });
    assert.ok((await revenue('2026-11', '1000.50')).ok);
    assert.ok((await revenue('2026-01', '99.50')).ok);
    assert.ok((await revenue('2025-12', '5000')).ok, 'declared, but outside the window');
    assert.ok((await revenue('2026-10', '12.34', 'USD')).ok);
    await checkCompliance(db(), new Date(now.getTime() - day));
  });

  const rowOf = async (id: string): Promise<ScorecardRow> => {
    const row = (await complianceScorecard(db(), { now })).find((r) => r.agencyId === id);
    assert.ok(row !== undefined);
    return row;
  };

  it('counts each register fact of an agency as of the day', async () => {
    const row = await rowOf(agencyId);
    assert.deepEqual({ ...row, agencyId: undefined, agencySlug: undefined }, {
      agencyId: undefined, agencySlug: undefined, agencyNameEn: 'Scorecard Agency',
      agencyNameSw: null, servicesTotal: 5, servicesLive: 2, servicesInProgress: 1,
      servicesNotStarted: 1, servicesExempt: 1, onboardedPercent: 40, legacyPaybillsOpen: 2,
      legacyPaybillsPastClosure: 1, exemptionsActive: 1, exemptionsExpired: 1, noticesOpen: 2,
      noticesOverdue: 1, outsideRevenueKesMinor: 110_000n, outsideRevenueUsdMinor: 1_234n,
      alertsOpen: 3,
      // 40 live, -10 past closure, -5 open within closure, -10 expired, -10 overdue, -10 revenue
      score: 0 });
    const register = await readRegister(db(), agencyId);
    assert.deepEqual(register.serviceCounts, { live: 2, in_progress: 1, not_started: 1,
      exempt: 1 }, 'the register counts as the scorecard does');
    assert.equal(register.services.length, 5);
    const clean = await rowOf(cleanId);
    assert.equal(clean.onboardedPercent, 100);
    assert.equal(clean.score, 100);
    assert.equal(clean.outsideRevenueKesMinor, 0n);
  });

  it('counts a service in its sandbox as being on-boarded', async () => {
    const sandboxAgency = await createTestAgency(database(), 'Scorecard Sandbox');
    await complianceDb(db()).insertInto('service').values(['live', 'sandbox'].map((status) => ({
      id: uuidv7(), agency_id: sandboxAgency, name_en: `Sandbox agency ${status}`,
      slug: `scorecard-${status}-${sandboxAgency.slice(-8)}`, onboarding_status: status,
      origin: 'synthetic' })) as never).execute();
    const row = await rowOf(sandboxAgency);
    assert.deepEqual([row.servicesTotal, row.servicesLive, row.servicesInProgress,
      row.servicesNotStarted, row.onboardedPercent], [2, 1, 1, 0, 50]);
    assert.deepEqual((await readRegister(db(), sandboxAgency)).serviceCounts,
      { live: 1, sandbox: 1 });
  });

  it('shows an agency its own row only', async () => {
    const rows = await complianceScorecard(db(), { now, scope: cleanId });
    assert.deepEqual(rows.map((r) => r.agencyId), [cleanId]);
  });

  it('sorts by every column both ways and exports the same rows as CSV', async () => {
    const rows = await complianceScorecard(db(), { now });
    for (const column of scorecardColumns) {
      const asc = sortScorecard(rows, column, 'asc');
      const desc = sortScorecard(rows, column, 'desc');
      assert.equal(asc.length, rows.length);
      const value = (r: ScorecardRow) => column === 'agency' ? r.agencyNameEn : r[column];
      for (let i = 1; i < asc.length; i += 1) {
        const [a, b] = [asc[i - 1], asc[i]];
        const [c, d] = [desc[i - 1], desc[i]];
        assert.ok(a !== undefined && b !== undefined && c !== undefined && d !== undefined);
        if (column !== 'agency') {
          assert.ok(value(a) <= value(b), `${column} asc`);
          assert.ok(value(c) >= value(d), `${column} desc`);
        }
      }
    }
    const byScore = sortScorecard(rows, 'score', 'asc');
    assert.equal(byScore[0]?.score, 0);
    const csv = scorecardCsv(byScore);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines.length, rows.length + 1);
    assert.match(lines[0] ?? '', /^agency_id,agency_slug,agency_name,/);
    const mine = lines.find((line) => line.startsWith(agencyId));
    assert.ok(mine?.endsWith(',2,1,1,1,2,1,1100.00,12.34,3,0'), mine);
  });
});
