import type { ErrorTable } from '#platform/errors/index.ts';

/**
 * The ledger's failures. The entry rules are listed in the order they are checked (the
 * precedence tested in entry-rules.test.ts): the first broken rule is the one reported.
 */
export const ledgerErrors = {
  LEDGER_ENTRY_CODE_INVALID: {
    status: 422, title: 'The entry code must be upper-case words joined by underscores' },
  LEDGER_IDEMPOTENCY_KEY_INVALID: {
    status: 422, title: 'The idempotency key must be 1 to 200 visible characters' },
  LEDGER_REFERENCE_INVALID: {
    status: 422, title: 'The entry reference must hold only ids, never personal data' },
  LEDGER_RECEIPT_MUST_NAME_PROVIDER_RECEIPT: {
    status: 422, title: 'A receipt entry must name its provider receipt' },
  LEDGER_ENTRY_MUST_HAVE_TWO_LINES: { status: 422, title: 'An entry needs at least two lines' },
  LEDGER_ENTRY_TOO_MANY_LINES: { status: 422, title: 'An entry has too many lines' },
  LEDGER_ACCOUNT_CODE_INVALID: {
    status: 422, title: 'The account code is not in the chart of accounts' },
  LEDGER_ACCOUNTS_MUST_BE_DIFFERENT: {
    status: 422, title: 'An account may appear only once in an entry' },
  LEDGER_AMOUNT_MUST_BE_POSITIVE: { status: 422, title: 'Every line amount must be positive' },
  LEDGER_AMOUNT_TOO_LARGE: { status: 422, title: 'A line amount is larger than the limit' },
  LEDGER_LINES_MUST_SHARE_CURRENCY: {
    status: 422, title: 'All lines of an entry must be in one currency' },
  LEDGER_ACCOUNT_CURRENCY_NOT_ALLOWED: {
    status: 422, title: 'The account does not hold this currency' },
  LEDGER_ENTRY_MUST_BALANCE: { status: 422, title: 'The entry debits must equal its credits' },
  LEDGER_IDEMPOTENCY_KEY_REUSED: {
    status: 409, title: 'This idempotency key was already used for a different entry' },
  LEDGER_BALANCE_WOULD_GO_NEGATIVE: {
    status: 409, title: 'The entry would take an account below zero' },
  LEDGER_ENTRY_NOT_FOUND: { status: 404, title: 'No ledger entry has this id' },
  LEDGER_ENTRY_ALREADY_CORRECTED: { status: 409, title: 'This entry was already corrected' },
  LEDGER_INVOICE_NOT_COVERED: {
    status: 409, title: 'The invoice deposits do not yet cover the amount due' },
  LEDGER_EXCESS_NEEDS_PAYER: {
    status: 422, title: 'An overpayment can be credited only to a known payer' },
  LEDGER_PAGE_CURSOR_INVALID: { status: 400, title: 'The page cursor is not valid' },
} as const satisfies ErrorTable;

export type LedgerErrorCode = keyof typeof ledgerErrors;
