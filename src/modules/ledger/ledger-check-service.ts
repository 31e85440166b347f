/**
 * `huduma ledger check`: proves the ledger keeps its invariants, reading every entry and
 * account. It trusts none of the database's guards, so it also catches a database whose
 * triggers were disabled and whose rows were changed behind the ledger's back.
 */
import type { Kysely } from 'kysely';
import { accountAllowsCurrency, accountKinds, parseAccountCode } from './account-codes.ts';
import { receiptEntryCodes } from './entry-codes.ts';
import {
  countEntriesAndAccounts,
  selectAccountBatch,
  selectEntryBatch,
  selectNegativeBalances,
  selectRepeatedReceipts,
  type AccountCheckRow,
  type EntryCheckRow,
} from './ledger-check-repo.ts';
import { trialBalance, type TrialBalance } from './ledger-report-service.ts';

export type LedgerFindingRule =
  | 'ENTRY_HAS_FEWER_THAN_TWO_LINES'
  | 'ENTRY_LINES_IN_OTHER_CURRENCY'
  | 'ENTRY_DOES_NOT_BALANCE'
  | 'LINE_ACCOUNT_MISSING'
  | 'TRIAL_BALANCE_NOT_ZERO'
  | 'RECEIPT_IN_MORE_THAN_ONE_ENTRY'
  | 'RECEIPT_ENTRY_NAMES_NO_RECEIPT'
  | 'ACCOUNT_BELOW_ZERO'
  | 'ACCOUNT_NOT_IN_CHART'
  | 'ACCOUNT_DIFFERS_FROM_CHART'
  | 'ACCOUNT_CURRENCY_NOT_ALLOWED';

/** One broken invariant: which rule, what it concerns (an entry id, account, receipt). */
export type LedgerFinding = Readonly<{ rule: LedgerFindingRule; subject: string; detail: string }>;

export type LedgerCheckReport = Readonly<{
  entriesChecked: number;
  accountsChecked: number;
  trialBalance: TrialBalance;
  /** At most findingsMax; findingsCount says how many there were in all. */
  findings: readonly LedgerFinding[];
  findingsCount: number;
  ok: boolean;
}>;

export type LedgerCheckOptions = Readonly<{
  batchSize?: number;
  /** Called after each batch: items checked so far, of total (entries + accounts). */
  onProgress?: (done: number, total: number) => void;
}>;

const batchSizeDefault = 1000;
/** Enough to act on; a ledger with more findings than this is broken beyond a list. */
export const findingsMax = 1000;

/** The findings for one entry's stored line sums. Pure. */
export function entryFindings(row: EntryCheckRow): LedgerFinding[] {
  const findings: LedgerFinding[] = [];
  const subject = `entry ${row.id} (${row.code})`;
  if (row.lineCount < 2) {
    findings.push({ rule: 'ENTRY_HAS_FEWER_THAN_TWO_LINES', subject,
      detail: `${row.lineCount} line(s)` });
  }
  if (row.linesInOtherCurrency > 0) {
    findings.push({ rule: 'ENTRY_LINES_IN_OTHER_CURRENCY', subject,
      detail: `${row.linesInOtherCurrency} line(s) not in ${row.currency}` });
  }
  if (row.debitsMinor !== row.creditsMinor) {
    findings.push({ rule: 'ENTRY_DOES_NOT_BALANCE', subject,
      detail: `debits ${row.debitsMinor}, credits ${row.creditsMinor} (${row.currency} minor)` });
  }
  if (row.linesWithoutAccount > 0) {
    findings.push({ rule: 'LINE_ACCOUNT_MISSING', subject,
      detail: `${row.linesWithoutAccount} line(s) on an account not in ${row.currency}` });
  }
  return findings;
}

