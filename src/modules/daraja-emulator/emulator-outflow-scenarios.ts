/**
 * Failure injection for money going out (B2C, reversal): the LAST FOUR DIGITS of the phone
 * the money goes to (B2C PartyB, or the payer of the receipt reversed) choose what happens.
 * A short paybill balance fails by itself (ResultCode 1). The table is in
 * docs/daraja-emulator.md.
 */

export type OutflowScenario =
  /** The money moves; the Result is sent once. */
  | Readonly<{ kind: 'success' }>
  /** Reversal only: the payer has spent the money (a free-text ResultDesc, code 2001). */
  | Readonly<{ kind: 'recipient-spent' }>
  /** No Result: QueueTimeOutURL is called; the money did NOT move. */
  | Readonly<{ kind: 'timeout-not-moved' }>
  /** No Result: QueueTimeOutURL is called, yet the money DID move (status query tells). */
  | Readonly<{ kind: 'timeout-moved' }>
  /** The money moves once; the same Result is sent twice. */
  | Readonly<{ kind: 'duplicate-result' }>;

export type OutflowScenarioRow = Readonly<{ lastDigits: string; scenario: OutflowScenario;
  meaning: string }>;

export const outflowScenarioTable: readonly OutflowScenarioRow[] = [
  { lastDigits: '9004', scenario: { kind: 'recipient-spent' },
    meaning: 'reversal fails: the recipient has already spent the money (B2C pays)' },
  { lastDigits: '9005', scenario: { kind: 'timeout-not-moved' },
    meaning: 'no Result; QueueTimeOutURL called; the money did not move' },
  { lastDigits: '9006', scenario: { kind: 'timeout-moved' },
    meaning: 'no Result; QueueTimeOutURL called; the money moved (status query says so)' },
  { lastDigits: '9007', scenario: { kind: 'duplicate-result' },
    meaning: 'the money moves once; the Result is sent twice' },
];

const byLastDigits = new Map(outflowScenarioTable.map((row) => [row.lastDigits, row.scenario]));

export function outflowScenarioForPhone(msisdn: string): OutflowScenario {
  return byLastDigits.get(msisdn.slice(-4)) ?? { kind: 'success' };
}

export const outflowResultCodes = {
  success: '0',
  insufficientBalance: '1',
  /** Safaricom says only in words that the recipient spent it. */
  recipientSpent: '2001',
  alreadyReversed: 'R000001',
  invalidOriginalTransaction: 'R000002',
  initiatorInvalid: '2001',
} as const;

export const outflowResultDescriptions = {
  success: 'The service request is processed successfully.',
  insufficientBalance: 'The balance is insufficient for the transaction.',
  recipientSpent: 'The reversal could not be completed: the recipient has insufficient funds, ' +
    'the money has been spent.',
  alreadyReversed: 'The transaction has already been reversed.',
  invalidOriginalTransaction: 'The OriginalTransactionID is invalid.',
  initiatorInvalid: 'The initiator information is invalid.',
  queueTimeout: 'The request timed out in the queue.',
} as const;
