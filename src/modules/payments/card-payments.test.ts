/**
 * Card payments credit exactly once, as a property: for any set of card payments to a few
 * USD invoices (part, exact, over, two payments of one invoice; a reference that names no
 * invoice), delivering each by notification and by status query several times, shuffled, in
 * concurrent bursts, leaves one payment per acquirer payment id, the same invoices and ledger
 * as delivering each once in order, and books that pass `huduma ledger check`.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { testDeps } from '#test/helpers/app.ts';
import { describeOnDatabases, switchTriggersOffInTrx } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture, newPayerId } from '#test/helpers/payments.ts';
import { checkBooks } from './books-check-service.ts';
import {
  closeCardCallback,
  recordCardPayment,
  storeCardCallback,
  type CardPaymentFact,
} from './card-payments.ts';
import { createInvoiceForService, invoiceViewById } from './invoice-service.ts';
import { paymentsDb } from './invoice-repo.ts';

type Spec = Readonly<{ invoice: number; cents: bigint }>;
type Scenario = Readonly<{
  invoices: number;
  payments: readonly Spec[];
  copies: readonly number[];
  order: readonly number[];
  burst: number;
}>;

/** Part, exact, over and split payments of the visa's USD 51.00. */
const cents = fc.constantFrom(1n, 2_000n, 3_100n, 5_100n, 6_000n);
const scenarios: fc.Arbitrary<Scenario> = fc.record({
  invoices: fc.integer({ min: 1, max: 2 }),
  payments: fc.array(fc.record({ invoice: fc.integer({ min: -1, max: 1 }), cents }),
    { minLength: 1, maxLength: 5 }),
  copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 10, maxLength: 10 }),
  order: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
  burst: fc.integer({ min: 1, max: 6 }),
});

const provider = 'demo-acquirer';

