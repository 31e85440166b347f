import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { translator } from '#web/index.ts';
import {
  demoForms,
  formsMessages,
  nextPageId,
  previousPageId,
  readPage,
  relevantAnswers,
  validateAnswers,
  visiblePages,
  type Answers,
  type FieldError,
  type FormDefinition,
  type FormField,
  type PostedForm,
} from './index.ts';

const label = { en: 'The answer', sw: 'Jibu' };
const en = translator(formsMessages, 'en');
const sw = translator(formsMessages, 'sw');

function oneField(field: Partial<FormField> & Pick<FormField, 'kind'>): FormDefinition {
  return { version: 1, pages: [{ id: 'page', title: label,
    fields: [{ id: 'answer', label, required: true, ...field }] }] };
}

function post(fields: Record<string, string | string[]>): PostedForm {
  return { fields, files: [] };
}

/** Reads `fields` into a one-field form; the error keys, and the answer. */
function check(field: Partial<FormField> & Pick<FormField, 'kind'>,
  fields: Record<string, string | string[]>): { keys: string[]; answers: Answers;
  errors: FieldError[] } {
  const { answers, errors } = readPage(oneField(field), 'page', post(fields), {});
  return { keys: errors.map((error) => error.messageKey), answers, errors };
}

function messages(error: FieldError | undefined): [string, string] {
  assert.ok(error !== undefined, 'an error was expected');
  const params = { ...error.params, label: 'X' };
  return [en(error.messageKey, params), sw(error.messageKey, params)];
}

