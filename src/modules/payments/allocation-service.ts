/**
 * Applying money to an invoice, in the caller's transaction: the allocation row, the coverage
 * posting when the invoice becomes fully paid (agency payable, access-fee revenue, any excess
 * to the payer's credit). No outbox event: no module consumes one yet (docs/decisions/0005).
 * The caller has locked the invoice row and posted the entry that brought the money in.
 */
import assert from 'node:assert/strict';
import type { Transaction } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import { invoiceCovered, postEntryInTrx, type Entry } from '#modules/ledger/index.ts';
import {
  insertAllocationInTrx,
  paymentsDb,
  type LockedInvoice,
  type NewAllocation,
} from './invoice-repo.ts';
import type { AllocationSource } from './payments-tables.ts';

/** Posts an entry the payment path built itself; a refusal here is a bug, not an input error. */
async function postOrFailInTrx<DB>(trx: Transaction<DB>, entry: Entry): Promise<void> {
  const posted = await postEntryInTrx(trx, entry);
  assert.ok(posted.ok, `ledger refused ${entry.code}: ${posted.ok ? '' : posted.error.code} ` +
    `${posted.ok ? '' : posted.error.detail ?? ''}`);
}

export type AllocationInput = Readonly<{
  invoice: LockedInvoice;
  /** Allocated to the invoice before this allocation. */
  allocatedBeforeMinor: bigint;
  amount: Money;
  source: AllocationSource;
  paymentId: string | null;
  /** Whether the money was brought into deposits:invoice (false for a paid invoice's extra). */
  depositsReceived: boolean;
  occurredAt: Date;
  now: Date;
}>;

export type AllocationOutcome = Readonly<{
  allocationId: string;
  coveredNow: boolean;
  excess: Money;
}>;

/** An allocation decided, not yet written: its row, and what it did. */
export type AllocationPlan = Readonly<{
  allocation: NewAllocation;
  coveredNow: boolean;
  /** Paid beyond the total by this allocation (credited to the payer with the coverage). */
  excess: Money;
  /** Allocated to the invoice after this allocation. */
  afterMinor: bigint;
}>;

/** What an allocation will write (pure apart from its new id). */
export function planAllocation(input: AllocationInput): AllocationPlan {
  const { invoice } = input;
  const allocationId = uuidv7(input.now.getTime());
  const totalMinor = invoice.total.amountMinor;
  const afterMinor = input.allocatedBeforeMinor + input.amount.amountMinor;
  const coveredNow = input.depositsReceived && input.allocatedBeforeMinor < totalMinor &&
    afterMinor >= totalMinor;
  return {
    allocation: {
      id: allocationId, invoiceId: invoice.id, source: input.source, paymentId: input.paymentId,
      amount: input.amount, allocatedAt: input.now,
    },
    coveredNow,
    excess: money(coveredNow ? afterMinor - totalMinor : 0n, invoice.currency),
    afterMinor,
  };
}

/** The coverage entry a planned allocation calls for (undefined when it calls for none). */
export function plannedCoverageEntry(input: AllocationInput, plan: AllocationPlan):
  Entry | undefined {
  return plan.coveredNow
    ? coverageEntry(input.invoice, plan.afterMinor, input.occurredAt) : undefined;
}

/** Posts the coverage entry a planned allocation calls for (nothing when it does not). */
async function postPlannedCoverageInTrx<DB>(
  trx: Transaction<DB>,
  input: AllocationInput,
  plan: AllocationPlan,
): Promise<void> {
  const entry = plannedCoverageEntry(input, plan);
  if (entry !== undefined) await postOrFailInTrx(trx, entry);
}

/** Records the allocation and posts the coverage entry when due. */
export async function allocateInTrx<DB>(
  trx: Transaction<DB>,
  input: AllocationInput,
): Promise<AllocationOutcome> {
  const plan = planAllocation(input);
  await insertAllocationInTrx(paymentsDb(trx), plan.allocation);
  await postPlannedCoverageInTrx(trx, input, plan);
  return { allocationId: plan.allocation.id, coveredNow: plan.coveredNow, excess: plan.excess };
}

/**
 * The invoice is fully covered: move its deposits to the agency's payable (service fee and
 * penalty lines) and to access-fee revenue, any excess to the payer's credit. Once per invoice
 * (the ledger's key `invoice:<id>:covered`). Until an invoice is covered every allocation to it
 * went into its deposits, so they hold exactly what is allocated; the ledger checks the
 * balance again before it lets the deposits be debited.
 */
function coverageEntry(invoice: LockedInvoice, depositsMinor: bigint, occurredAt: Date): Entry {
  assert.equal(invoice.agencyMinor + invoice.accessFeeMinor, invoice.total.amountMinor,
    'invoice lines and total differ');
  const entry = invoiceCovered({
    invoiceId: invoice.id,
    deposits: money(depositsMinor, invoice.currency),
    agencyFees: [
      { agencyId: invoice.agencyId, amount: money(invoice.agencyMinor, invoice.currency) }],
    accessFee: money(invoice.accessFeeMinor, invoice.currency),
    payerId: invoice.payerAccountId,
    occurredAt,
  });
  assert.ok(entry.ok, `invoice ${invoice.id} is not covered: ${entry.ok ? '' : entry.error.code}`);
  return entry.value;
}