/** The findings for one stored account against the chart of accounts. Pure. */
export function accountFindings(row: AccountCheckRow): LedgerFinding[] {
  const subject = `account ${row.code} (${row.currency})`;
  const parsed = parseAccountCode(row.code);
  if (parsed === undefined) {
    return [{ rule: 'ACCOUNT_NOT_IN_CHART', subject, detail: 'the code is not in the chart' }];
  }
  const findings: LedgerFinding[] = [];
  const expected = parsed.definition;
  if (row.kind !== parsed.kind || row.type !== expected.type ||
    row.normalSide !== expected.normalSide) {
    findings.push({ rule: 'ACCOUNT_DIFFERS_FROM_CHART', subject,
      detail: `stored ${row.kind}/${row.type}/${row.normalSide}, chart ` +
        `${parsed.kind}/${expected.type}/${expected.normalSide}` });
  }
  if (!accountAllowsCurrency(parsed, row.currency)) {
    findings.push({ rule: 'ACCOUNT_CURRENCY_NOT_ALLOWED', subject,
      detail: `${parsed.kind} does not hold ${row.currency}` });
  }
  return findings;
}

class FindingList {
  readonly items: LedgerFinding[] = [];
  count = 0;
  add(findings: readonly LedgerFinding[]): void {
    this.count += findings.length;
    for (const finding of findings) {
      if (this.items.length < findingsMax) this.items.push(finding);
    }
  }
}

/** Checks every invariant of the ledger (docs/ledger.md, Invariants). */
export async function checkLedger<DB>(
  db: Kysely<DB>,
  options: LedgerCheckOptions = {},
): Promise<LedgerCheckReport> {
  const batchSize = options.batchSize ?? batchSizeDefault;
  const counts = await countEntriesAndAccounts(db);
  const total = counts.entries + counts.accounts;
  const findings = new FindingList();
  let done = 0;
  options.onProgress?.(done, total);

  let entriesChecked = 0;
  let afterEntry: string | undefined;
  for (;;) {
    const rows = await selectEntryBatch(db, afterEntry, batchSize);
    for (const row of rows) findings.add(entryFindings(row));
    entriesChecked += rows.length;
    done += rows.length;
    options.onProgress?.(done, total);
    afterEntry = rows.at(-1)?.id;
    if (rows.length < batchSize) break;
  }

  let accountsChecked = 0;
  let afterAccount: AccountCheckRow | undefined;
  for (;;) {
    const rows = await selectAccountBatch(db, afterAccount, batchSize);
    for (const row of rows) findings.add(accountFindings(row));
    accountsChecked += rows.length;
    done += rows.length;
    options.onProgress?.(done, total);
    afterAccount = rows.at(-1);
    if (rows.length < batchSize) break;
  }

  findings.add(await ledgerWideFindings(db));
  const balance = await trialBalance(db);
  findings.add(balance.currencies.filter((currency) => !currency.balanced)
    .map((currency) => ({
      rule: 'TRIAL_BALANCE_NOT_ZERO', subject: `currency ${currency.currency}`,
      detail: `debits ${currency.debits.amountMinor}, credits ${currency.credits.amountMinor}`,
    })));
  return {
    entriesChecked,
    accountsChecked,
    trialBalance: balance,
    findings: findings.items,
    findingsCount: findings.count,
    ok: findings.count === 0,
  };
}

async function ledgerWideFindings<DB>(db: Kysely<DB>): Promise<LedgerFinding[]> {
  const guardedKinds = Object.entries(accountKinds)
    .filter(([, definition]) => definition.mustNotGoNegative).map(([kind]) => kind);
  const negative = await selectNegativeBalances(db, guardedKinds, findingsMax);
  const receipts = await selectRepeatedReceipts(db, receiptEntryCodes, findingsMax);
  return [
    ...negative.map((row): LedgerFinding => ({
      rule: 'ACCOUNT_BELOW_ZERO', subject: `account ${row.code} (${row.currency})`,
      detail: `balance ${row.balance} minor units`,
    })),
    ...receipts.map((row): LedgerFinding => row.providerReceipt === ''
      ? { rule: 'RECEIPT_ENTRY_NAMES_NO_RECEIPT', subject: `entries ${row.entryIds.join(', ')}`,
        detail: 'a receipt entry without reference.providerReceipt' }
      : { rule: 'RECEIPT_IN_MORE_THAN_ONE_ENTRY', subject: `receipt ${row.providerReceipt}`,
        detail: `standing receipt entries ${row.entryIds.join(', ')}` }),
  ];
}
