import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { accountCodes, type Channel } from './account-codes.ts';
import type { Entry } from './entry-rules.ts';
import {
  balancesByPrefix,
  entriesOfAccount,
  trialBalance,
} from './ledger-report-service.ts';
import {
  balanceOf,
  balanceOfInTrx,
  findEntry,
  postCorrectionInTrx,
  postEntryInTrx,
} from './ledger-service.ts';
import {
  creditUsed,
  invoiceCovered,
  receiptForClosedInvoice,
  receiptMatched,
  receiptUnmatched,
} from './receipt-postings.ts';

const kes = (amountMinor: bigint) => money(amountMinor, 'KES');
const paybill: Channel = { kind: 'mpesa', shortcode: '222222' };
const occurredAt = new Date('2026-11-28T09:00:00Z');
let receiptCounter = 0;
const newReceipt = () => {
  receiptCounter += 1;
  return { channel: paybill, receiptNumber: `SVC${receiptCounter}${uuidv7().slice(0, 6)}` };
};

describeOnDatabases('ledger service', (database) => {
  const db = () => database().db;
  const post = (entry: Entry) =>
    db().transaction().execute((trx) => postEntryInTrx(trx, entry));
  const entryCount = async () => (await sql<{ count: bigint }>`
    select count(*) as count from ledger_entry`.execute(db())).rows[0]?.count;

  it('posts a receipt once, however often it is replayed', async () => {
    const invoiceId = uuidv7();
    const entry = receiptMatched({ receipt: newReceipt(), invoiceId, amount: kes(150_00n),
      occurredAt });
    const first = await post(entry);
    assert.ok(first.ok);
    assert.equal(first.value.alreadyPosted, false);
    const replay = await post({ ...entry, occurredAt: new Date() });
    assert.deepEqual(replay, { ok: true, value: { entryId: first.value.entryId,
      alreadyPosted: true } });
    assert.deepEqual(await balanceOf(db(), accountCodes.invoiceDeposits(invoiceId), 'KES'),
      kes(150_00n));
    const stored = await findEntry(db(), first.value.entryId);
    assert.equal(stored?.code, 'RECEIPT_ALLOCATED_TO_INVOICE');
    assert.deepEqual(stored?.lines, entry.lines);
    assert.deepEqual(stored?.reference, entry.reference);
  });

  it('refuses a key reused for a different entry, and the transaction goes on', async () => {
    const receipt = newReceipt();
    const invoiceId = uuidv7();
    assert.ok((await post(receiptMatched({ receipt, invoiceId, amount: kes(100n),
      occurredAt }))).ok);
    const before = await entryCount();
    const other = uuidv7();
    const [reused, afterwards] = await db().transaction().execute(async (trx) => [
      await postEntryInTrx(trx, receiptUnmatched({ receipt, amount: kes(100n), occurredAt })),
      await postEntryInTrx(trx, receiptMatched({ receipt: newReceipt(), invoiceId: other,
        amount: kes(1n), occurredAt })),
    ]);
    assert.equal(reused.ok ? 'ok' : reused.error.code, 'LEDGER_IDEMPOTENCY_KEY_REUSED');
    assert.ok(afterwards.ok);
    assert.equal(await entryCount(), (before ?? 0n) + 1n);
    assert.deepEqual(await balanceOf(db(), accountCodes.suspense(), 'KES'), kes(0n));
  });

  it('writes nothing for an entry that breaks a rule', async () => {
    const before = await entryCount();
    const result = await post({ ...receiptUnmatched({ receipt: newReceipt(), amount: kes(5n),
      occurredAt }), reference: { payer: '254712345678' } });
    assert.equal(result.ok ? 'ok' : result.error.code, 'LEDGER_REFERENCE_INVALID');
    assert.equal(await entryCount(), before);
  });

  it('refuses a debit that would take a liability below zero', async () => {
    const payerId = uuidv7();
    const invoiceId = uuidv7();
    assert.ok((await post(receiptForClosedInvoice({ receipt: newReceipt(), invoiceId, payerId,
      amount: kes(100_00n), occurredAt }))).ok);
    const use = (amountMinor: bigint) => post(creditUsed({ payerId, invoiceId,
      amount: kes(amountMinor), allocationId: uuidv7(), occurredAt }));
    const tooMuch = await use(100_01n);
    assert.equal(tooMuch.ok ? 'ok' : tooMuch.error.code, 'LEDGER_BALANCE_WOULD_GO_NEGATIVE');
    assert.ok((await use(100_00n)).ok);
    const more = await use(1n);
    assert.equal(more.ok ? 'ok' : more.error.code, 'LEDGER_BALANCE_WOULD_GO_NEGATIVE');
    assert.deepEqual(await balanceOf(db(), accountCodes.payerCredit(payerId), 'KES'), kes(0n));
  });

  it('lets concurrent uses of one credit spend it only once', async () => {
    const payerId = uuidv7();
    const invoiceId = uuidv7();
    assert.ok((await post(receiptForClosedInvoice({ receipt: newReceipt(), invoiceId, payerId,
      amount: kes(100_00n), occurredAt }))).ok);
    const results = await Promise.all(Array.from({ length: 5 }, () => post(creditUsed({
      payerId, invoiceId, amount: kes(40_00n), allocationId: uuidv7(), occurredAt }))));
    const outcomes = results.map((result) => result.ok ? 'posted' : result.error.code).sort();
    assert.deepEqual(outcomes, ['LEDGER_BALANCE_WOULD_GO_NEGATIVE',
      'LEDGER_BALANCE_WOULD_GO_NEGATIVE', 'LEDGER_BALANCE_WOULD_GO_NEGATIVE', 'posted', 'posted']);
    assert.deepEqual(await balanceOf(db(), accountCodes.payerCredit(payerId), 'KES'),
      kes(20_00n));
  });

  it('posts one entry when the same receipt arrives on several connections at once', async () => {
    const entry = receiptMatched({ receipt: newReceipt(), invoiceId: uuidv7(),
      amount: kes(250_00n), occurredAt });
    const results = await Promise.all(Array.from({ length: 6 }, () => post(entry)));
    const ids = new Set(results.map((result) => result.ok ? result.value.entryId : 'failed'));
    assert.equal(ids.size, 1);
    assert.equal(results.filter((result) => result.ok && !result.value.alreadyPosted).length, 1);
  });

  it('corrects an entry once, by a reversing entry that names it', async () => {
    const invoiceId = uuidv7();
    const posted = await post(receiptMatched({ receipt: newReceipt(), invoiceId,
      amount: kes(75_00n), occurredAt }));
    assert.ok(posted.ok);
    const correct = (idempotencyKey: string) => db().transaction().execute((trx) =>
      postCorrectionInTrx(trx, { entryId: posted.value.entryId, idempotencyKey, occurredAt,
        code: 'RECEIPT_REVERSED_BY_PROVIDER' }));
    const correction = await correct(`test:${posted.value.entryId}:reversal`);
    assert.ok(correction.ok);
    assert.equal(correction.value.alreadyPosted, false);
    assert.deepEqual(await balanceOf(db(), accountCodes.invoiceDeposits(invoiceId), 'KES'),
      kes(0n));
    const stored = await findEntry(db(), correction.value.entryId);
    assert.equal(stored?.correctsEntryId, posted.value.entryId);
    assert.equal(stored?.code, 'RECEIPT_REVERSED_BY_PROVIDER');
    const replay = await correct(`test:${posted.value.entryId}:reversal`);
    assert.deepEqual(replay, { ok: true, value: { entryId: correction.value.entryId,
      alreadyPosted: true } });
    const second = await correct(`test:${posted.value.entryId}:another`);
    assert.equal(second.ok ? 'ok' : second.error.code, 'LEDGER_ENTRY_ALREADY_CORRECTED');
  });

  it('refuses to correct an entry that does not exist, or into a negative balance', async () => {
    for (const entryId of [uuidv7(), 'not-a-uuid']) {
      const result = await db().transaction().execute((trx) => postCorrectionInTrx(trx, {
        entryId, idempotencyKey: `test:${uuidv7()}`, occurredAt }));
      assert.equal(result.ok ? 'ok' : result.error.code, 'LEDGER_ENTRY_NOT_FOUND');
    }
    const invoiceId = uuidv7();
    const agencyId = uuidv7();
    const receipt = await post(receiptMatched({ receipt: newReceipt(), invoiceId,
      amount: kes(10_00n), occurredAt }));
    assert.ok(receipt.ok);
    const covered = await db().transaction().execute(async (trx) => {
      const deposits = await balanceOfInTrx(trx, accountCodes.invoiceDeposits(invoiceId), 'KES');
      const entry = invoiceCovered({ invoiceId, deposits, agencyFees: [{ agencyId,
        amount: kes(10_00n) }], accessFee: kes(0n), payerId: undefined, occurredAt });
      assert.ok(entry.ok);
      return postEntryInTrx(trx, entry.value);
    });
    assert.ok(covered.ok);
    // The money was recognised for the agency; reversing the receipt alone would overdraw.
    const reversal = await db().transaction().execute((trx) => postCorrectionInTrx(trx, {
      entryId: receipt.value.entryId, idempotencyKey: `test:${uuidv7()}`, occurredAt }));
    assert.equal(reversal.ok ? 'ok' : reversal.error.code, 'LEDGER_BALANCE_WOULD_GO_NEGATIVE');
  });

  it('keeps KES and USD apart: one code, two accounts', async () => {
    const usd = await post(receiptUnmatched({ receipt: { channel: { kind: 'card',
      provider: 'visa' }, receiptNumber: `CARD${uuidv7().slice(0, 8)}` },
    amount: money(30_00n, 'USD'), occurredAt }));
    assert.ok(usd.ok);
    assert.deepEqual(await balanceOf(db(), accountCodes.suspense(), 'USD'), money(30_00n, 'USD'));
    const paybillUsd = await post(receiptUnmatched({ receipt: newReceipt(),
      amount: money(1n, 'USD'), occurredAt }));
    assert.equal(paybillUsd.ok ? 'ok' : paybillUsd.error.code,
      'LEDGER_ACCOUNT_CURRENCY_NOT_ALLOWED');
  });

  it('lists balances by prefix and an account\'s entries, page by page', async () => {
    const agencies = [uuidv7(), uuidv7(), uuidv7()].sort();
    const invoiceId = uuidv7();
    for (const [index, agencyId] of agencies.entries()) {
      // Entry ids order entries to the millisecond; apart, the order below is certain.
      await new Promise((resolve) => setTimeout(resolve, 2));
      const receipt = await post(receiptMatched({ receipt: newReceipt(), invoiceId,
        amount: kes(BigInt(index + 1)), occurredAt }));
      assert.ok(receipt.ok);
      await db().transaction().execute(async (trx) => {
        const result = await postEntryInTrx(trx, { code: 'TEST_FEE_EARNED',
          idempotencyKey: `test:${agencyId}`, occurredAt, reference: {}, lines: [
            { accountCode: accountCodes.invoiceDeposits(invoiceId), side: 'debit',
              amount: kes(BigInt(index + 1)) },
            { accountCode: accountCodes.agencyPayable(agencyId), side: 'credit',
              amount: kes(BigInt(index + 1)) }] });
        assert.ok(result.ok);
      });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const prefix = 'payable:agency:';
    const first = await balancesByPrefix(db(), prefix, { limit: 2 });
    assert.ok(first.ok);
    const mine = <T extends { accountCode: string }>(items: readonly T[]) =>
      items.filter((item) => agencies.some((agencyId) => item.accountCode.endsWith(agencyId)));
    const all = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 50; pages += 1) {
      const page = await balancesByPrefix(db(), prefix, { limit: 2,
        ...(cursor === undefined ? {} : { cursor }) });
      assert.ok(page.ok);
      all.push(...page.value.items);
      cursor = page.value.nextCursor;
      if (cursor === undefined) break;
    }
    assert.deepEqual(mine(all).map((item) => item.balance.amountMinor), [1n, 2n, 3n]);
    const bad = await balancesByPrefix(db(), prefix, { cursor: 'KES:cash' });
    assert.equal(bad.ok ? 'ok' : bad.error.code, 'LEDGER_PAGE_CURSOR_INVALID');

    const deposits = accountCodes.invoiceDeposits(invoiceId);
    const newest = await entriesOfAccount(db(), deposits, 'KES', { limit: 4 });
    assert.ok(newest.ok);
    assert.deepEqual(newest.value.items.map((item) => `${item.side} ${item.amount.amountMinor}`),
      ['debit 3', 'credit 3', 'debit 2', 'credit 2']);
    const rest = await entriesOfAccount(db(), deposits, 'KES',
      { limit: 4, cursor: newest.value.nextCursor ?? '' });
    assert.ok(rest.ok);
    assert.deepEqual(rest.value.items.map((item) => item.code),
      ['TEST_FEE_EARNED', 'RECEIPT_ALLOCATED_TO_INVOICE']);
    assert.equal(rest.value.nextCursor, undefined);
    const forged = await entriesOfAccount(db(), deposits, 'KES', { cursor: 'not-an-entry-id' });
    assert.equal(forged.ok ? 'ok' : forged.error.code, 'LEDGER_PAGE_CURSOR_INVALID');
  });

  it('sums to zero in the trial balance, per currency', async () => {
    const balance = await trialBalance(db());
    assert.equal(balance.balanced, true);
    const shillings = balance.currencies.find((currency) => currency.currency === 'KES');
    assert.ok(shillings !== undefined && shillings.debits.amountMinor > 0n);
    assert.deepEqual(shillings.debits, shillings.credits);
    const byKind = new Map(shillings.kinds.map((kind) => [kind.kind, kind]));
    assert.equal(byKind.get('collection:mpesa')?.normalSide, 'debit');
    const assets = shillings.kinds.filter((kind) => kind.normalSide === 'debit')
      .reduce((total, kind) => total + kind.balance.amountMinor, 0n);
    const liabilities = shillings.kinds.filter((kind) => kind.normalSide === 'credit')
      .reduce((total, kind) => total + kind.balance.amountMinor, 0n);
    assert.equal(assets, liabilities);
  });

  it('asks for the caller\'s transaction in every InTrx function', async () => {
    await assert.rejects(postEntryInTrx(db() as never, receiptUnmatched({
      receipt: newReceipt(), amount: kes(1n), occurredAt })), /caller's transaction/);
  });
});
