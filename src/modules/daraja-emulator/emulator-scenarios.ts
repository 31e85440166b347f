/**
 * Failure injection: the LAST FOUR DIGITS of the payer's phone number choose what happens.
 * Where the digits are a Daraja result code, that is the result (0001 = 1, 1032 = 1032 ...);
 * 9001-9003 choose how the callback is (not) delivered. Every other number pays successfully.
 * The same table is in docs/daraja-emulator.md; the CLI prints it.
 */

export type PaymentScenario =
  /** The payment ends with this ResultCode (0 = success) and the callback is sent once. */
  | Readonly<{ kind: 'result'; resultCode: number }>
  /** The phone never answers: no callback; STK query says 1037 after the timeout. */
  | Readonly<{ kind: 'timeout' }>
  /** The payment succeeds but its callback (or C2B confirmation) is never sent. */
  | Readonly<{ kind: 'lost-callback' }>
  /** The payment succeeds and its callback is sent twice. */
  | Readonly<{ kind: 'duplicate-callback' }>
  /** The payment succeeds on time but its callback is sent much later. */
  | Readonly<{ kind: 'delayed-callback' }>;

export type ScenarioRow = Readonly<{ lastDigits: string; scenario: PaymentScenario;
  meaning: string }>;

const result = (resultCode: number): PaymentScenario => ({ kind: 'result', resultCode });

export const scenarioTable: readonly ScenarioRow[] = [
  { lastDigits: '0001', scenario: result(1), meaning: 'insufficient funds (ResultCode 1)' },
  { lastDigits: '0017', scenario: result(17), meaning: 'Party B unable to process (17)' },
  { lastDigits: '1001', scenario: result(1001), meaning: 'subscriber busy, locked (1001)' },
  { lastDigits: '1019', scenario: result(1019), meaning: 'transaction expired (1019)' },
  { lastDigits: '1025', scenario: result(1025), meaning: 'could not send the prompt (1025)' },
  { lastDigits: '1032', scenario: result(1032), meaning: 'cancelled by the payer (1032)' },
  { lastDigits: '1037', scenario: { kind: 'timeout' },
    meaning: 'phone unreachable: no callback; STK query says 1037 after the timeout' },
  { lastDigits: '2001', scenario: result(2001), meaning: 'wrong PIN (2001)' },
  { lastDigits: '9999', scenario: result(9999), meaning: 'could not send the prompt (9999)' },
  { lastDigits: '9001', scenario: { kind: 'lost-callback' },
    meaning: 'paid, but the callback / C2B confirmation is never sent' },
  { lastDigits: '9002', scenario: { kind: 'duplicate-callback' },
    meaning: 'paid, and the callback / C2B confirmation is sent twice' },
  { lastDigits: '9003', scenario: { kind: 'delayed-callback' },
    meaning: 'paid on time, but the callback / C2B confirmation comes much later' },
];

const byLastDigits = new Map(scenarioTable.map((row) => [row.lastDigits, row.scenario]));

export function scenarioForPhone(msisdn: string): PaymentScenario {
  return byLastDigits.get(msisdn.slice(-4)) ?? result(0);
}

/** ResultDesc for each ResultCode, in Safaricom's words where they are known. */
const resultDescriptions: Readonly<Record<number, string>> = {
  0: 'The service request is processed successfully.',
  1: 'The balance is insufficient for the transaction.',
  17: 'Party B is unable to process the transaction.',
  1001: 'Unable to lock subscriber, a transaction is already in process for the current ' +
    'subscriber',
  1019: 'Transaction has expired',
  1025: 'An error occurred while sending a push request',
  1032: 'Request cancelled by user',
  1037: 'DS timeout user cannot be reached',
  2001: 'The initiator information is invalid.',
  9999: 'An error occurred while sending a push request.',
};

export function resultDescription(resultCode: number): string {
  return resultDescriptions[resultCode] ?? 'The transaction failed.';
}

/** M-Pesa answers 1037 when the phone does not answer within about a minute. */
export const timeoutResultCode = 1037;
/** TransactionDesc longer than this fails the push with 1025. */
export const transactionDescriptionLengthMax = 182;
export const couldNotSendPromptResultCode = 1025;