describe('field kinds', () => {
  it('has the same message keys in English and Swahili', () => {
    assert.deepEqual(Object.keys(formsMessages.en).sort(), Object.keys(formsMessages.sw).sort());
  });

  it('text: required, and not longer than maxLength', () => {
    assert.deepEqual(check({ kind: 'text' }, { answer: '   ' }).keys, ['forms.error.required']);
    const long = check({ kind: 'text', maxLength: 5 }, { answer: 'Wanjiku' });
    assert.deepEqual(long.keys, ['forms.error.tooLong']);
    assert.equal(long.answers.answer, 'Wanjiku', 'kept as typed');
    assert.deepEqual(messages(long.errors[0]),
      ['“X” must be 5 characters or fewer', '“X” isizidi herufi 5']);
    assert.deepEqual(check({ kind: 'text', required: false }, {}).keys, []);
  });

  it('number: a whole number within min and max', () => {
    assert.deepEqual(check({ kind: 'number' }, { answer: 'three' }).keys, ['forms.error.number']);
    assert.deepEqual(check({ kind: 'number', min: 1, max: 10 }, { answer: '0' }).keys,
      ['forms.error.numberTooSmall']);
    const large = check({ kind: 'number', min: 1, max: 10 }, { answer: '1,000' });
    assert.deepEqual(messages(large.errors[0]), ['“X” must be 10 or less',
      '“X” lazima iwe 10 au chini ya hapo']);
    assert.deepEqual(check({ kind: 'number', max: 10 }, { answer: ' 7 ' }).keys, []);
  });

  it('date: from day, month and year, a real date', () => {
    const good = check({ kind: 'date' }, { 'answer.day': '29', 'answer.month': '2',
      'answer.year': '2024' });
    assert.deepEqual(good.keys, []);
    assert.equal(good.answers.answer, '2024-02-29');
    const bad = check({ kind: 'date' }, { 'answer.day': '29', 'answer.month': '2',
      'answer.year': '2023' });
    assert.deepEqual(bad.keys, ['forms.error.date']);
    assert.deepEqual(bad.answers.answer, { day: '29', month: '2', year: '2023' });
    const partial = check({ kind: 'date' }, { 'answer.day': '1', 'answer.year': '2023' });
    assert.deepEqual(messages(partial.errors[0]), ['“X” must include a day, month and year',
      '“X” lazima iwe na siku, mwezi na mwaka']);
    assert.deepEqual(check({ kind: 'date' }, {}).keys, ['forms.error.required']);
  });

  it('date: in the past or the future when the field says so', () => {
    const def = (dates: 'past' | 'future') => oneField({ kind: 'date', dates });
    const on = (day: string) => ({ fields: { 'answer.day': day, 'answer.month': '12',
      'answer.year': '2026' }, files: [] });
    const today = { today: '2026-12-03' };
    const keys = (dates: 'past' | 'future', day: string) => readPage(def(dates), 'page', on(day),
      {}, today).errors.map((error) => error.messageKey);
    assert.deepEqual(keys('past', '3'), []);
    assert.deepEqual(keys('past', '4'), ['forms.error.datePast']);
    assert.deepEqual(keys('future', '3'), ['forms.error.dateFuture']);
    assert.deepEqual(keys('future', '4'), []);
    const error = readPage(def('future'), 'page', on('1'), {}, today).errors[0];
    assert.deepEqual(messages(error), ['“X” must be in the future',
      '“X” lazima iwe siku ijayo']);
    assert.deepEqual(validateAnswers(def('past'), { answer: '2026-12-04' }, today)
      .map((found) => found.messageKey), ['forms.error.datePast']);
  });

  it('choice: one of the options, or several when multiple', () => {
    const options = [{ value: 'a', label }, { value: 'b', label }];
    assert.deepEqual(check({ kind: 'choice', options }, { answer: 'c' }).keys,
      ['forms.error.choice']);
    assert.deepEqual(check({ kind: 'choice', options }, { answer: 'b' }).keys, []);
    const none = check({ kind: 'choice', options }, {});
    assert.deepEqual(messages(none.errors[0]), ['Select an answer for “X”',
      'Chagua jibu la “X”']);
    const many = check({ kind: 'choice', options, multiple: true }, { answer: ['a', 'b'] });
    assert.deepEqual(many.keys, []);
    assert.deepEqual(many.answers.answer, ['a', 'b']);
  });

  it('yes-no: a boolean answer', () => {
    assert.equal(check({ kind: 'yes-no' }, { answer: 'yes' }).answers.answer, true);
    assert.equal(check({ kind: 'yes-no' }, { answer: 'no' }).answers.answer, false);
    assert.deepEqual(check({ kind: 'yes-no' }, { answer: 'maybe' }).keys, ['forms.error.choice']);
    assert.deepEqual(check({ kind: 'yes-no' }, {}).keys, ['forms.error.requiredChoice']);
  });

  it('id-number: 7 or 8 digits', () => {
    assert.deepEqual(check({ kind: 'id-number' }, { answer: '1234 5678' }).keys, []);
    assert.deepEqual(check({ kind: 'id-number' }, { answer: '1234567' }).keys, []);
    const bad = check({ kind: 'id-number' }, { answer: '123456' });
    assert.deepEqual(messages(bad.errors[0]), [
      '“X” must be an ID number of 7 or 8 digits, like 12345678',
      '“X” lazima iwe nambari ya kitambulisho yenye tarakimu 7 au 8, kama 12345678']);
    assert.deepEqual(check({ kind: 'id-number' }, { answer: '123456789' }).keys,
      ['forms.error.idNumber']);
  });

  it('phone: 07xx, 01xx and +254 forms', () => {
    for (const good of ['0712345678', '0112 345 678', '+254712345678', '254 712-345-678']) {
      assert.deepEqual(check({ kind: 'phone' }, { answer: good }).keys, [], good);
    }
    for (const bad of ['0812345678', '071234567', '+255712345678', 'phone']) {
      assert.deepEqual(check({ kind: 'phone' }, { answer: bad }).keys, ['forms.error.phone'], bad);
    }
    const [english, swahili] = messages(check({ kind: 'phone' }, { answer: '1' }).errors[0]);
    assert.match(english, /Kenyan phone number/);
    assert.match(swahili, /nambari ya simu ya Kenya/);
  });

  it('email: an address in the right form', () => {
    assert.deepEqual(check({ kind: 'email' }, { answer: 'wanjiku@example.co.ke' }).keys, []);
    const bad = check({ kind: 'email' }, { answer: 'wanjiku@example' });
    assert.deepEqual(bad.keys, ['forms.error.email']);
    assert.match(messages(bad.errors[0])[1], /barua pepe/);
  });

  it('address: the first line and the town, a 5-digit postal code', () => {
    const missing = check({ kind: 'address' }, { 'answer.line2': 'Flat 4' });
    assert.deepEqual(missing.errors.map((error) => error.field), ['answer.line1', 'answer.town']);
    assert.deepEqual(missing.answers.answer, { line2: 'Flat 4' });
    assert.deepEqual(messages(missing.errors[1]), ['Enter the town or city of “X”',
      'Jaza mji wa “X”']);
    const good = check({ kind: 'address' }, { 'answer.line1': 'P.O. Box 30050',
      'answer.town': 'Nairobi', 'answer.postcode': '00100' });
    assert.deepEqual(good.keys, []);
    assert.deepEqual(check({ kind: 'address' }, { 'answer.line1': 'Box 1', 'answer.town': 'Thika',
      'answer.postcode': '1' }).keys, ['forms.error.postcode']);
  });

  it('file: required, of an accepted type, keeping an earlier upload', () => {
    const field = { kind: 'file' as const, accept: ['image/png'], maxBytes: 100 };
    const def = oneField(field);
    const missing = readPage(def, 'page', post({}), {});
    assert.deepEqual(messages(missing.errors[0]), ['Upload a file for “X”',
      'Pakia faili ya “X”']);
    const stored = { fileId: 'f1', name: 'photo.png', type: 'image/png', size: 10 };
    const uploaded = readPage(def, 'page', { fields: {}, files: [{ field: 'answer', stored }] },
      {});
    assert.deepEqual(uploaded.answers.answer, stored);
    assert.deepEqual(uploaded.errors, []);
    const kept = readPage(def, 'page', post({}), uploaded.answers);
    assert.deepEqual(kept.answers.answer, stored, 'a post without a file keeps the old one');
    const wrong = readPage(def, 'page', post({}), { answer: { ...stored, type: 'image/gif' } });
    assert.deepEqual(wrong.errors.map((error) => error.messageKey), ['forms.error.fileType']);
  });

  it('group: slots closed up, each item checked, minItems counted', () => {
    const def = demoForms['civil-marriage'] as FormDefinition;
    const { answers, errors } = readPage(def, 'witnesses', post({
      'witnesses.0.name': '', 'witnesses.1.name': 'Achieng Otieno',
      'witnesses.1.idNumber': '1234', 'witnesses.1.phone': '0712345678',
    }), {});
    assert.deepEqual(answers.witnesses, [{ name: 'Achieng Otieno', idNumber: '1234',
      phone: '0712345678' }]);
    assert.deepEqual(errors.map((error) => [error.field, error.messageKey]), [
      ['witnesses', 'forms.error.groupTooFew'],
      ['witnesses.0.idNumber', 'forms.error.idNumber'],
    ]);
    assert.deepEqual(messages(errors[0]), ['Add at least 2 to “X”', 'Ongeza angalau 2 kwenye “X”']);
  });

  it('an unknown page changes nothing and says so', () => {
    const def = demoForms['civil-marriage'] as FormDefinition;
    const { answers, errors } = readPage(def, 'nope', post({ fullName: 'x' }), { a: 'b' });
    assert.deepEqual(answers, { a: 'b' });
    assert.deepEqual(errors.map((error) => error.messageKey), ['forms.error.pageUnknown']);
  });
});

