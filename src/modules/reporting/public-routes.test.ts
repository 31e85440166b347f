/**
 * The public transparency pages and open data on a seeded history (both databases), without
 * signing in: revenue per agency per day and per month (page, CSV, JSON) to the cent, one
 * agency's revenue, services on-boarded, the scorecard, settlement lag; the period and id
 * guards; caching; the OpenAPI document; and no personal data anywhere: a payment made through
 * M-Pesa with a payer's phone and name is counted, and neither appears on any page or file.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import {
  invoiceCovered,
  postEntryInTrx,
  receiptMatched,
  type Entry,
} from '#modules/ledger/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import {
  insertPaymentsFixture,
  kenyaTransTime,
  startPaymentsHarness,
  testCallbackToken,
  type PaymentsHarness,
} from '#test/helpers/payments.ts';
import {
  createReportingAgency,
  insertTestInvoice,
  type ReportingAgency,
} from '#test/helpers/reporting.ts';
import { signInAs } from '#test/helpers/sessions.ts';
import { createInvoiceForService } from '#modules/payments/index.ts';
import { transparencyPaths } from './public-views.ts';

const november = { from: '2026-11-01', to: '2026-11-30' };
const mpesa = { kind: 'mpesa', shortcode: '222222' } as const;
/** The payer's details the C2B confirmation carries: none may reach a public page. */
const personalData = [/254712345678/, /712345678/, /0712\s?345\s?678/, /wanjiku/i, /kamau/i,
  /njeri/i];

