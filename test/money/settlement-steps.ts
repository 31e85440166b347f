/**
 * Settlement steps of a generated money history: a finance officer prepares a batch of every
 * agency payable and access fee not yet batched, two others approve (the preparer cannot, nor
 * the same person twice), which releases it to the bank (payable -> settlement clearing); the
 * bank's confirmation marks it settled (clearing -> Treasury bank) now or in a later step.
 */
import assert from 'node:assert/strict';
import {
  approveBatch,
  listLines,
  prepareBatch,
  recordBatchSettled,
  returnLine,
  settlementDb,
  upsertProfileInTrx,
} from '#modules/settlement/index.ts';
import { modelTotals } from '#test/helpers/money-history.ts';
import { fixtureIds } from '#test/helpers/payments.ts';
import { codeOf, type World } from './world.ts';

/** Bank details for the fixture agency and for Treasury's access fees, T+1. */
export async function insertSettlementProfiles(world: World): Promise<void> {
  await world.harness.deps.db.transaction().execute(async (trx) => {
    for (const payee of [fixtureIds.agency, 'treasury']) {
      await upsertProfileInTrx(settlementDb(trx), { payee, bank_name: 'Central Bank',
        bank_code: '09', branch: 'Nairobi', account_number: '1000200030',
        account_name: payee === 'treasury' ? 'Exchequer' : 'Immigration',
        schedule_days: 1, sla_days: 2, updated_at: new Date() });
    }
  });
}

/** Batches released to the bank and not yet confirmed, with their amounts. */
const awaitingBank = new WeakMap<World, Map<string, bigint>>();
let bankReferenceNumber = 0;

async function confirmByBank(world: World, batchId: string, amountMinor: bigint):
  Promise<void> {
  bankReferenceNumber += 1;
  const settled = await recordBatchSettled(world.harness.deps, { batchId,
    bankReference: `FT${String(bankReferenceNumber).padStart(8, '0')}`, actor: world.maker,
    now: new Date() });
  assert.ok(settled.ok, `the batch is settled: ${codeOf(settled as never)}`);
  world.model.settledMinor += amountMinor;
  awaitingBank.get(world)?.delete(batchId);
}

/** The bank pays the batch now, later (a later step confirms it), or returns one line. */
export type BankAnswer = 'paid' | 'later' | 'one-returned';

/**
 * The bank returns one line of a released batch (clearing -> back to the payee, so the next
 * batch takes it again), then confirms the rest.
 */
async function returnOneLine(world: World, batchId: string, amountMinor: bigint):
  Promise<void> {
  const deps = world.harness.deps;
  const [line] = await listLines(settlementDb(deps.db), batchId);
  assert.ok(line !== undefined);
  const returned = await returnLine(deps, { lineId: line.id, reason: 'account closed',
    actor: world.maker, now: new Date() });
  assert.ok(returned.ok, `the line is returned: ${codeOf(returned as never)}`);
  world.model.releasedMinor -= line.amount_minor;
  if (line.payee === 'treasury') world.model.releasedAccessMinor -= line.amount_minor;
  await confirmByBank(world, batchId, amountMinor - line.amount_minor);
}

export async function settle(world: World, step: Readonly<{ bank: BankAnswer }>):
  Promise<void> {
  const waiting = awaitingBank.get(world) ?? new Map<string, bigint>();
  awaitingBank.set(world, waiting);
  for (const [batchId, amountMinor] of [...waiting]) {
    await confirmByBank(world, batchId, amountMinor);
  }
  const totals = modelTotals(world.model);
  const due = totals.payableAndFees;
  const deps = world.harness.deps;
  const prepared = await prepareBatch(deps, { currency: 'KES', cutoff: new Date(),
    actor: world.preparer, now: new Date() });
  assert.deepEqual(prepared.problems, []);
  if (due === 0n) {
    assert.equal(prepared.batch, undefined, 'nothing to settle, no batch');
    return;
  }
  const batch = prepared.batch;
  assert.ok(batch !== undefined, 'a batch of what the agencies are owed');
  const lines = await listLines(settlementDb(deps.db), batch.id);
  assert.equal(lines.reduce((total, line) => total + line.amount_minor, 0n), due,
    'the batch takes every payable and access fee not yet settled, once');
  const toTreasury = lines.filter((line) => line.payee === 'treasury')
    .reduce((total, line) => total + line.amount_minor, 0n);
  assert.equal(toTreasury, totals.accessUnreleased, 'Treasury gets the access fees');
  const approve = (actor: World['maker']) => approveBatch(deps, { batchId: batch.id, actor,
    now: new Date() });
  assert.equal(codeOf(await approve(world.preparer) as never),
    'SETTLEMENT_PREPARER_CANNOT_APPROVE');
  assert.ok((await approve(world.maker)).ok);
  assert.equal(codeOf(await approve(world.maker) as never), 'SETTLEMENT_ALREADY_APPROVED_BY_YOU');
  const released = await approve(world.checker);
  assert.ok(released.ok && released.value.state === 'released');
  world.model.releasedMinor += due;
  world.model.releasedAccessMinor += toTreasury;
  waiting.set(batch.id, due);
  if (step.bank === 'paid') await confirmByBank(world, batch.id, due);
  if (step.bank === 'one-returned') await returnOneLine(world, batch.id, due);
}
