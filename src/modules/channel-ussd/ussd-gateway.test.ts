/**
 * Whole USSD sessions over HTTP, as an aggregator sends them (form POST, CON/END text): a bill
 * paid by the M-Pesa prompt through the Daraja emulator over real HTTP, the ledger showing it;
 * checking bills, payments and receipts; my last payments; language remembered per phone; back
 * and home; bad input; the lookup limit; idle sessions timing out (injected clock); the gateway
 * refused without its token or from outside its allow-list; no phone number in the logs.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { setTimeout } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '#config';
import { manualClock } from '#platform/clock/index.ts';
import { createLogger } from '#platform/logging/index.ts';
import { runOutboxBatch } from '#platform/outbox/index.ts';
import { roles } from '#modules/authorisation/index.ts';
import { checkLedger } from '#modules/ledger/index.ts';
import {
  createInvoiceForService,
  invoiceView,
  paymentsModule,
  receiptIssueTopic,
  stkDepsFor,
} from '#modules/payments/index.ts';
import { buildTestApp, testDeps } from '#test/helpers/app.ts';
import { generateSigningKeys, issueDocumentInTrx } from '#modules/documents/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { createTestAgency, signInAs } from '#test/helpers/sessions.ts';
import { FormClient } from '#test/helpers/form-client.ts';
import {
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { channelUssdModule } from './index.ts';
import { lookupsFor } from './ussd-lookups.ts';
import { ussdPaths } from './ussd-paths.ts';
import { phoneKeyOf } from './ussd-phone.ts';

const phone = '+254708374149';
const token = 'ussd-test-gateway-token-0123456789';
let sessionCounter = 0;

type Dial = (text: string, options?: Readonly<{ session?: string; from?: string;
  phoneNumber?: string }>) => Promise<Readonly<{ status: number; body: string }>>;

function dialler(app: () => FastifyInstance): Dial & { fresh: () => string } {
  let current = 'ussd-session-0';
  const dial = (async (text, options = {}) => {
    const response = await app().inject({
      method: 'POST', url: ussdPaths.gateway(token),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      ...(options.from === undefined ? {} : { remoteAddress: options.from }),
      payload: new URLSearchParams({ sessionId: options.session ?? current,
        serviceCode: '*384*222#', phoneNumber: options.phoneNumber ?? phone,
        networkCode: '63902', text }).toString(),
    });
    return { status: response.statusCode, body: response.body };
  }) as Dial & { fresh: () => string };
  dial.fresh = () => {
    sessionCounter += 1;
    current = `ussd-session-${sessionCounter}`;
    return current;
  };
  return dial;
}

describeOnDatabases('USSD over HTTP', (database) => {
  describe('whole sessions', () => {
    let harness: PaymentsHarness;
    const dial = dialler(() => harness.app);

    before(async () => {
      await insertPaymentsFixture(database());
      harness = await startPaymentsHarness(database(),
        { env: { HUDUMA_USSD_GATEWAY_TOKEN: token } });
    });
    after(async () => {
      await harness.close();
    });

    async function bill(service: string = fixtureIds.passport) {
      const created = await createInvoiceForService(harness.deps, {
        service, payerAccountId: newPayerId(), now: new Date() });
      assert.ok(created.ok);
      return created.value;
    }

    it('pays a bill in one session: the prompt goes to the phone and the ledger shows it',
      async () => {
        const invoice = await bill();
        dial.fresh();
        const home = await dial('');
        assert.equal(home.status, 200);
        assert.match(home.body, /^CON Huduma\n1 Pay a bill/);
        assert.match((await dial('1')).body, /^CON Pay a bill\nEnter the bill reference/);
        const shown = await dial(`1*${invoice.reference.toLowerCase()}`);
        assert.match(shown.body, new RegExp(`^CON Bill ${invoice.reference}\\n`));
        assert.match(shown.body, /Service fixture-passport\nImmigration\nDue KES 1,050\.00\n1 Pay/);
        const sent = await dial(`1*${invoice.reference.toLowerCase()}*1`);
        assert.match(sent.body, /^END An M-Pesa prompt for KES 1,050\.00/);
        await harness.daraja.emulator.idle();
        const paid = await invoiceView(harness.deps, invoice.reference);
        assert.equal(paid?.status, 'paid');
        assert.equal(paid?.allocations[0]?.channel, 'mpesa_stk');
        const entries = await sql<{ n: string }>`select count(*)::text as n from ledger_entry
          where reference->>'invoiceId' = ${invoice.id}`.execute(database().db);
        assert.ok(Number(entries.rows[0]?.n) >= 1, 'the payment is in the ledger');
        assert.deepEqual((await checkLedger(database().db)).findings, []);

        dial.fresh();
        const mine = await dial('4');
        assert.match(mine.body,
          new RegExp(`My last payments\\n${invoice.reference} KES 1,050\\.00 paid`));
        const receipt = paid?.allocations[0]?.receiptNumber ?? '';
        dial.fresh();
        const payment = await dial(`3*${receipt}`);
        assert.match(payment.body, new RegExp(`^CON M-Pesa ${receipt}\\nKES 1,050\\.00 on `));
        assert.match(payment.body, /Paid to the bill\./);
        assert.doesNotMatch(payment.body, /708374149|JOHN|DOE/);
      });

    it('asks for one prompt, listed once, when the pay step is sent again', async () => {
      const invoice = await bill(fixtureIds.permit);
      const caller = { sessionId: 'ussd-retried', phone, phoneKey: phoneKeyOf(
        harness.config.ussd.phoneKey, phone) };
      const lookups = lookupsFor(harness.deps, stkDepsFor(harness.deps), caller);
      const facts = { reference: invoice.reference, serviceEn: '-', serviceSw: null,
        agencyEn: '-', agencySw: null, status: 'unpaid', currency: 'KES',
        totalMinor: '26000', dueMinor: '26000', payable: true };
      assert.equal(await lookups.pay(facts), true);
      assert.equal(await lookups.pay(facts), true);
      await harness.daraja.emulator.idle();
      const rows = await sql<{ n: string }>`select count(*)::text as n from ussd_payment
        where invoice_reference = ${invoice.reference}`.execute(database().db);
      assert.equal(rows.rows[0]?.n, '1');
      const pushes = await sql<{ n: string }>`select count(*)::text as n from stk_push
        where invoice_id = ${invoice.id}`.execute(database().db);
      assert.equal(pushes.rows[0]?.n, '1');
    });

    it('verifies the Huduma receipt of that payment by its number', async () => {
      const invoice = await bill(fixtureIds.permit);
      dial.fresh();
      await dial('');
      await dial(`1*${invoice.reference}*1`);
      await harness.daraja.emulator.idle();
      const handler = paymentsModule.outboxHandlers?.(harness.deps)[receiptIssueTopic];
      assert.ok(handler !== undefined);
      // The receipt is issued by the outbox once the payment is allocated: run it until then
      // (on a loaded machine the allocation may land just after the emulator is idle).
      let number = '';
      for (let round = 0; round < 100 && number === ''; round += 1) {
        await runOutboxBatch({ db: database().db, clock: harness.deps.clock,
          logger: createLogger({ level: 'silent' }), handlers: { [receiptIssueTopic]: handler } });
        const row = await sql<{ number: string }>`select number from receipt
          where invoice_id = ${invoice.id}`.execute(database().db);
        number = row.rows[0]?.number ?? '';
        if (number === '') await setTimeout(100);
      }
      assert.match(number, /^HR/);
      dial.fresh();
      const verified = await dial(`6*${number}`);
      assert.match(verified.body,
        new RegExp(`^CON Receipt ${number} is genuine\\.\\nKES 260\\.00`));
      dial.fresh();
      assert.match((await dial('6*HD-AAAAA-BBBBB')).body, /^CON Nothing found for HD-AAAAA-BBBBB/);
    });

    it('tells a USD bill to pay by card and offers no M-Pesa prompt', async () => {
      const invoice = await bill(fixtureIds.visa);
      dial.fresh();
      const shown = await dial(`1*${invoice.reference}`);
      assert.match(shown.body, /Due USD 51\.00\. Pay by card on the Huduma website\./);
      assert.doesNotMatch(shown.body, /1 Pay by M-Pesa/);
      assert.match((await dial(`1*${invoice.reference}*1`)).body, /^CON Invalid choice/);
    });

    it('checks a bill, goes back and home, and keeps the screen on bad input', async () => {
      const invoice = await bill();
      dial.fresh();
      assert.match((await dial('9')).body, /^CON Invalid choice\. Try again\.\nHuduma\n1 Pay/);
      assert.match((await dial('9*2')).body, /^CON Check a bill/);
      const missing = await dial('9*2*XX-NOPE');
      assert.match(missing.body, /^CON Nothing found for XX-NOPE\. Check and try again\.\nCheck a/);
      const checked = await dial(`9*2*XX-NOPE*${invoice.reference}`);
      assert.match(checked.body, /Total KES 1,050\.00\nStatus: Unpaid\nDue KES 1,050\.00\n0 Back/);
      assert.match((await dial(`9*2*XX-NOPE*${invoice.reference}*0`)).body, /^CON Check a bill/);
      assert.match((await dial(`9*2*XX-NOPE*${invoice.reference}*0*00`)).body, /^CON Huduma\n/);
    });

    it('speaks Swahili once chosen, in this session and the next', async () => {
      const other = '+254711000222';
      dial.fresh();
      assert.match((await dial('7', { phoneNumber: other })).body, /^CON Choose language/);
      const saved = await dial('7*2', { phoneNumber: other });
      assert.match(saved.body, /^CON Lugha imehifadhiwa\.\nHuduma\n1 Lipa bili/);
      dial.fresh();
      assert.match((await dial('', { phoneNumber: other })).body, /^CON Huduma\n1 Lipa bili/);
      assert.match((await dial('', { phoneNumber: phone, session: 'ussd-en-check' })).body,
        /^CON Huduma\n1 Pay a bill/);
    });

    it('refuses a number that is not a Kenyan mobile', async () => {
      dial.fresh();
      assert.match((await dial('', { phoneNumber: '+447911123456' })).body, /^END Sorry/);
    });

    it('keeps the ledger balanced', async () => {
      assert.deepEqual((await checkLedger(database().db)).findings, []);
    });

    it('shows an application\'s status only to the applicant\'s own phone', async () => {
      const account = newPayerId();
      const application = newPayerId();
      const now = new Date();
      await sql`insert into account (id, kind, document_type, document_number, first_name,
        last_name, birth_date, password_hash, phone, created_at, updated_at) values
        (${account}, 'citizen', 'national_id',
        ${`9${String(process.pid % 10_000_000).padStart(7, '0')}`}, 'Amina', 'Otieno',
        '1990-01-01', '$scrypt$ln=1,r=1,p=1$AAAA$AAAA', ${phone}, ${now}, ${now})`
        .execute(database().db);
      await sql`insert into application (id, reference, service_id, agency_id,
        applicant_account_id, started_by_account_id, form, created_at) values (${application},
        'A-7K3M9Q2R', ${fixtureIds.passport}, ${fixtureIds.agency}, ${account}, ${account},
        '{}'::jsonb, ${now})`.execute(database().db);
      await sql`insert into application_state (application_id, status, last_seq,
        answers_version, service_id, agency_id, applicant_account_id, updated_at) values
        (${application}, 'in-review', 3, 1, ${fixtureIds.passport}, ${fixtureIds.agency},
        ${account}, ${now})`.execute(database().db);
      dial.fresh();
      const shown = await dial('5*a 7k3m9q2r');
      assert.match(shown.body,
        /^CON Application A-7K3M9Q2R\nService fixture-passport\nStatus: In review\n0 Back/);
      assert.doesNotMatch(shown.body, /Amina|Otieno/);
      dial.fresh();
      const other = await dial('5*A-7K3M9Q2R', { phoneNumber: '+254711000333' });
      assert.match(other.body, /^CON Nothing found for A-7K3M9Q2R/);
    });
  });

  describe('gateway rules (clock, limits, access, logs)', () => {
    let app: FastifyInstance;
    const clock = manualClock(new Date('2026-12-04T08:00:00Z'));
    const lines: string[] = [];
    const dial = dialler(() => app);

    before(async () => {
      await insertPaymentsFixture(database());
      const config = loadConfig({ HUDUMA_ENV: 'test', HUDUMA_USSD_GATEWAY_TOKEN: token,
        HUDUMA_USSD_ALLOWED_SOURCES: '127.0.0.0/8', HUDUMA_USSD_LOOKUPS_PER_HOUR: '4',
        HUDUMA_USSD_SESSION_IDLE_SECONDS: '60' });
      const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => {
        lines.push(chunk.toString('utf8'));
        done();
      } });
      app = await buildTestApp(database(), testDeps(database(), { config, clock,
        logger: createLogger({ level: 'trace', destination }) }));
    });
    after(async () => {
      await app.close();
    });

    it('refuses the gateway without its token (404) or from outside the allow-list (403)',
      async () => {
        dial.fresh();
        const wrong = await app.inject({ method: 'POST', url: ussdPaths.gateway(`x${token}`),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'sessionId=a&serviceCode=*1%23&phoneNumber=%2B254708374149&text=' });
        assert.equal(wrong.statusCode, 404);
        assert.equal((await dial('', { from: '10.1.2.3' })).status, 403);
        assert.equal((await dial('', { from: '127.0.0.1' })).status, 200);
        const incomplete = await app.inject({ method: 'POST', url: ussdPaths.gateway(token),
          headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'text=1' });
        assert.equal(incomplete.statusCode, 400);
      });

    it('ends an idle session with END, and the next dial starts afresh', async () => {
      const session = dial.fresh();
      await dial('');
      assert.match((await dial('2')).body, /^CON Check a bill/);
      clock.advanceMs(61_000);
      assert.match((await dial('2*ABC')).body, /^END Your session timed out/);
      assert.match((await dial('2*ABC*1', { session })).body, /^CON Huduma\n1 Pay/);
      dial.fresh();
      assert.match((await dial('')).body, /^CON Huduma/);
    });

    it('ends the session when a phone makes too many lookups in an hour', async () => {
      dial.fresh();
      const guesses = ['AAAA', 'BBBB', 'CCCC', 'DDDD'];
      let text = '2';
      for (const guess of guesses) {
        text = `${text}*${guess}`;
        assert.match((await dial(text)).body, /^CON Nothing found/);
      }
      assert.match((await dial(`${text}*EEEE`)).body, /^END Too many lookups/);
      clock.advanceMs(60 * 60_000);
      dial.fresh();
      assert.match((await dial('2*FFFF')).body, /^CON Nothing found/);
    });

    it('serves the simulator to anyone outside production, its form only with CSRF',
      async () => {
        const browser = new FormClient(app);
        assert.equal((await browser.get(ussdPaths.simulator)).statusCode, 200);
        const dialled = await browser.post(ussdPaths.simulator,
          { phone: '0708 374 149', action: 'dial' });
        assert.equal(dialled.statusCode, 200);
        assert.match(dialled.body, /Huduma\n1 Pay a bill/);
        const badPhone = await browser.post(ussdPaths.simulator, { phone: '123', action: 'dial' });
        assert.equal(badPhone.statusCode, 400);
        const answered = await browser.post(ussdPaths.simulator, { phone: '0708 374 149',
          action: 'send', sessionId: 'simulator-test', text: '', answer: '2' });
        assert.match(answered.body, /Check a bill/);
        const forged = await app.inject({ method: 'POST', url: ussdPaths.simulator,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'phone=0708374149&action=dial' });
        assert.equal(forged.statusCode, 403);
        const off = await buildTestApp(database(), testDeps(database(), { config: loadConfig({
          HUDUMA_ENV: 'test', HUDUMA_USSD_SIMULATOR: 'off' }) }));
        try {
          assert.equal((await off.inject({ url: ussdPaths.simulator })).statusCode, 404);
        } finally {
          await off.close();
        }
      });

    it('verifies a document by its number: valid, expired; no holder name', async () => {
      const keys = generateSigningKeys();
      const issue = (expiresAt: Date) => database().db.transaction().execute((trx) =>
        issueDocumentInTrx(trx, keys, { sourceKey: `ussd-test:${uuidv7()}`,
          serviceId: uuidv7(), agencyId: uuidv7(), holderAccountId: uuidv7(),
          holderName: 'Wanjiku Achieng Kamau', template: 'licence', facts: [],
          issuedAt: new Date('2026-12-01T08:00:00Z'), expiresAt,
          serviceName: { en: 'Trading licence', sw: 'Leseni ya biashara' },
          agencyName: { en: 'County', sw: 'Kaunti' } }));
      const valid = await issue(new Date('2099-01-01T00:00:00Z'));
      const expired = await issue(new Date('2026-12-02T00:00:00Z'));
      dial.fresh();
      const shown = await dial(`6*${valid.number.toLowerCase()}`);
      assert.match(shown.body, new RegExp(`^CON Document ${valid.number}: VALID\\nTrading ` +
        'licence\\nIssued 2026-12-01'));
      assert.doesNotMatch(shown.body, /Wanjiku/);
      dial.fresh();
      assert.match((await dial(`6*${expired.number}`)).body, /: EXPIRED\n/);
    });

    it('forgets old sessions and lookup counts (the hourly sweep)', async () => {
      dial.fresh();
      await dial('');
      clock.advanceMs(25 * 60 * 60_000);
      const cut = new Date(clock.now().getTime() - 24 * 60 * 60_000);
      const old = async () => (await sql<{ n: string }>`select count(*)::text as n
        from ussd_session where last_seen_at < ${cut} union all select count(*)::text
        from ussd_lookup_window where window_start < ${cut}`.execute(database().db)).rows
        .map((row) => Number(row.n));
      const before = await old();
      assert.ok((before[0] ?? 0) > 0 && (before[1] ?? 0) > 0, 'old rows to sweep');
      const [job] = channelUssdModule.periodicJobs?.(testDeps(database(), { clock })) ?? [];
      await job?.run();
      assert.deepEqual(await old(), [0, 0]);
    });

    let agencyId = '';
    for (const role of roles.filter((r) => r !== 'agency-api-client')) {
      it(`lets ${role} use the simulator, and their session never stands in for the gateway`,
        async () => {
          agencyId ||= await createTestAgency(database(), 'USSD Access Agency');
          const caller = await signInAs(database(), role, { agencyId, now: clock.now() });
          const page = await app.inject({ url: ussdPaths.simulator, headers: caller.headers });
          assert.equal(page.statusCode, 200);
          const form = { ...caller.headers, 'content-type': 'application/x-www-form-urlencoded' };
          const dialled = await app.inject({ method: 'POST', url: ussdPaths.simulator,
            headers: form, payload: new URLSearchParams({ _csrf: caller.csrfToken,
              phone: '0708374149', action: 'dial' }).toString() });
          assert.equal(dialled.statusCode, 200);
          const gateway = await app.inject({ method: 'POST', url: ussdPaths.gateway('none'),
            headers: form, payload: new URLSearchParams({ _csrf: caller.csrfToken,
              sessionId: 'authz', serviceCode: '*1#', phoneNumber: phone, text: '' })
              .toString() });
          assert.equal(gateway.statusCode, 404);
        });
    }

    it('writes no phone number to the logs', async () => {
      dial.fresh();
      await dial('');
      await dial('4');
      const written = lines.join('');
      assert.ok(written.length > 0, 'the app logged its requests');
      assert.doesNotMatch(written, /708374149/);
    });
  });
});