describeOnDatabases('public transparency pages and open data', (database) => {
  let harness: PaymentsHarness;
  let first: ReportingAgency;
  let second: ReportingAgency;

  const get = (url: string, headers: Record<string, string> = {}) =>
    harness.app.inject({ url, headers: { accept: 'text/html', ...headers } });
  const post = async (entry: Entry) => {
    const posted = await database().db.transaction().execute((trx) => postEntryInTrx(trx, entry));
    assert.ok(posted.ok, JSON.stringify(posted));
  };
  /** A bill of the agency's first service paid in full on `at`: revenue = its service fee. */
  const paid = async (agency: ReportingAgency, feeMinor: bigint, at: string, n: number) => {
    const invoiceId = await insertTestInvoice(database(), { agencyId: agency.agencyId,
      serviceId: agency.serviceIds[0] ?? '', feeVersionId: agency.feeVersionIds[0] ?? '',
      serviceFeeMinor: feeMinor, accessFeeMinor: 5_000n, issuedAt: new Date(at) });
    const total = money(feeMinor + 5_000n, 'KES');
    await post(receiptMatched({ invoiceId, receipt: { channel: mpesa,
      receiptNumber: `OPEN${n}` }, amount: total, occurredAt: new Date(at) }));
    const covered = invoiceCovered({ invoiceId, deposits: total, payerId: undefined,
      agencyFees: [{ agencyId: agency.agencyId, amount: money(feeMinor, 'KES') }],
      accessFee: money(5_000n, 'KES'), occurredAt: new Date(at) });
    assert.ok(covered.ok);
    await post(covered.value);
  };

  before(async () => {
    await insertPaymentsFixture(database());
    harness = await startPaymentsHarness(database());
    first = await createReportingAgency(database(), 'Open Data Agency One');
    second = await createReportingAgency(database(), 'Open Data Agency Two');
    await paid(first, 100_000n, '2026-10-05T09:00:00Z', 1);
    await paid(first, 100_000n, '2026-11-10T06:00:00Z', 2);
    // 21:30 UTC on the 10th is 00:30 on the 11th in Kenya.
    await paid(second, 25_000n, '2026-11-10T21:30:00Z', 3);
    // A payer pays a real bill by M-Pesa, the confirmation carrying their phone and name.
    const bill = await createInvoiceForService(harness.deps, { service: 'fixture-permit',
      payerAccountId: '00000000-0000-7000-8000-00000000e001', now: new Date() });
    assert.ok(bill.ok);
    const confirmed = await fetch(
      `${harness.url}/api/v1/payments/callbacks/${testCallbackToken}/c2b/confirmation`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ TransactionType: 'Pay Bill', TransID: 'TPD1A2B3C4',
          TransTime: kenyaTransTime(), TransAmount: '260.00', BusinessShortCode: '222222',
          BillRefNumber: bill.value.reference, InvoiceNumber: '', OrgAccountBalance: '',
          ThirdPartyTransID: '', MSISDN: '254712345678', FirstName: 'WANJIKU',
          MiddleName: 'NJERI', LastName: 'KAMAU' }) });
    assert.equal(confirmed.status, 200);
  });
  after(async () => harness.close());

  it('shows revenue per day, per agency, with a chart beside its table, to the cent',
    async () => {
      const page = await get(transparencyPaths.revenueFor({ period: november, view: 'day' }));
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<svg[^>]+role="img"[^>]+aria-labelledby="chart-revenue-KES-title/);
      assert.match(page.body, /<th scope="row">2026-11-10<\/th><td>KES<\/td><td class="num">KES\s1,000\.00/);
      assert.match(page.body, /<th scope="row">2026-11-11<\/th><td>KES<\/td><td class="num">KES\s250\.00/);
      assert.match(page.body, /Open Data Agency One<\/a><\/th><td>KES<\/td><td class="num">KES\s1,000\.00/);
      assert.match(page.body, /Open Data Agency Two<\/a><\/th><td>KES<\/td><td class="num">KES\s250\.00/);
      assert.doesNotMatch(page.body, /2026-10-05/);
      assert.match(page.body, /rel="license">CC BY 4.0<\/a>/);
      assert.equal(page.headers['cache-control'], 'public, max-age=300');
    });

  it('shows revenue per month, and one agency\'s revenue', async () => {
    const months = await get(transparencyPaths.revenueFor({
      period: { from: '2026-10-01', to: '2026-11-30' }, view: 'month' }));
    assert.match(months.body, /<th scope="row">2026-10<\/th><td>KES<\/td><td class="num">KES\s1,000\.00/);
    assert.match(months.body, /<th scope="row">2026-11<\/th><td>KES<\/td><td class="num">KES\s1,250\.00/);
    const one = await get(transparencyPaths.revenueFor({ period: november, view: 'day',
      agencyId: second.agencyId }));
    assert.equal(one.statusCode, 200);
    assert.match(one.body, /<strong>Open Data Agency Two<\/strong>/);
    assert.match(one.body, /<th scope="row">2026-11-11<\/th>/);
    assert.doesNotMatch(one.body, /<th scope="row">2026-11-10<\/th>/);
    const unknown = await get(
      `${transparencyPaths.revenue}?agency=0193a000-0000-7000-8000-000000000abc`);
    assert.equal(unknown.statusCode, 404);
    assert.equal((await get(`${transparencyPaths.revenue}?agency=junk`)).statusCode, 404);
    const wrong = await get(`${transparencyPaths.revenue}?from=2026-02-30&to=2026-03-01`);
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /The period must be two dates/);
    // PostgreSQL has no year 0: a refusal, not a database error.
    assert.equal((await get(`${transparencyPaths.revenue}?from=0000-01-01&to=0000-01-02`))
      .statusCode, 400);
    assert.equal((await get(`${transparencyPaths.data('revenue', 'csv')}?from=0000-01-01`,
      { accept: 'application/json' })).statusCode, 400);
  });

  it('gives revenue as CSV and JSON, per day and per month, with stable columns', async () => {
    const csv = await get(transparencyPaths.data('revenue', 'csv', november));
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] ?? '', /^text\/csv/);
    assert.equal(csv.headers['content-disposition'],
      'attachment; filename="revenue-2026-11-01-2026-11-30.csv"');
    assert.equal(csv.body, [
      '"day","agency_id","agency_name","currency","amount","amount_minor"',
      `"2026-11-10","${first.agencyId}","Open Data Agency One","KES","1000.00","100000"`,
      `"2026-11-11","${second.agencyId}","Open Data Agency Two","KES","250.00","25000"`,
      ''].join('\r\n'));
    const json = await get(transparencyPaths.data('revenue-monthly', 'json',
      { from: '2026-10-01', to: '2026-11-30' }));
    assert.equal(json.statusCode, 200);
    const body = json.json() as { dataset: string; period: unknown; items: unknown[] };
    assert.equal(body.dataset, 'revenue-monthly');
    assert.deepEqual(body.period, { from: '2026-10-01', to: '2026-11-30' });
    assert.deepEqual(body.items, [
      { month: '2026-10', agency_id: first.agencyId, agency_name: 'Open Data Agency One',
        currency: 'KES', amount: '1000.00', amount_minor: '100000' },
      { month: '2026-11', agency_id: first.agencyId, agency_name: 'Open Data Agency One',
        currency: 'KES', amount: '1000.00', amount_minor: '100000' },
      { month: '2026-11', agency_id: second.agencyId, agency_name: 'Open Data Agency Two',
        currency: 'KES', amount: '250.00', amount_minor: '25000' },
    ]);
    const refused = await get(`${transparencyPaths.data('revenue', 'json')}` +
      '?from=2025-01-01&to=2026-11-30', { accept: 'application/json' });
    assert.equal(refused.statusCode, 400);
    assert.equal((refused.json() as { code: string }).code, 'REPORTING_PERIOD_INVALID');
  });

  it('shows services on-boarded and the scorecard per agency, with their files', async () => {
    const services = await get(transparencyPaths.services);
    assert.equal(services.statusCode, 200);
    assert.match(services.body, /Open Data Agency One<\/th><td class="num">1 of 2<\/td><td class="num">1<\/td>/);
    assert.match(services.body, /rel="license">CC BY 4.0<\/a>/);
    const servicesCsv = await get(transparencyPaths.data('services', 'csv'));
    assert.match(servicesCsv.body, /^"agency_id","agency_name","live","in_progress","not_started","exempt","sandbox","total"\r\n/);
    assert.ok(servicesCsv.body.includes(
      `"${first.agencyId}","Open Data Agency One","1","1","0","0","0","2"`));
    const servicesJson = (await get(transparencyPaths.data('services', 'json'))).json() as {
      source: { licence: string } };
    assert.equal(servicesJson.source.licence, 'CC BY 4.0');
    const scorecard = await get(transparencyPaths.scorecard);
    assert.equal(scorecard.statusCode, 200);
    assert.match(scorecard.body, /Open Data Agency One<\/th><td class="num">\d+<\/td><td class="num">50% \(1 of 2\)/);
    const scorecardJson = (await get(transparencyPaths.data('scorecard', 'json'))).json() as {
      items: { agency_id: string; services_live: number; onboarded_percent: number }[] };
    const row = scorecardJson.items.find((item) => item.agency_id === first.agencyId);
    assert.equal(row?.services_live, 1);
    assert.equal(row?.onboarded_percent, 50);
    const lag = await get(transparencyPaths.settlement);
    assert.equal(lag.statusCode, 200);
    const lagCsv = await get(transparencyPaths.data('settlement-lag', 'csv'));
    assert.match(lagCsv.body, /^"agency_id","agency_name","settled_entries","median_hours","max_hours","oldest_unsettled_at","sla_days","within_sla"\r\n/);
    assert.equal((await get(`${transparencyPaths.services}?page=0`)).statusCode, 400);
  });

  it('needs no sign-in, speaks Swahili, and keeps a signed-in visitor\'s copy private',
    async () => {
      for (const url of [transparencyPaths.revenue, transparencyPaths.settlement,
        transparencyPaths.services, transparencyPaths.scorecard]) {
        const page = await get(url, { 'accept-language': 'sw' });
        assert.equal(page.statusCode, 200, url);
        assert.match(page.body, /<html lang="sw">/);
        assert.match(page.body, /Data huria:/);
      }
      const citizen = await signInAs(database(), 'account-holder');
      const theirs = await get(transparencyPaths.revenue, citizen.headers);
      assert.equal(theirs.headers['cache-control'], 'private, no-cache');
      const spec = (await harness.app.inject('/docs/openapi.json')).json() as {
        paths: Record<string, unknown> };
      for (const dataset of ['revenue', 'revenue-monthly', 'settlement-lag', 'services',
        'scorecard']) {
        assert.ok(`/transparency/data/${dataset}.json` in spec.paths, dataset);
      }
    });

  it('shows no personal data on any page or in any file, though the payment is counted',
    async () => {
      const today = await get(transparencyPaths.revenue);
      assert.match(today.body, /Immigration<\/a><\/th><td>KES<\/td><td class="num">KES\s250\.00/,
        'the M-Pesa payment is counted (its service fee)');
      const urls = [transparencyPaths.revenue, `${transparencyPaths.revenue}?view=month`,
        transparencyPaths.settlement, transparencyPaths.services, transparencyPaths.scorecard,
        ...(['revenue', 'revenue-monthly', 'settlement-lag', 'services', 'scorecard'] as const)
          .flatMap((dataset) => [transparencyPaths.data(dataset, 'csv'),
            transparencyPaths.data(dataset, 'json')])];
      for (const url of urls) {
        const response = await get(url);
        assert.equal(response.statusCode, 200, url);
        for (const pattern of personalData) assert.doesNotMatch(response.body, pattern, url);
      }
    });
});
