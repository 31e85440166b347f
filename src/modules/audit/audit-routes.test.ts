/**
 * The auditor's pages on a seeded log (both databases): the browser newest first, a page at a
 * time past a sequence, each filter (Kenya dates, actor, action, subject); a record's page
 * (every hashed field, and the view itself audited); the tamper check sound, then broken by a
 * record changed in SQL (triggers off, as only a superuser could), with the hashes that
 * disagree; a long chain checked in bounded steps; who may open the pages.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { roles, roleHasPermission } from '#modules/authorisation/index.ts';
import { buildTestApp } from '#test/helpers/app.ts';
import { describeOnDatabases, switchTriggersOffInTrx } from '#test/helpers/databases.ts';
import { signInAs, createTestAgency, type TestCaller } from '#test/helpers/sessions.ts';
import { auditChainStart, verifyAuditChainSegment } from './audit-repo.ts';
import { joinBundles, translator, webMessages, type PageContext } from '#web/index.ts';
import en from './locales/en.json' with { type: 'json' };
import sw from './locales/sw.json' with { type: 'json' };
import { auditPaths, renderAuditVerify } from './audit-views.ts';
import { recordAuditInTrx, type AuditEvent } from './index.ts';

const html = { accept: 'text/html' };

function event(index: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    action: index % 2 === 0 ? 'INVOICE_ISSUED' : 'ACCOUNT_SIGNED_IN',
    actor: { kind: 'staff', id: `actor-${index % 3}`, role: 'agency-officer' },
    subject: { type: 'invoice', id: `invoice-${index}` },
    detail: { reference: `REF${index}`, amountMinor: String(index * 100) },
    sourceAddress: '196.201.214.10',
    ...overrides,
  };
}

/** Sequences on a page of the browser, in the order shown. */
function sequencesOn(body: string): number[] {
  return [...body.matchAll(/href="\/staff\/audit\/records\/(\d+)"/g)]
    .map((match) => Number(match[1]));
}

