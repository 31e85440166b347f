/**
 * The bills page groups bills in SQL (to page and count them in the database); the group must
 * be the one deriveInvoiceStatus gives, for any mix of totals, allocations (before and after
 * `now`), cancellations and expiries. A property over random bills, on both engines; and the
 * payer's cancel rule as a table.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { uuidv7 } from '#platform/ids/index.ts';
import { money } from '#platform/money/index.ts';
import { describeOnDatabases } from '#test/helpers/databases.ts';
import { fixtureIds, insertPaymentsFixture } from '#test/helpers/payments.ts';
import { generateBillReference } from '../bill-reference.ts';
import { deriveInvoiceStatus, invoiceStatuses, type InvoiceStatus } from '../invoice-status.ts';
import { billGroups, type BillGroup } from './account-money-paths.ts';
import { countPayerBills, listPayerBills } from './account-money-repo.ts';
import { isInvoiceCancellableByPayer, payerCancelRefusal } from './bill-cancel-policy.ts';

const groupOf: Readonly<Record<InvoiceStatus, BillGroup>> = {
  unpaid: 'open', partially_paid: 'open', paid: 'paid', overpaid: 'paid', cancelled: 'cancelled',
  expired: 'expired', withdrawn: 'cancelled',
};
const now = new Date('2026-12-03T12:00:00Z');
const hour = 3_600_000;

const billArbitrary = fc.record({
  totalMinor: fc.bigInt({ min: 1n, max: 10_000n }),
  /** Allocation amounts and their time relative to now, in hours (may be after now). */
  allocations: fc.array(fc.record({ amountMinor: fc.bigInt({ min: 1n, max: 10_000n }),
    atHours: fc.integer({ min: -48, max: 48 }) }), { maxLength: 3 }),
  cancelledAtHours: fc.option(fc.integer({ min: -48, max: 48 }), { nil: undefined }),
  expiresAtHours: fc.integer({ min: -24, max: 48 }),
});

describeOnDatabases('bill groups', (database) => {
  before(async () => insertPaymentsFixture(database()));

  it('puts every bill in the group of its derived status, and counts them so', async () => {
    await fc.assert(fc.asyncProperty(fc.array(billArbitrary, { minLength: 1, maxLength: 6 }),
      async (bills) => {
        const payer = uuidv7();
        const expected = new Map<string, BillGroup>();
        for (const bill of bills) {
          const id = uuidv7();
          const issuedAt = new Date(now.getTime() - 72 * hour);
          const expiresAt = new Date(now.getTime() + bill.expiresAtHours * hour);
          const cancelledAt = bill.cancelledAtHours === undefined ? null
            : new Date(now.getTime() + bill.cancelledAtHours * hour);
          const reference = generateBillReference(randomBytes);
          await sql`insert into invoice (id, reference, service_id, agency_id, payer_account_id,
              currency, total_minor, issued_at, expires_at, cancelled_at, cancelled_by)
            values (${id}, ${reference}, ${fixtureIds.passport}, ${fixtureIds.agency}, ${payer},
              'KES', ${bill.totalMinor}, ${issuedAt}, ${expiresAt}, ${cancelledAt},
              ${cancelledAt === null ? null : 'test'})`.execute(database().db);
          for (const allocation of bill.allocations) {
            await sql`insert into payment_allocation (id, invoice_id, source, payment_id,
                amount_minor, currency, allocated_at)
              values (${uuidv7()}, ${id}, 'payer_credit', null, ${allocation.amountMinor}, 'KES',
                ${new Date(now.getTime() + allocation.atHours * hour)})`.execute(database().db);
          }
          const status = deriveInvoiceStatus({ total: money(bill.totalMinor, 'KES'), expiresAt,
            cancelledAt }, bill.allocations.map((allocation) => ({
            amount: money(allocation.amountMinor, 'KES'),
            allocatedAt: new Date(now.getTime() + allocation.atHours * hour) })), now);
          expected.set(reference, groupOf[status]);
        }
        const counts = await countPayerBills(database().db, payer, now);
        for (const group of billGroups) {
          const listed = await listPayerBills(database().db,
            { payerAccountId: payer, group, now, page: 1, pageSize: 20 });
          const wanted = [...expected].filter(([, g]) => g === group).map(([r]) => r).sort();
          assert.deepEqual(listed.map((bill) => bill.reference).sort(), wanted, group);
          assert.equal(counts[group], wanted.length, `${group} count`);
        }
      }), { numRuns: 20 });
  });
});

describe('the payer\'s cancel rule', () => {
  it('allows only an unpaid bill for a fee on its own', () => {
    const table: readonly (readonly [InvoiceStatus, string | null, string | undefined])[] = [
      ['unpaid', null, undefined],
      ['unpaid', `application:${uuidv7()}`, 'belongs_to_subject'],
      ['partially_paid', null, 'paid'],
      ['paid', null, 'paid'],
      ['overpaid', null, 'paid'],
      ['cancelled', null, 'closed'],
      ['expired', null, 'closed'],
      ['withdrawn', null, 'closed'],
    ];
    assert.deepEqual([...new Set(table.map(([status]) => status))].sort(),
      [...invoiceStatuses].sort(), 'every status is in the table');
    for (const [status, subject, refusal] of table) {
      assert.equal(payerCancelRefusal({ status, subject }), refusal, `${status} ${subject}`);
      assert.equal(isInvoiceCancellableByPayer({ status, subject }), refusal === undefined);
    }
  });
});