describe('showWhen and page order', () => {
  const passport = demoForms['ordinary-passport-34-pages'] as FormDefinition;

  it('skips a field that is not relevant, on the page and for the whole form', () => {
    const page = readPage(passport, 'previousPassport', post({ hadPassport: 'no',
      previousPassportNumber: 'not checked' }), {});
    assert.deepEqual(page.errors, []);
    assert.equal(page.answers.previousPassportNumber, 'not checked', 'kept as typed');
    assert.equal(relevantAnswers(passport, page.answers).previousPassportNumber, undefined);
    const yes = readPage(passport, 'previousPassport', post({ hadPassport: 'yes' }), {});
    assert.deepEqual(yes.errors.map((error) => error.field), ['previousPassportNumber']);
  });

  it('goes page by page, skipping pages hidden by showWhen', () => {
    const def: FormDefinition = { version: 1, pages: [
      { id: 'one', title: label, fields: [{ id: 'more', kind: 'yes-no', label, required: true }] },
      { id: 'two', title: label, showWhen: { field: 'more', equals: true },
        fields: [{ id: 'detail', kind: 'text', label, required: true }] },
      { id: 'three', title: label, fields: [{ id: 'last', kind: 'text', label, required: true }] },
    ] };
    assert.equal(nextPageId(def, 'one', { more: false }), 'three');
    assert.equal(nextPageId(def, 'one', { more: true }), 'two');
    assert.equal(previousPageId(def, 'three', { more: false }), 'one');
    assert.equal(previousPageId(def, 'one', {}), undefined);
    assert.equal(nextPageId(def, 'three', {}), undefined);
    assert.deepEqual(visiblePages(def, { more: false }).map((page) => page.id), ['one', 'three']);
    assert.deepEqual(validateAnswers(def, { more: false, last: 'x', detail: '' }), []);
    assert.deepEqual(validateAnswers(def, { more: true, last: 'x' }).map((error) => error.field),
      ['detail']);
  });
});