describeOnDatabases('audit pages', (database) => {
  let app: FastifyInstance;
  let auditor: TestCaller;
  before(async () => {
    app = await buildTestApp(database());
    auditor = await signInAs(database(), 'auditor');
  });
  after(async () => {
    await app.close();
  });

  const append = (audited: AuditEvent, at: Date) => database().db.transaction()
    .execute((trx) => recordAuditInTrx(trx, audited, at));
  const reset = async () => {
    await database().db.transaction().execute(async (trx) => {
      await switchTriggersOffInTrx(trx);
      await sql`delete from audit_record`.execute(trx);
      await sql`update audit_chain_head set sequence = 0, hash = repeat('0', 64)`.execute(trx);
    });
  };
  const get = (url: string, caller: TestCaller | undefined = auditor) =>
    app.inject({ url, headers: { ...caller?.headers, ...html } });

  beforeEach(reset);

  it('lists records newest first, 50 a page, and pages past a sequence (keyset)', async () => {
    for (let index = 1; index <= 55; index += 1) {
      await append(event(index), new Date(Date.UTC(2026, 11, 1, 8, 0, index)));
    }
    const first = await get(auditPaths.browser);
    assert.equal(first.statusCode, 200);
    assert.deepEqual(sequencesOn(first.body), Array.from({ length: 50 }, (_, i) => 55 - i));
    assert.match(first.body, /holds 55 records/);
    assert.match(first.body, /<code>INVOICE_ISSUED<\/code>/);
    assert.match(first.body, /reference: REF54; amountMinor: 5400|amountMinor: 5400; reference/);
    const next = /href="(\/staff\/audit\?before=6)"/.exec(first.body)?.[1];
    assert.ok(next !== undefined, 'a link to the older page, past sequence 6');
    const second = await get(next);
    assert.deepEqual(sequencesOn(second.body), [5, 4, 3, 2, 1]);
    assert.doesNotMatch(second.body, /Older records/);
  });

  it('filters by action, actor, subject and Kenya dates', async () => {
    // 21:30 UTC on 1 December is 00:30 on 2 December in Nairobi.
    const times = ['2026-12-01T20:59:00Z', '2026-12-01T21:30:00Z', '2026-12-02T20:30:00Z',
      '2026-12-02T21:00:00Z'];
    for (const [index, time] of times.entries()) await append(event(index), new Date(time));
    const filtered = async (query: string) => sequencesOn((await get(
      `${auditPaths.browser}?${query}`)).body);
    assert.deepEqual(await filtered('from=2026-12-02&to=2026-12-02'), [3, 2]);
    assert.deepEqual(await filtered('to=2026-12-01'), [1]);
    assert.deepEqual(await filtered('action=invoice_issued'), [3, 1]);
    assert.deepEqual(await filtered('actorId=actor-1'), [2]);
    assert.deepEqual(await filtered('subjectType=invoice&subjectId=invoice-2'), [3]);
    assert.deepEqual(await filtered('subjectType=account'), []);
    const wrong = await get(`${auditPaths.browser}?from=2026-02-30`);
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Enter dates as a real date/);
    const reversed = await get(`${auditPaths.browser}?from=2026-12-03&to=2026-12-01`);
    assert.equal(reversed.statusCode, 400);
    // PostgreSQL has no year 0: refused before the query.
    assert.equal((await get(`${auditPaths.browser}?from=0000-01-01`)).statusCode, 400);
    const swahili = await app.inject({ url: auditPaths.browser,
      headers: { ...auditor.headers, ...html, 'accept-language': 'sw' } });
    assert.match(swahili.body, /Kumbukumbu za ukaguzi/);
  });

  it('shows a record with every field its hash covers, and audits the view', async () => {
    const { hash } = await append(event(4, { agencyId: 'agency-x', personalDataRead: true }),
      new Date('2026-12-01T08:00:00.123Z'));
    const page = await get(auditPaths.record(1n));
    assert.equal(page.statusCode, 200);
    for (const text of [hash, '0'.repeat(64), '2026-12-01T08:00:00.123000Z', 'INVOICE_ISSUED',
      'actor-1', 'invoice-4', 'agency-x', '196.201.214.10', 'REF4']) {
      assert.ok(page.body.includes(text), text);
    }
    const viewed = await database().db.withTables<{ audit_record: {
      sequence: bigint; action: string; actor_id: string | null; subject_id: string | null;
      personal_data_read: boolean; } }>().selectFrom('audit_record')
      .select(['action', 'actor_id', 'subject_id', 'personal_data_read'])
      .where('sequence', '=', 2n).executeTakeFirstOrThrow();
    assert.deepEqual(viewed, { action: 'AUDIT_RECORD_VIEWED', actor_id: auditor.id,
      subject_id: '1', personal_data_read: true });
    assert.equal((await get(auditPaths.record(999n))).statusCode, 404);
    assert.equal((await get('/staff/audit/records/not-a-number')).statusCode, 404);
    assert.equal((await get('/staff/audit/records/99999999999999999999999')).statusCode, 404);
  });

  it('the tamper check finds a sound chain, then the record changed in SQL', async () => {
    for (let index = 1; index <= 5; index += 1) {
      await append(event(index), new Date(Date.UTC(2026, 11, 1, 8, index)));
    }
    const start = await get(auditPaths.verify);
    assert.equal(start.statusCode, 200);
    assert.match(start.body, /Run the tamper check/);
    const sound = await get(auditPaths.verifyRun());
    assert.match(sound.body, /The chain is sound/);
    assert.match(sound.body, /5 records checked/);
    const stored = await database().db.withTables<{ audit_record: {
      sequence: bigint; hash: string } }>().selectFrom('audit_record').select('hash')
      .where('sequence', '=', 3n).executeTakeFirstOrThrow();
    await database().db.transaction().execute(async (trx) => {
      await switchTriggersOffInTrx(trx);
      await sql`update audit_record set detail = '{"reference": "REF3", "amountMinor": "1"}'
        where sequence = 3`.execute(trx);
    });
    const broken = await get(auditPaths.verifyRun());
    assert.equal(broken.statusCode, 200);
    assert.match(broken.body, /The chain is broken at record 3/);
    assert.match(broken.body, /2 records before it are sound/);
    assert.match(broken.body, /changed: record 3 does not match its hash/);
    assert.match(broken.body, new RegExp(`Found hash</dt><dd><code>${stored.hash}</code>`));
    const expected = /Expected hash<\/dt><dd><code>([0-9a-f]{64})<\/code>/.exec(broken.body)?.[1];
    assert.ok(expected !== undefined && expected !== stored.hash);
    assert.match(broken.body, /href="\/staff\/audit\/records\/3"/);
  });

  it('checks a long chain in bounded steps, each continuing where the last stopped',
    async () => {
      for (let index = 1; index <= 7; index += 1) {
        await append(event(index), new Date(Date.UTC(2026, 11, 1, 9, index)));
      }
      const db = database().db;
      const first = await verifyAuditChainSegment(db, auditChainStart, 3);
      assert.equal(first.ok, 'so-far');
      assert.ok(first.ok === 'so-far');
      assert.equal(first.rows, 3);
      assert.equal(first.position.sequence, 3n);
      const second = await verifyAuditChainSegment(db, first.position, 3);
      assert.ok(second.ok === 'so-far');
      const last = await verifyAuditChainSegment(db, second.position, 3);
      assert.equal(last.ok, true);
      assert.equal(last.rows, 1);
      // The page continues from a position too: records 7.. from the hash of record 6.
      const page = await get(auditPaths.verifyRun(second.position));
      assert.match(page.body, /7 records checked/);
      // A position whose hash is not record 6's breaks at record 7.
      const forged = await get(auditPaths.verifyRun({ ...second.position, hash: 'a'.repeat(64) }));
      assert.match(forged.body, /broken at record 7/);
      assert.equal((await get(`${auditPaths.verify}?run=1&after=x`)).statusCode, 400);
    });

  it('is open to audit.read holders only; others are refused, strangers sent to sign in',
    async () => {
      const agencyId = await createTestAgency(database(), 'Audit Pages Agency');
      for (const role of roles.filter((r) => r !== 'agency-api-client')) {
        const caller = await signInAs(database(), role, { agencyId });
        const allowed = roleHasPermission(role, 'audit.read');
        for (const url of [auditPaths.browser, auditPaths.verify, auditPaths.record(1n)]) {
          const status = (await get(url, caller)).statusCode;
          assert.equal(status, allowed ? (url === auditPaths.record(1n) ? 404 : 200) : 403,
            `${role} ${url}`);
        }
      }
      assert.equal(roleHasPermission('treasury', 'audit.read'), false);
      const anonymous = await app.inject({ url: auditPaths.browser, headers: html });
      assert.equal(anonymous.statusCode, 303);
      assert.match(anonymous.headers.location ?? '', /^\/staff\/sign-in\?return=/);
    });
});

describe('the tamper check between steps', () => {
  const context: PageContext = { language: 'en', currentUrl: auditPaths.verify, navigation: [],
    t: translator(joinBundles([webMessages, { en, sw }]), 'en') };
  const position = { sequence: 20_000n, hash: 'b'.repeat(64), hashVersion: 2 as const };
  const step = (auto: boolean) => renderAuditVerify(context, { chainLength: 50_000n,
    before: 0n, auto, report: { ok: 'so-far', rows: 20_000, position } });

  it('shows the progress and a link to continue; follows by itself only when asked', () => {
    const byHand = step(false);
    assert.match(byHand, /20000 of 50000 records checked so far/);
    assert.ok(byHand.includes(`href="${auditPaths.verifyRun(position).replaceAll('&', '&amp;')}"`));
    assert.doesNotMatch(byHand, /http-equiv="refresh"/);
    const auto = step(true);
    const next = auditPaths.verifyRun(position, true).replaceAll('&', '&amp;');
    assert.ok(auto.includes(`<meta http-equiv="refresh" content="1;url=${next}">`));
    assert.match(auto, /Stop carrying on by itself/);
  });
});
