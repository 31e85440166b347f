/**
 * Every screen of every menu, in English and Swahili, fits the 182 characters a handset shows
 * (with the reply's CON or END), whatever the names (fast-check draws them up to catalogue
 * length); long names are shortened
 * with "..", the facts a caller needs (reference, amount, status) stay whole. The menu rules
 * without a database: back, home, bad input, the pay step and the language choice.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { invoiceStatuses } from '#modules/payments/index.ts';
import { applicationStatuses } from '#modules/applications/index.ts';
import { applyAnswers, step, type UssdLookups } from './ussd-menu.ts';
import {
  amountText,
  drawEnd,
  drawScreen,
  shorten,
  ussdReplyLengthMax,
  ussdScreenLengthMax,
} from './ussd-screens.ts';
import { replyBody } from './ussd-service.ts';
import {
  freshState,
  readState,
  type BillFacts,
  type EndScreen,
  type Notice,
  type Screen,
  type SessionState,
} from './ussd-state.ts';

const languages = ['en', 'sw'] as const;
const notices: ReadonlyArray<Notice | undefined> =
  [undefined, 'invalidChoice', 'notFound', 'languageSaved'];

function billOf(name: string, status: string, currency: string): BillFacts {
  return { reference: 'K7M2-X9QP-4T', serviceEn: name, serviceSw: `${name} (sw)`,
    agencyEn: name, agencySw: null, status, currency, totalMinor: '99999999999',
    dueMinor: '99999999999', payable: status === 'unpaid' || status === 'partially_paid' };
}

/** Every screen there is, with `name` wherever a name goes. */
function everyScreen(name: string): Screen[] {
  const screens: Screen[] = [{ kind: 'home' }, { kind: 'language' },
    ...(['pay', 'bill', 'receipt', 'application', 'verify'] as const)
      .map((topic) => ({ kind: 'ask' as const, topic })),
    { kind: 'mine', items: [] }];
  for (const status of invoiceStatuses) {
    for (const currency of ['KES', 'USD']) {
      for (const purpose of ['pay', 'check'] as const) {
        screens.push({ kind: 'bill', purpose, bill: billOf(name, status, currency) });
      }
    }
  }
  for (const disposition of ['allocated', 'credited', 'suspense', 'refunded']) {
    screens.push({ kind: 'payment', payment: { receipt: 'QK12ABC345',
      amountMinor: '99999999999', currency: 'KES', billReference: 'X'.repeat(20),
      paidOn: '2026-12-04', disposition } });
  }
  const item = (outcome: string) => ({ reference: 'K7M2-X9QP-4T', amountMinor: '99999999999',
    currency: 'KES', outcome, on: '2026-12-04' });
  screens.push({ kind: 'mine', items: [item('waiting'), item('confirmed'), item('failed')] });
  for (const status of applicationStatuses) {
    screens.push({ kind: 'application', application: { reference: 'A-7K3M9Q2R', status,
      serviceEn: name, serviceSw: name } });
  }
  screens.push({ kind: 'receipt', receipt: { number: 'HR7K3M9Q2R4T', amountMinor: '99999999999',
    currency: 'USD', agencyEn: name, agencySw: name, billReference: 'K7M2-X9QP-4T',
    paidOn: '2026-12-04' } });
  for (const status of ['valid', 'revoked', 'expired']) {
    screens.push({ kind: 'document', document: { number: 'HD-7K3M9-Q2R4T', status,
      serviceEn: name, serviceSw: null, issuedOn: '2026-12-04' } });
  }
  return screens;
}

const ends: readonly EndScreen[] = [
  { kind: 'paySent', reference: 'K7M2-X9QP-4T', amountMinor: '99999999999', currency: 'KES' },
  { kind: 'payNotSent', reference: 'K7M2-X9QP-4T' }, { kind: 'rateLimited' },
  { kind: 'timedOut' }, { kind: 'phoneNotServed' },
];