describeOnDatabases('card payments credit exactly once (property)', (database, kind) => {
  let deps: ModuleDeps;
  before(async () => {
    await insertPaymentsFixture(database());
    deps = testDeps(database());
  });

  async function realise(scenario: Scenario) {
    const payerId = newPayerId();
    const invoiceIds: string[] = [];
    const references: string[] = [];
    for (let index = 0; index < scenario.invoices; index += 1) {
      const created = await createInvoiceForService(deps, { service: fixtureIds.visa,
        payerAccountId: payerId, now: new Date() });
      assert.ok(created.ok);
      invoiceIds.push(created.value.id);
      references.push(created.value.reference);
    }
    const facts = scenario.payments.map((payment): CardPaymentFact => {
      const target = payment.invoice < 0 ? -1 : payment.invoice % scenario.invoices;
      return { source: 'card_notification', provider,
        paymentId: `cp_${randomBytes(12).toString('hex')}`, merchantId: 'huduma-demo',
        merchantReference: target < 0 ? 'NO SUCH BILL' : references[target] ?? '',
        amount: money(payment.cents, 'USD'), paidAt: new Date() };
    });
    return { payerId, invoiceIds, facts };
  }

  async function deliver(fact: CardPaymentFact) {
    const rawId = await storeCardCallback(deps, { kind: fact.source === 'card_query'
      ? 'card_session_query' : 'card_notification', sourceAddress: '127.0.0.1', headers: {},
    body: JSON.stringify({ paymentId: fact.paymentId }) });
    return recordCardPayment(deps, { rawId, fact });
  }

  async function footprint(realised: Awaited<ReturnType<typeof realise>>) {
    const invoices = [];
    for (const id of realised.invoiceIds) {
      const view = await invoiceViewById(deps, id);
      invoices.push([view?.status, view?.paid.amountMinor, view?.balanceDue.amountMinor]);
    }
    const receipts = realised.facts.map((fact) => `card:${fact.paymentId}`);
    const lines = await sql<{ account: string; currency: string; net: string }>`
      select l.account_code as account, l.currency, sum(case when l.side = 'debit'
        then l.amount_minor else -l.amount_minor end)::text as net
      from ledger_line l join ledger_entry e on e.id = l.entry_id
      where e.reference->>'invoiceId' = any(${realised.invoiceIds}::text[])
         or e.reference->>'providerReceipt' = any(${receipts}::text[])
      group by l.account_code, l.currency
      having sum(case when l.side = 'debit' then l.amount_minor else -l.amount_minor end) <> 0`
      .execute(database().db);
    const named = (account: string) => realised.invoiceIds.reduce(
      (text, id, index) => text.replace(id, `invoice-${index}`),
      account.replace(realised.payerId, 'payer'));
    const ledger = Object.fromEntries(lines.rows
      .map((row) => [`${named(row.account)} ${row.currency}`, row.net])
      .sort(([left], [right]) => String(left).localeCompare(String(right))));
    return { invoices, ledger };
  }

  async function paymentsPerId(facts: readonly CardPaymentFact[]) {
    const rows = await paymentsDb(database().db).selectFrom('payment')
      .select(['provider_reference', 'channel', 'provider'])
      .where('provider_reference', 'in', facts.map((fact) => fact.paymentId)).execute();
    for (const row of rows) assert.deepEqual([row.channel, row.provider], ['card', provider]);
    return rows.length;
  }

  it('credits each acquirer payment once whatever the repeats, order and races', async () => {
    await fc.assert(fc.asyncProperty(scenarios, async (scenario) => {
      const inOrder = await realise(scenario);
      for (const fact of inOrder.facts) await deliver(fact);
      const scrambled = await realise(scenario);
      const all = scrambled.facts.flatMap((fact, index) =>
        Array.from({ length: scenario.copies[index % scenario.copies.length] ?? 1 },
          (_, copy) => ({ ...fact, source: copy % 2 === 0 ? 'card_notification' as const
            : 'card_query' as const })));
      const keyed = all.map((fact, index) => ({ fact, key: scenario.order[index % 30] ?? 0 }));
      keyed.sort((left, right) => left.key - right.key);
      for (let start = 0; start < keyed.length; start += scenario.burst) {
        const burst = keyed.slice(start, start + scenario.burst);
        await Promise.all(burst.map(({ fact }) => deliver(fact)));
      }
      assert.equal(await paymentsPerId(scrambled.facts), scrambled.facts.length);
      assert.deepEqual((await checkBooks(database().db)).findings, []);
      assert.deepEqual(await footprint(scrambled), await footprint(inOrder));
    }), { numRuns: kind === 'pglite' ? 6 : 12 });
  });

  it('posts Dr collection:card:<provider> Cr deposits:invoice in USD, and pays the invoice',
    async () => {
      const realised = await realise({ invoices: 1, payments: [{ invoice: 0, cents: 5_100n }],
        copies: [], order: [], burst: 1 });
      const [fact] = realised.facts;
      assert.ok(fact !== undefined);
      const first = await deliver(fact);
      const again = await deliver({ ...fact, source: 'card_query' });
      assert.equal(first.outcome, 'payment_recorded');
      assert.deepEqual([again.outcome, again.paymentId], ['duplicate', first.paymentId]);
      const view = await invoiceViewById(deps, realised.invoiceIds[0] ?? '');
      assert.equal(view?.status, 'paid');
      const footprintNow = await footprint(realised);
      assert.equal(footprintNow.ledger[`collection:card:${provider} USD`], '5100');
    });

  it('finds, in the books check, a card receipt debiting another collection account',
    async () => {
      const realised = await realise({ invoices: 1, payments: [{ invoice: 0, cents: 2_000n }],
        copies: [], order: [], burst: 1 });
      const [fact] = realised.facts;
      assert.ok(fact !== undefined);
      const recorded = await deliver(fact);
      await database().db.transaction().execute(async (trx) => {
        await switchTriggersOffInTrx(trx);
        await sql`update ledger_line set account_code = 'collection:mpesa:222222'
          where side = 'debit' and entry_id = (select id from ledger_entry
            where reference->>'paymentId' = ${recorded.paymentId})`.execute(trx);
      });
      const findings = (await checkBooks(database().db)).findings
        .filter((finding) => finding.subject.includes(recorded.paymentId));
      assert.deepEqual(findings.map((finding) => [finding.rule, finding.detail]),
        [['PAYMENT_RECEIPT_ENTRY_WRONG',
          'the receipt entry debits another account than the card acquirer\'s collection']]);
      await database().db.transaction().execute(async (trx) => {
        await switchTriggersOffInTrx(trx);
        await sql`update ledger_line set account_code = ${`collection:card:${provider}`}
          where side = 'debit' and entry_id = (select id from ledger_entry
            where reference->>'paymentId' = ${recorded.paymentId})`.execute(trx);
      });
      assert.deepEqual((await checkBooks(database().db)).findings, []);
    });

  it('keeps a refused callback quarantined with an alert, and moves nothing', async () => {
    const rawId = await storeCardCallback(deps, { kind: 'card_notification',
      sourceAddress: null, headers: {}, body: new TextEncoder().encode('{"forged":true}') });
    await closeCardCallback(deps, { rawId, outcome: 'quarantined', reason: 'bad signature' });
    await closeCardCallback(deps, { rawId, outcome: 'stored_only', reason: 'again' });
    const db = paymentsDb(database().db);
    const outcome = await db.selectFrom('payment_callback_outcome').select('outcome')
      .where('raw_id', '=', rawId).executeTakeFirst();
    const alert = await db.selectFrom('payment_alert').select('reason')
      .where('raw_id', '=', rawId).executeTakeFirst();
    const raw = await db.selectFrom('payment_callback_raw').select('body')
      .where('id', '=', rawId).executeTakeFirst();
    assert.deepEqual([outcome?.outcome, alert?.reason, raw?.body],
      ['quarantined', 'bad signature', '{"forged":true}']);
    // Refused without an alert (anyone can send a forged notification): kept, no one paged.
    const quiet = await storeCardCallback(deps, { kind: 'card_notification',
      sourceAddress: null, headers: {}, body: '{}' });
    await closeCardCallback(deps, { rawId: quiet, outcome: 'quarantined', reason: 'unsigned',
      alert: false });
    assert.equal((await db.selectFrom('payment_alert').select('id')
      .where('raw_id', '=', quiet).execute()).length, 0);
    assert.equal((await db.selectFrom('payment_callback_outcome').select('outcome')
      .where('raw_id', '=', quiet).executeTakeFirst())?.outcome, 'quarantined');
  });
});
