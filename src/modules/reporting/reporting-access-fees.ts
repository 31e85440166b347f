/**
 * The access-fee proof: for every invoice issued in the period (Kenya days), the access fee it
 * charged against the gazetted tier for its service-fee amount on its issue date, as the
 * catalogue's rules compute it (accessFeeFor). Invoices are grouped by (currency, service fee,
 * issue day, fee charged), so the rules run once per distinct case, not once per invoice; the
 * mismatched invoices are then listed (up to mismatchesMax).
 */
import { sql } from 'kysely';
import { accessFeeFor } from '#modules/catalogue/index.ts';
import type { Database } from '#platform/db/index.ts';
import { money, type Currency } from '#platform/money/index.ts';
import type { AgencyFilter, Period } from './reporting-read.ts';

export const mismatchesMax = 200;

export type AccessFeeTotals = Readonly<{ currency: Currency; invoices: number; matched: number;
  mismatched: number; chargedMinor: bigint; expectedMinor: bigint }>;

export type AccessFeeMismatch = Readonly<{ invoiceId: string; reference: string;
  agencyId: string; serviceId: string; issuedDay: string; currency: Currency;
  serviceFeeMinor: bigint; chargedMinor: bigint; expectedMinor: bigint | null }>;

/** Invoices alike in currency, service fee, issue day and fee charged: one line of the CSV. */
export type AccessFeeCase = Readonly<{ currency: Currency; issuedDay: string;
  serviceFeeMinor: bigint; chargedMinor: bigint; expectedMinor: bigint | null;
  invoices: number; matches: boolean }>;

export type AccessFeeProof = Readonly<{ period: Period; totals: readonly AccessFeeTotals[];
  cases: readonly AccessFeeCase[]; mismatches: readonly AccessFeeMismatch[];
  mismatchesListed: boolean }>;

type Case = { currency: Currency; service_fee_minor: bigint; day: string;
  charged_minor: bigint; invoices: number };

function invoiceFees(period: Period, agency: AgencyFilter) {
  const scope = agency === 'all' ? sql`true` : sql`i.agency_id = ${agency}::uuid`;
  return sql`(select i.id, i.reference, i.agency_id, i.service_id, i.currency,
      to_char(reporting_kenya_day(i.issued_at), 'YYYY-MM-DD') as day,
      coalesce(sum(l.amount_minor) filter (where l.kind = 'service_fee'), 0)::int8
        as service_fee_minor,
      coalesce(sum(l.amount_minor) filter (where l.kind = 'access_fee'), 0)::int8
        as charged_minor
    from invoice i join invoice_line l on l.invoice_id = i.id
    where reporting_kenya_day(i.issued_at) between ${period.from}::date and ${period.to}::date
      and ${scope}
    group by i.id)`;
}

/** The expected fee per case (null: no gazetted tier prices it). */
async function expectedFees(db: Database, cases: readonly Case[]):
  Promise<Map<string, bigint | null>> {
  const expected = new Map<string, bigint | null>();
  for (const item of cases) {
    const key = `${item.currency}|${item.service_fee_minor}|${item.day}`;
    if (expected.has(key)) continue;
    const fee = await accessFeeFor({ db }, money(BigInt(item.service_fee_minor), item.currency),
      new Date(`${item.day}T12:00:00+03:00`));
    expected.set(key, fee.ok ? fee.value.amountMinor : null);
  }
  return expected;
}

export async function proveAccessFees(db: Database, period: Period, agency: AgencyFilter):
  Promise<AccessFeeProof> {
  const cases = (await sql<Case>`
    select currency, service_fee_minor, day, charged_minor, count(*)::int4 as invoices
    from ${invoiceFees(period, agency)} f
    group by currency, service_fee_minor, day, charged_minor
    order by currency, day, service_fee_minor`.execute(db)).rows;
  const expected = await expectedFees(db, cases);
  const totals = new Map<Currency, { invoices: number; matched: number; mismatched: number;
    chargedMinor: bigint; expectedMinor: bigint }>();
  const wrong: Case[] = [];
  const proved: AccessFeeCase[] = [];
  for (const item of cases) {
    const fee = expected.get(`${item.currency}|${item.service_fee_minor}|${item.day}`) ?? null;
    const sum = totals.get(item.currency) ?? { invoices: 0, matched: 0, mismatched: 0,
      chargedMinor: 0n, expectedMinor: 0n };
    const count = BigInt(item.invoices);
    const matches = fee !== null && fee === BigInt(item.charged_minor);
    sum.invoices += item.invoices;
    sum.matched += matches ? item.invoices : 0;
    sum.mismatched += matches ? 0 : item.invoices;
    sum.chargedMinor += BigInt(item.charged_minor) * count;
    sum.expectedMinor += (fee ?? 0n) * count;
    totals.set(item.currency, sum);
    if (!matches) wrong.push(item);
    proved.push({ currency: item.currency, issuedDay: item.day,
      serviceFeeMinor: BigInt(item.service_fee_minor), chargedMinor: BigInt(item.charged_minor),
      expectedMinor: fee, invoices: item.invoices, matches });
  }
  const mismatches = await listMismatches(db, period, agency, wrong, expected);
  const mismatchCount = wrong.reduce((sum, item) => sum + item.invoices, 0);
  return { period, totals: [...totals].map(([currency, sum]) => ({ currency, ...sum })),
    cases: proved, mismatches, mismatchesListed: mismatches.length === mismatchCount };
}

async function listMismatches(db: Database, period: Period, agency: AgencyFilter,
  wrong: readonly Case[], expected: ReadonlyMap<string, bigint | null>):
  Promise<AccessFeeMismatch[]> {
  if (wrong.length === 0) return [];
  const keys = wrong.map((item) => `${item.currency}|${item.service_fee_minor}|${item.day}|${
    item.charged_minor}`);
  const rows = await sql<{ id: string; reference: string; agency_id: string; service_id: string;
    currency: Currency; day: string; service_fee_minor: bigint; charged_minor: bigint }>`
    select id, reference, agency_id, service_id, currency, day, service_fee_minor, charged_minor
    from ${invoiceFees(period, agency)} f
    where concat_ws('|', currency, service_fee_minor, day, charged_minor) = any(${keys}::text[])
    order by day, reference limit ${mismatchesMax}`.execute(db);
  return rows.rows.map((row) => ({ invoiceId: row.id, reference: row.reference,
    agencyId: row.agency_id, serviceId: row.service_id, issuedDay: row.day,
    currency: row.currency, serviceFeeMinor: BigInt(row.service_fee_minor),
    chargedMinor: BigInt(row.charged_minor),
    expectedMinor: expected.get(`${row.currency}|${row.service_fee_minor}|${row.day}`) ?? null }));
}
