/**
 * An agency's settlement bank account, as onboarding records it (the agencies module calls
 * this inside its own transaction, through settlement's index.ts): where the agency's money is
 * paid, on the default schedule (T+1) and SLA (two days past it). Checked here against the
 * same rules as the settlement_profile table's constraints, so a wrong field is an answer, not
 * a failed statement.
 */
import { settlementDb, upsertProfileInTrx, type ProfileRow } from './settlement-repo.ts';

export type SettlementAccount = Readonly<{
  bankName: string;
  bankCode: string;
  branch: string;
  accountNumber: string;
  accountName: string;
}>;

export const defaultScheduleDays = 1;
export const defaultSlaDays = 2;

/** The fields of an account that break settlement_profile's rules (empty: none). */
export function settlementAccountProblems(account: SettlementAccount): string[] {
  const problems: string[] = [];
  if (account.bankName.length < 1 || account.bankName.length > 100) problems.push('bankName');
  if (!/^[0-9A-Z]{2,11}$/.test(account.bankCode)) problems.push('bankCode');
  if (account.branch.length < 1 || account.branch.length > 100) problems.push('branch');
  if (!/^[0-9A-Z-]{5,34}$/.test(account.accountNumber)) problems.push('accountNumber');
  if (account.accountName.length < 1 || account.accountName.length > 140) {
    problems.push('accountName');
  }
  return problems;
}

/** Records (or replaces) where an agency is settled; the caller audits it in the same trx. */
export async function recordAgencySettlementAccountInTrx(
  trx: Readonly<{ isTransaction: boolean }>,
  agencyId: string,
  account: SettlementAccount,
  now: Date,
): Promise<void> {
  if (settlementAccountProblems(account).length > 0) {
    throw new Error('a settlement account must be checked before it is recorded');
  }
  await upsertProfileInTrx(settlementDb(trx), { payee: agencyId, bank_name: account.bankName,
    bank_code: account.bankCode, branch: account.branch,
    account_number: account.accountNumber, account_name: account.accountName,
    schedule_days: defaultScheduleDays, sla_days: defaultSlaDays, updated_at: now });
}

/** Where a payee is settled, or undefined when it has no profile yet. */
export async function findSettlementProfile(
  db: Readonly<{ isTransaction: boolean }>,
  payee: string,
): Promise<ProfileRow | undefined> {
  return settlementDb(db).selectFrom('settlement_profile').selectAll()
    .where('payee', '=', payee).executeTakeFirst();
}