/** Posted input a browser (or anyone else) could send for a page of the form. */
function postedFor(def: FormDefinition, pageId: string): fc.Arbitrary<Record<string, string |
  string[]>> {
  const names = new Set<string>(['_csrf', '__proto__', 'constructor', 'toString']);
  for (const field of def.pages.find((page) => page.id === pageId)?.fields ?? []) {
    names.add(field.id);
    for (const part of ['day', 'month', 'year', 'line1', 'town', 'postcode']) {
      names.add(`${field.id}.${part}`);
    }
    for (const inner of field.fields ?? []) {
      for (const index of [0, 1, 2, 7]) names.add(`${field.id}.${String(index)}.${inner.id}`);
    }
  }
  const value = fc.oneof(fc.string(), fc.constantFrom('yes', 'no', '12345678', '0712345678',
    '2024', '13', ''), fc.array(fc.string(), { maxLength: 3 }));
  return fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 20 });
}

const formPages = Object.values(demoForms).flatMap((def) =>
  def.pages.map((page) => ({ def, pageId: page.id })));

describe('readPage on arbitrary input (properties)', () => {
  it('never throws, and keeps every non-blank value typed into a text-like field', () => {
    fc.assert(fc.property(fc.constantFrom(...formPages).chain(({ def, pageId }) =>
      fc.tuple(fc.constant(def), fc.constant(pageId), postedFor(def, pageId))),
    ([def, pageId, fields]) => {
      const { answers, errors } = readPage(def, pageId, post(fields), {});
      JSON.stringify(answers);
      assert.ok(errors.every((error) => typeof error.messageKey === 'string'));
      for (const error of errors) en(error.messageKey, { ...error.params, label: 'x' });
      const page = def.pages.find((candidate) => candidate.id === pageId);
      for (const field of page?.fields ?? []) {
        if (!['text', 'number', 'id-number', 'phone', 'email'].includes(field.kind)) continue;
        const typed = fields[field.id];
        const first = Array.isArray(typed) ? typed[0] : typed;
        if (first !== undefined && first.trim() !== '') assert.equal(answers[field.id], first);
      }
    }), { numRuns: 400 });
  });

  it('reading the answers back from themselves changes nothing', () => {
    fc.assert(fc.property(fc.constantFrom(...formPages).chain(({ def, pageId }) =>
      fc.tuple(fc.constant(def), fc.constant(pageId), postedFor(def, pageId))),
    ([def, pageId, fields]) => {
      const once = readPage(def, pageId, post(fields), {}).answers;
      const again = readPage(def, pageId, post(fields), once).answers;
      assert.deepEqual(again, once);
    }), { numRuns: 200 });
  });

  it('validateAnswers never reports a field hidden by showWhen', () => {
    const passport = demoForms['ordinary-passport-34-pages'] as FormDefinition;
    const conduct = demoForms['certificate-of-good-conduct'] as FormDefinition;
    fc.assert(fc.property(fc.string(), fc.constantFrom('employment', 'travel', 'other'),
      fc.boolean(), (typed, purpose, hadPassport) => {
        const passportErrors = validateAnswers(passport,
          { hadPassport, previousPassportNumber: typed.repeat(20) });
        assert.equal(passportErrors.some((error) => error.field === 'previousPassportNumber'),
          hadPassport && (typed.trim() === '' || [...typed.repeat(20).trim()].length > 9));
        const conductErrors = validateAnswers(conduct, { purpose, purposeOther: typed });
        if (purpose !== 'other') {
          assert.ok(!conductErrors.some((error) => error.field === 'purposeOther'));
        }
      }), { numRuns: 300 });
  });
});
