/**
 * Disagreements are seen (issue 9, item 5): a receipt delivered again with another amount, or
 * naming another invoice, raises a payment alert (logged, counted, listed) that Treasury must
 * close with a note. Who may list and close: Treasury lists and closes, auditors only list,
 * agency staff and citizens are refused, anonymous callers must sign in. Over real HTTP for
 * M-Pesa's deliveries; the staff routes through the app.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  c2bConfirmationBody,
  fixtureIds,
  insertPaymentsFixture,
  newPayerId,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import { createTestAgency, signInAs, type TestCaller } from '#test/helpers/sessions.ts';
import { createInvoiceForService, invoiceView } from './invoice-service.ts';
import { paymentAlertPaths } from './payment-alert-views.ts';

type AlertItem = Readonly<{ id: string; kind: string; reason: string; paymentId: string | null;
  receiptNumber: string | null; amountMinor: string | null; closingNote: string | null }>;

describeOnDatabases('payment alerts', (database) => {
  let harness: PaymentsHarness;
  let treasury: TestCaller;
  let auditor: TestCaller;
  let officer: TestCaller;
  let citizen: TestCaller;
  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    treasury = await signInAs(database(), 'treasury');
    auditor = await signInAs(database(), 'auditor');
    officer = await signInAs(database(), 'agency-officer',
      { agencyId: await createTestAgency(database(), 'Alerts Agency') });
    citizen = await signInAs(database(), 'account-holder');
  });
  after(async () => {
    await harness.close();
  });

  const confirm = (body: string) => fetch(
    `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  async function issue() {
    const created = await createInvoiceForService(harness.deps, {
      service: fixtureIds.passport, payerAccountId: newPayerId(), now: new Date() });
    assert.ok(created.ok);
    return created.value;
  }

  const listAs = async (caller: TestCaller | undefined, state = 'open') => harness.app.inject({
    url: `${paymentAlertPaths.api}?state=${state}&pageSize=200`,
    headers: { accept: 'application/json', ...caller?.headers } });

  const closeAs = (caller: TestCaller, alertId: string, note: string) => harness.app.inject({
    method: 'POST', url: paymentAlertPaths.close(alertId),
    headers: { ...caller.headers, accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: caller.csrfToken, note }).toString() });

  async function openAlertsOf(receipt: string): Promise<AlertItem[]> {
    const listed = await listAs(treasury);
    assert.equal(listed.statusCode, 200);
    return (listed.json() as { items: AlertItem[] }).items
      .filter((item) => item.receiptNumber === receipt);
  }

  it('raises an alert for another amount and for another invoice under one receipt',
    async () => {
      const paid = await issue();
      const other = await issue();
      const receipt = 'DSG0000001';
      const body = (shillings: bigint, billReference: string) =>
        c2bConfirmationBody({ receipt, shillings, billReference });
      assert.equal((await confirm(body(1_050n, paid.reference))).status, 200);
      assert.equal((await confirm(body(1_000n, paid.reference))).status, 200);
      assert.equal((await confirm(body(1_050n, other.reference))).status, 200);
      assert.equal((await invoiceView(harness.deps, paid.reference))?.status, 'paid');
      assert.equal((await invoiceView(harness.deps, other.reference))?.status, 'unpaid');
      const alerts = await openAlertsOf(receipt);
      assert.deepEqual(alerts.map((alert) => alert.kind).sort(),
        ['DELIVERY_DISAGREED', 'RECEIPT_REUSED']);
      assert.ok(alerts.every((alert) => alert.paymentId !== null &&
        alert.amountMinor === '105000'));
      assert.match(alerts.find((alert) => alert.kind === 'DELIVERY_DISAGREED')?.reason ?? '',
        /KES\s1,000\.00/);
      const rendered = harness.deps.metrics.render();
      assert.match(rendered, /payments_alerts_raised_total\{kind="DELIVERY_DISAGREED"\} 1/);
      assert.match(rendered, /payments_alerts_raised_total\{kind="RECEIPT_REUSED"\} 1/);
    });

  it('lets treasury and auditors list alerts, and refuses agency staff and citizens',
    async () => {
      assert.equal((await listAs(treasury)).statusCode, 200);
      assert.equal((await listAs(auditor)).statusCode, 200);
      assert.equal((await listAs(officer)).statusCode, 403);
      assert.equal((await listAs(citizen)).statusCode, 403);
      assert.equal((await listAs(undefined)).statusCode, 401);
      for (const [caller, status] of [[treasury, 200], [auditor, 200], [officer, 403]] as const) {
        const page = await harness.app.inject({ url: paymentAlertPaths.page,
          headers: { ...caller.headers, accept: 'text/html' } });
        assert.equal(page.statusCode, status, caller.role);
      }
    });

  it('lets treasury close an alert with a note, once, audited; auditors cannot', async () => {
    const [alert] = await openAlertsOf('DSG0000001');
    assert.ok(alert !== undefined);
    assert.equal((await closeAs(auditor, alert.id, 'looked')).statusCode, 403);
    assert.equal((await closeAs(officer, alert.id, 'looked')).statusCode, 403);
    const blank = await closeAs(treasury, alert.id, '   ');
    assert.equal(blank.statusCode, 400);
    assert.match(blank.body, /Write a closing note/);
    const closed = await closeAs(treasury, alert.id, 'Statement checked: the first is right.');
    assert.equal(closed.statusCode, 303);
    assert.equal(closed.headers.location, `${paymentAlertPaths.list('open')}&notice=closed`);
    const after = await harness.app.inject({ url: closed.headers.location,
      headers: { ...treasury.headers, accept: 'text/html' } });
    assert.match(after.body, /role="status"><p>The alert is closed\.<\/p>/);
    assert.equal((await closeAs(treasury, alert.id, 'again')).statusCode, 409);
    assert.equal((await closeAs(treasury, '0193a000-0000-7000-8000-000000000000', 'x'))
      .statusCode, 404);
    assert.ok(!(await openAlertsOf('DSG0000001')).some((item) => item.id === alert.id));
    const closedList = (await listAs(auditor, 'closed')).json() as { items: AlertItem[] };
    assert.equal(closedList.items.find((item) => item.id === alert.id)?.closingNote,
      'Statement checked: the first is right.');
    const audit = await sql<{ action: string; actor_id: string }>`select action, actor_id
      from audit_record where subject_id = ${alert.id}`.execute(database().db);
    assert.deepEqual(audit.rows, [{ action: 'PAYMENT_ALERT_CLOSED', actor_id: treasury.id }]);
  });

  it('two treasury staff closing one alert at once: one closes it, the other gets 409',
    async () => {
      const invoice = await issue();
      const body = JSON.parse(c2bConfirmationBody({ receipt: 'DSG0000002', shillings: 1_050n,
        billReference: invoice.reference })) as Record<string, string>;
      assert.equal((await confirm(JSON.stringify({ ...body, TransAmount: '1050.50' }))).status,
        200);
      const [alert] = await openAlertsOf('DSG0000002');
      assert.ok(alert !== undefined);
      const second = await signInAs(database(), 'treasury');
      const answers = await Promise.all([closeAs(treasury, alert.id, 'first look'),
        closeAs(second, alert.id, 'second look')]);
      assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [303, 409]);
      const audit = await sql<{ n: bigint }>`select count(*) as n from audit_record
        where subject_id = ${alert.id} and action = 'PAYMENT_ALERT_CLOSED'`.execute(database().db);
      assert.equal(audit.rows[0]?.n, 1n);
    });

  it('keeps alerts, closings and sweep failures append-only for the app', async () => {
    for (const table of ['payment_alert', 'payment_alert_closure', 'payment_callback_failure']) {
      for (const statement of [sql`delete from ${sql.table(table)}`,
        sql`truncate ${sql.table(table)} cascade`,
        sql`update ${sql.table(table)} set ${sql.ref(table === 'payment_alert_closure'
          ? 'note' : 'reason')} = 'changed'`]) {
        await assert.rejects(statement.execute(database().db),
          new RegExp(`permission denied for table ${table}`));
      }
    }
  });

  it('shows the alerts page in English and Swahili, with a close form for treasury only',
    async () => {
      const page = async (caller: TestCaller, language: string) => harness.app.inject({
        url: paymentAlertPaths.page,
        headers: { ...caller.headers, accept: 'text/html', 'accept-language': language } });
      const english = await page(treasury, 'en');
      assert.match(english.body, /<h1>Payment alerts<\/h1>/);
      assert.match(english.body, /Receipt already recorded for another invoice/);
      assert.match(english.body, /<textarea id="note-/);
      const swahili = await page(treasury, 'sw');
      assert.match(swahili.body, /<html lang="sw">/);
      assert.match(swahili.body, /<h1>Tahadhari za malipo<\/h1>/);
      const audited = await page(auditor, 'en');
      assert.doesNotMatch(audited.body, /<textarea/);
      assert.doesNotMatch(english.body, /254\d{9}|JOHN|DOE/, 'no personal data on the page');
    });
});
