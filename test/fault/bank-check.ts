/**
 * What must hold after the bank test: the journal holds exactly the entries that were
 * acknowledged (none lost, none extra), every account's balance is what those entries add up
 * to, the liabilities total what was put in less what was paid out, and checkLedger (no
 * guarded balance below zero, trial balance zero, every entry balanced) finds nothing.
 */
import { sql, type Kysely } from 'kysely';
import {
  applyEntries,
  balanceKey,
  checkLedger,
  entryCodes,
  type Entry,
} from '#modules/ledger/index.ts';

export type BankCheck = Readonly<{
  problems: readonly string[];
  entries: number;
  accounts: number;
  fundedMinor: bigint;
  paidOutMinor: bigint;
  liabilitiesMinor: bigint;
  collectedMinor: bigint;
}>;

const problemsListedMax = 50;

function sumOfCredits(entries: readonly Entry[]): bigint {
  return entries.reduce((total, entry) => total + entry.lines
    .filter((line) => line.side === 'credit')
    .reduce((sum, line) => sum + line.amount.amountMinor, 0n), 0n);
}

export async function checkBank<DB>(db: Kysely<DB>, input: Readonly<{
  funding: readonly Entry[];
  posted: readonly Entry[];
  problems: readonly string[];
}>): Promise<BankCheck> {
  const problems = [...input.problems];
  const acknowledged = [...input.funding, ...input.posted];
  const stored = await sql<{ key: string }>`select idempotency_key as key from ledger_entry`
    .execute(db);
  const storedKeys = new Set(stored.rows.map((row) => row.key));
  const acknowledgedKeys = new Set(acknowledged.map((entry) => entry.idempotencyKey));
  for (const key of acknowledgedKeys) {
    if (!storedKeys.has(key)) problems.push(`acknowledged but missing: ${key}`);
  }
  for (const key of storedKeys) {
    if (!acknowledgedKeys.has(key)) problems.push(`stored but never acknowledged: ${key}`);
  }
  const expected = applyEntries(acknowledged);
  const balances = await sql<{ code: string; currency: 'KES' | 'USD'; normal: string;
    balance: bigint }>`select l.account_code as code, l.currency, a.normal_side as normal,
      sum(case when l.side = a.normal_side then l.amount_minor else -l.amount_minor end)::bigint
        as balance
    from ledger_line l join ledger_account a on a.code = l.account_code
      and a.currency = l.currency
    group by l.account_code, l.currency, a.normal_side`.execute(db);
  let liabilitiesMinor = 0n;
  let collectedMinor = 0n;
  for (const row of balances.rows) {
    const model = expected.get(balanceKey(row.code, row.currency))?.amountMinor ?? 0n;
    if (model !== row.balance) {
      problems.push(`${row.code}: balance ${row.balance}, acknowledged entries give ${model}`);
    }
    if (row.normal === 'credit') liabilitiesMinor += row.balance;
    else collectedMinor += row.balance;
  }
  const fundedMinor = sumOfCredits(input.funding);
  const paidOutMinor = sumOfCredits(input.posted.filter((entry) =>
    entry.code === entryCodes.refundPaidOut));
  if (liabilitiesMinor !== fundedMinor - paidOutMinor || collectedMinor !== liabilitiesMinor) {
    problems.push(`totals: put in ${fundedMinor}, paid out ${paidOutMinor}, liabilities ` +
      `${liabilitiesMinor}, collection ${collectedMinor} (minor units)`);
  }
  const ledger = await checkLedger(db);
  for (const finding of ledger.findings) {
    problems.push(`ledger check: ${finding.rule} ${finding.subject}: ${finding.detail}`);
  }
  return {
    problems: problems.slice(0, problemsListedMax), entries: storedKeys.size,
    accounts: balances.rows.length, fundedMinor, paidOutMinor, liabilitiesMinor, collectedMinor,
  };
}