describe('USSD screens', () => {
  it('fit in 182 characters: every screen, notice and language, any names', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 500 }),
      fc.string({ maxLength: 40 }), (name, typed) => {
        for (const language of languages) {
          for (const screen of everyScreen(name)) {
            for (const notice of notices) {
              const state: SessionState = { language, stack: [{ kind: 'home' }, screen],
                ...(notice === undefined ? {} : { notice, noticeInput: typed }) };
              const text = drawScreen(state);
              assert.ok(text.length <= ussdScreenLengthMax, `${text.length}: ${text}`);
              assert.ok(replyBody({ end: false, text }).length <= ussdReplyLengthMax);
            }
          }
          for (const end of ends) {
            const text = drawEnd(end, language);
            assert.ok(replyBody({ end: true, text }).length <= ussdReplyLengthMax, text);
          }
        }
      }), { numRuns: 40 });
  });

  it('shortens long names and keeps the reference, amount and way back whole', () => {
    const long = 'Directorate of Immigration and Citizen Services, Department of '.repeat(4);
    for (const language of languages) {
      const text = drawScreen({ language, stack: [{ kind: 'home' },
        { kind: 'bill', purpose: 'pay', bill: billOf(long, 'unpaid', 'KES') }] });
      assert.ok(text.length <= ussdScreenLengthMax);
      assert.match(text, /K7M2-X9QP-4T/);
      assert.match(text, /KES 999,999,999\.99/);
      assert.match(text, /\.\./);
      assert.match(text, language === 'en' ? /0 Back 00 Home$/ : /0 Rudi 00 Mwanzo$/);
    }
    assert.equal(shorten('abcdef', 6), 'abcdef');
    assert.equal(shorten('abcdefgh', 6), 'abcd..');
    assert.equal(amountText('105000', 'KES', 'sw'), 'KES 1,050.00');
    assert.equal(amountText('12', 'XYZ', 'en'), 'XYZ 12');
  });

  it('reads a stored state loosely: anything unreadable is home', () => {
    assert.deepEqual(readState(null, 'sw'), freshState('sw'));
    assert.deepEqual(readState({ language: 'xx', stack: [] }, 'en'), freshState('en'));
    assert.equal(readState({ language: 'sw', stack: [{ kind: 'language' }] }, 'en').language,
      'sw');
  });
});

function fakeLookups(overrides: Partial<UssdLookups> = {}): UssdLookups & { paid: string[] } {
  const paid: string[] = [];
  return {
    paid,
    bill: async (typed) => typed === 'GOOD' ? billOf('Passport', 'unpaid', 'KES') : 'not-found',
    payment: async () => 'not-found',
    application: async () => 'rate-limited',
    verify: async () => 'not-found',
    mine: async () => ({ kind: 'mine', items: [] }),
    pay: async (bill) => {
      paid.push(bill.reference);
      return true;
    },
    saveLanguage: async () => undefined,
    ...overrides,
  };
}

describe('USSD menus', () => {
  it('goes back with 0, home with 00, and keeps the screen on bad input', async () => {
    const lookups = fakeLookups();
    const home = freshState('en');
    const ask = await applyAnswers(home, ['2'], lookups);
    assert.deepEqual(ask.state.stack.at(-1), { kind: 'ask', topic: 'bill' });
    const bad = await step(ask.state, 'NOPE', lookups);
    assert.equal(bad.state.notice, 'notFound');
    assert.deepEqual(bad.state.stack, ask.state.stack);
    const empty = await step(ask.state, '  ', lookups);
    assert.equal(empty.state.notice, 'invalidChoice');
    const back = await applyAnswers(home, ['2', 'GOOD', '0'], lookups);
    assert.deepEqual(back.state.stack.at(-1), { kind: 'ask', topic: 'bill' });
    const again = await applyAnswers(home, ['2', 'GOOD', '00'], lookups);
    assert.deepEqual(again.state.stack, [{ kind: 'home' }]);
    assert.deepEqual((await step(home, '0', lookups)).state.stack, [{ kind: 'home' }]);
    assert.equal((await step(home, '8', lookups)).state.notice, 'invalidChoice');
    const checked = await applyAnswers(home, ['2', 'GOOD', '1'], lookups);
    assert.equal(checked.state.notice, 'invalidChoice');
    assert.deepEqual(lookups.paid, []);
  });

  it('pays only from the pay menu, and ends the session', async () => {
    const lookups = fakeLookups();
    const sent = await applyAnswers(freshState('en'), ['1', 'GOOD', '1', '1'], lookups);
    assert.equal(sent.kind, 'end');
    assert.equal(sent.kind === 'end' ? sent.end.kind : '', 'paySent');
    assert.deepEqual(lookups.paid, ['K7M2-X9QP-4T']);
    const refused = await applyAnswers(freshState('en'), ['1', 'GOOD', '1'],
      fakeLookups({ pay: async () => false }));
    assert.equal(refused.kind === 'end' ? refused.end.kind : '', 'payNotSent');
  });

  it('ends the session at the lookup limit, and changes language', async () => {
    const limited = await applyAnswers(freshState('en'), ['5', 'A-7K3M9Q2R'], fakeLookups());
    assert.equal(limited.kind === 'end' ? limited.end.kind : '', 'rateLimited');
    const saved: string[] = [];
    const lookups = fakeLookups({ saveLanguage: async (language) => {
      saved.push(language);
    } });
    const swahili = await applyAnswers(freshState('en'), ['7', '3', '2'], lookups);
    assert.equal(swahili.state.language, 'sw');
    assert.equal(swahili.state.notice, 'languageSaved');
    assert.deepEqual(saved, ['sw']);
    const info = await applyAnswers(freshState('en'), ['4', '1'], lookups);
    assert.equal(info.state.notice, 'invalidChoice');
  });
});
