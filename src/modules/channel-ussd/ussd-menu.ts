/**
 * The menus as a state machine: one answer moves a session from one state to the next. 0 goes
 * back, 00 home; an answer that means nothing on this screen leaves the screen as it was with
 * a notice (nothing typed before is lost). Lookups come from outside (UssdLookups), so the
 * rules here are tested without a database.
 */
import type { Language } from '#web/index.ts';
import {
  currentScreen,
  type AskTopic,
  type BillFacts,
  type EndScreen,
  type Screen,
  type SessionState,
} from './ussd-state.ts';

export type Lookup<T> = T | 'not-found' | 'rate-limited';

export type UssdLookups = Readonly<{
  bill: (typed: string) => Promise<Lookup<BillFacts>>;
  payment: (typed: string) => Promise<Lookup<Extract<Screen, { kind: 'payment' }>>>;
  application: (typed: string) => Promise<Lookup<Extract<Screen, { kind: 'application' }>>>;
  verify: (typed: string) =>
    Promise<Lookup<Extract<Screen, { kind: 'receipt' } | { kind: 'document' }>>>;
  mine: () => Promise<Extract<Screen, { kind: 'mine' }>>;
  /** Sends the M-Pesa prompt for the bill to the caller's own phone. */
  pay: (bill: BillFacts) => Promise<boolean>;
  saveLanguage: (language: Language) => Promise<void>;
}>;

export type StepResult =
  | Readonly<{ kind: 'continue'; state: SessionState }>
  | Readonly<{ kind: 'end'; end: EndScreen; state: SessionState }>;

const homeChoices: Readonly<Record<string, AskTopic | 'mine' | 'language'>> = {
  1: 'pay', 2: 'bill', 3: 'receipt', 4: 'mine', 5: 'application', 6: 'verify', 7: 'language',
};
const answerLengthMax = 40;

function go(state: SessionState, screen: Screen): StepResult {
  return { kind: 'continue', state: { language: state.language, stack: [...state.stack, screen] } };
}

function stay(state: SessionState, notice: 'invalidChoice' | 'notFound', input = ''):
  StepResult {
  return { kind: 'continue', state: { language: state.language, stack: state.stack, notice,
    ...(notice === 'notFound' ? { noticeInput: input } : {}) } };
}

/** Applies one answer to the session. */
export async function step(state: SessionState, rawAnswer: string, lookups: UssdLookups):
  Promise<StepResult> {
  const answer = rawAnswer.trim();
  if (answer === '00') return { kind: 'continue', state: { language: state.language,
    stack: [{ kind: 'home' }] } };
  if (answer === '0') {
    const stack = state.stack.length > 1 ? state.stack.slice(0, -1) : state.stack;
    return { kind: 'continue', state: { language: state.language, stack } };
  }
  const screen = currentScreen(state);
  if (answer === '' || answer.length > answerLengthMax) return stay(state, 'invalidChoice');
  switch (screen.kind) {
    case 'home': return fromHome(state, answer, lookups);
    case 'ask': return fromAsk(state, screen.topic, answer, lookups);
    case 'bill': return fromBill(state, screen, answer, lookups);
    case 'language': return fromLanguage(state, answer, lookups);
    default: return stay(state, 'invalidChoice');
  }
}

async function fromHome(state: SessionState, answer: string, lookups: UssdLookups):
  Promise<StepResult> {
  const choice = homeChoices[answer];
  if (choice === undefined) return stay(state, 'invalidChoice');
  if (choice === 'mine') return go(state, await lookups.mine());
  if (choice === 'language') return go(state, { kind: 'language' });
  return go(state, { kind: 'ask', topic: choice });
}

async function fromAsk(state: SessionState, topic: AskTopic, answer: string,
  lookups: UssdLookups): Promise<StepResult> {
  const found = await lookupFor(topic, answer, lookups);
  if (found === 'rate-limited') return { kind: 'end', end: { kind: 'rateLimited' }, state };
  if (found === 'not-found') return stay(state, 'notFound', answer);
  return go(state, found);
}

async function lookupFor(topic: AskTopic, answer: string, lookups: UssdLookups):
  Promise<Lookup<Screen>> {
  switch (topic) {
    case 'pay':
    case 'bill': {
      const bill = await lookups.bill(answer);
      return typeof bill === 'string' ? bill
        : { kind: 'bill', purpose: topic === 'pay' ? 'pay' : 'check', bill };
    }
    case 'receipt': return lookups.payment(answer);
    case 'application': return lookups.application(answer);
    case 'verify': return lookups.verify(answer);
  }
}

async function fromBill(state: SessionState, screen: Extract<Screen, { kind: 'bill' }>,
  answer: string, lookups: UssdLookups): Promise<StepResult> {
  const { bill } = screen;
  const canPay = screen.purpose === 'pay' && bill.payable && bill.currency === 'KES';
  if (!canPay || answer !== '1') return stay(state, 'invalidChoice');
  const sent = await lookups.pay(bill);
  const end: EndScreen = sent
    ? { kind: 'paySent', reference: bill.reference, amountMinor: bill.dueMinor,
      currency: bill.currency }
    : { kind: 'payNotSent', reference: bill.reference };
  return { kind: 'end', end, state };
}

async function fromLanguage(state: SessionState, answer: string, lookups: UssdLookups):
  Promise<StepResult> {
  const language = answer === '1' ? 'en' : answer === '2' ? 'sw' : undefined;
  if (language === undefined) return stay(state, 'invalidChoice');
  await lookups.saveLanguage(language);
  return { kind: 'continue', state: { language, stack: [{ kind: 'home' }],
    notice: 'languageSaved' } };
}

/** Applies the answers in order; stops at the first that ends the session. */
export async function applyAnswers(state: SessionState, answers: readonly string[],
  lookups: UssdLookups): Promise<StepResult> {
  let result: StepResult = { kind: 'continue', state };
  for (const answer of answers) {
    result = await step(result.state, answer, lookups);
    if (result.kind === 'end') return result;
  }
  return result;
}
