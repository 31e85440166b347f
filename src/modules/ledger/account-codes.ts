/**
 * The chart of accounts (docs/ledger.md): every account code the ledger
 * accepts, its type and normal side, and the builders that spell codes. Pure, no I/O.
 *
 * A code is a kind, plus an id for kinds that exist once per invoice, payer, agency or channel:
 * `deposits:invoice:<uuid>`, `collection:mpesa:222222`, `suspense`. Ids of invoices, payers and
 * agencies must be UUIDs: a code lives in the append-only ledger forever, so it must never hold
 * personal data (a phone or ID number), and a UUID cannot.
 */
import assert from 'node:assert/strict';
import type { Branded } from '#platform/ids/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import type { Currency } from '#platform/money/index.ts';

/** A code that parses as an account of the chart. Build with `accountCodes`. */
export type AccountCode = Branded<string, 'AccountCode'>;

export type AccountType = 'asset' | 'liability' | 'equity' | 'income' | 'expense';
export type Side = 'debit' | 'credit';

export type AccountKindDefinition = Readonly<{
  type: AccountType;
  normalSide: Side;
  /** What the id after the kind is; undefined for accounts that exist once. */
  id: 'uuid' | 'shortcode' | 'slug' | undefined;
  /** Undefined: any currency. */
  currencies: readonly Currency[] | undefined;
  /**
   * Debits may never take the balance below zero (TigerBeetle's debits_must_not_exceed_credits):
   * a liability below zero would mean the platform paid out money it never held for anyone.
   */
  mustNotGoNegative: boolean;
}>;

const liability = (id: AccountKindDefinition['id']): AccountKindDefinition => ({
  type: 'liability', normalSide: 'credit', id, currencies: undefined, mustNotGoNegative: true,
});

const asset = (
  id: AccountKindDefinition['id'],
  currencies?: readonly Currency[],
): AccountKindDefinition => ({
  type: 'asset', normalSide: 'debit', id, currencies, mustNotGoNegative: false,
});

/** The chart of accounts, by kind. */
export const accountKinds = {
  'collection:mpesa': asset('shortcode', ['KES']),
  'collection:card': asset('slug'),
  'collection:bank': asset('slug'),
  'collection:treasury-bank': asset(undefined),
  'deposits:invoice': liability('uuid'),
  'credit:payer': liability('uuid'),
  'suspense': liability(undefined),
  'payable:agency': liability('uuid'),
  // Access fees are Treasury's money until remitted: a liability, like an agency's payable.
  'revenue:access-fee': liability(undefined),
  'refunds-payable': liability(undefined),
  // Released to the bank in a settlement batch, not yet confirmed paid (docs/settlement.md).
  'settlement-clearing': liability(undefined),
  'expense:provider-charges': {
    type: 'expense', normalSide: 'debit', id: undefined, currencies: undefined,
    mustNotGoNegative: false,
  },
} as const satisfies Readonly<Record<string, AccountKindDefinition>>;

export type AccountKind = keyof typeof accountKinds;

export type ParsedAccountCode = Readonly<{
  code: AccountCode;
  kind: AccountKind;
  id: string | undefined;
  definition: AccountKindDefinition;
}>;

const shortcodePattern = /^\d{5,7}$/;
const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const kindsLongestFirst = (Object.keys(accountKinds) as AccountKind[])
  .sort((left, right) => right.length - left.length);

function idIsValid(shape: AccountKindDefinition['id'], id: string): boolean {
  switch (shape) {
    case 'uuid': return isUuid(id);
    case 'shortcode': return shortcodePattern.test(id);
    case 'slug': return slugPattern.test(id);
    case undefined: return false;
  }
}

/** The account a code names, or undefined when the code is not in the chart. */
export function parseAccountCode(code: string): ParsedAccountCode | undefined {
  for (const kind of kindsLongestFirst) {
    const definition: AccountKindDefinition = accountKinds[kind];
    if (code === kind && definition.id === undefined) {
      return { code: code as AccountCode, kind, id: undefined, definition };
    }
    if (definition.id !== undefined && code.startsWith(`${kind}:`)) {
      const id = code.slice(kind.length + 1);
      if (!idIsValid(definition.id, id)) return undefined;
      return { code: code as AccountCode, kind, id, definition };
    }
  }
  return undefined;
}

export function isAccountCode(code: string): code is AccountCode {
  return parseAccountCode(code) !== undefined;
}

/** Whether the account may hold this currency (an M-Pesa paybill holds only KES). */
export function accountAllowsCurrency(parsed: ParsedAccountCode, currency: Currency): boolean {
  return parsed.definition.currencies === undefined ||
    parsed.definition.currencies.includes(currency);
}

function build(kind: AccountKind, id?: string): AccountCode {
  const code = id === undefined ? kind : `${kind}:${id}`;
  // Ids come from our own rows, so a bad one is a bug in the caller, not an input error.
  assert.ok(isAccountCode(code), `not a valid ledger account code: ${code}`);
  return code as AccountCode;
}

/** Where a receipt came in, and where a refund goes out. */
export type Channel =
  | Readonly<{ kind: 'mpesa'; shortcode: string }>
  | Readonly<{ kind: 'card'; provider: string }>
  | Readonly<{ kind: 'bank'; bank: string }>;

/** Builders for every account code; each asserts its id is well formed. */
export const accountCodes = {
  mpesaCollection: (shortcode: string) => build('collection:mpesa', shortcode),
  cardCollection: (provider: string) => build('collection:card', provider),
  bankCollection: (bank: string) => build('collection:bank', bank),
  collection: (channel: Channel): AccountCode => {
    switch (channel.kind) {
      case 'mpesa': return build('collection:mpesa', channel.shortcode);
      case 'card': return build('collection:card', channel.provider);
      case 'bank': return build('collection:bank', channel.bank);
    }
  },
  treasuryBank: () => build('collection:treasury-bank'),
  invoiceDeposits: (invoiceId: string) => build('deposits:invoice', invoiceId),
  payerCredit: (payerId: string) => build('credit:payer', payerId),
  suspense: () => build('suspense'),
  agencyPayable: (agencyId: string) => build('payable:agency', agencyId),
  accessFeeRevenue: () => build('revenue:access-fee'),
  refundsPayable: () => build('refunds-payable'),
  settlementClearing: () => build('settlement-clearing'),
  providerCharges: () => build('expense:provider-charges'),
} as const;

/** The account's parse; the code must be valid (it is an AccountCode). */
export function describeAccount(code: AccountCode): ParsedAccountCode {
  const parsed = parseAccountCode(code);
  assert.ok(parsed !== undefined, `not a valid ledger account code: ${code}`);
  return parsed;
}
