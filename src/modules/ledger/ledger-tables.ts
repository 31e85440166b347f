/** Row types of the ledger tables (migrations/202611281200_create-ledger.sql). */
import type { ColumnType, Generated } from 'kysely';
import type { Currency } from '#platform/money/index.ts';
import type { AccountType, Side } from './account-codes.ts';

export type LedgerAccountTable = {
  code: string;
  currency: Currency;
  kind: string;
  type: AccountType;
  normal_side: Side;
  created_at: Generated<Date>;
};

export type LedgerEntryTable = {
  id: string;
  code: string;
  currency: Currency;
  idempotency_key: string;
  corrects_entry_id: string | null;
  /** jsonb: read as an object, written as JSON text. */
  reference: ColumnType<Readonly<Record<string, string>>, string, never>;
  occurred_at: Date;
  recorded_at: Generated<Date>;
};

export type LedgerLineTable = {
  entry_id: string;
  line_number: number;
  account_code: string;
  currency: Currency;
  side: Side;
  amount_minor: bigint;
};

export type LedgerTables = {
  ledger_account: LedgerAccountTable;
  ledger_entry: LedgerEntryTable;
  ledger_line: LedgerLineTable;
};
