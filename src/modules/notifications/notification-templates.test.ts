import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  notificationTemplates,
  placeholdersOf,
  renderNotification,
  substitute,
  templateCopy,
  type TemplateDefinition,
} from './notification-templates.ts';
import { fitsOneSms, gsm7Length, isGsm7 } from './sms-text.ts';

const templates = Object.entries(notificationTemplates) as [string, TemplateDefinition][];
const languages = ['en', 'sw'] as const;

describe('notification templates', () => {
  it('has the templates other modules send', () => {
    for (const name of [
      'identity.sign-in-code', 'identity.password-reset-code', 'identity.contact-change-code',
      'identity.registration-welcome', 'payments.payment-received', 'payments.credit-available',
    ]) {
      assert.ok(Object.hasOwn(notificationTemplates, name), name);
    }
  });

  it('has copy in English and Swahili for exactly the catalogue\'s templates', () => {
    for (const language of languages) {
      assert.deepEqual(Object.keys(templateCopy[language]).sort(),
        Object.keys(notificationTemplates).sort(), language);
    }
  });

  it('uses exactly the declared parameters in every text of every language', () => {
    for (const [name, definition] of templates) {
      assert.deepEqual(Object.keys(definition.example).sort(), [...definition.params].sort());
      for (const language of languages) {
        const copy = templateCopy[language][name];
        assert.ok(copy !== undefined);
        const used = placeholdersOf(`${copy.sms} ${copy.subject} ${copy.email}`);
        assert.deepEqual(used, [...definition.params].sort(), `${language} ${name}`);
        assert.deepEqual(placeholdersOf(copy.sms), [...definition.params].sort(),
          `${language} ${name}: the SMS must carry every parameter`);
      }
    }
  });

  it('fits each SMS, with the longest realistic values, in one 160-character GSM message', () => {
    for (const [name, definition] of templates) {
      for (const language of languages) {
        const { body } = renderNotification({ channel: 'sms', template: name, language,
          params: definition.example });
        assert.ok(isGsm7(body), `${language} ${name} has a character outside GSM 7-bit`);
        assert.ok(fitsOneSms(body),
          `${language} ${name} is ${gsm7Length(body)} characters: "${body}"`);
      }
    }
  });

  it('renders e-mail with a subject, and substitutes every parameter', () => {
    const rendered = renderNotification({
      channel: 'email', template: 'payments.payment-received', language: 'sw',
      params: { amount: 'KES 1,050.00', billReference: 'HD7K2M9QX4PL', receiptNumber: 'TKL9X2' },
    });
    assert.equal(rendered.subject, 'Malipo ya bili HD7K2M9QX4PL yamepokelewa');
    assert.match(rendered.body, /^Tumepokea KES 1,050\.00 kwa bili HD7K2M9QX4PL\./);
    assert.match(rendered.body, /TKL9X2/);
    assert.doesNotMatch(rendered.body, /\{\w+\}/);
  });

  it('throws on an unknown template, a missing parameter or an unexpected one', () => {
    const base = { channel: 'sms' as const, language: 'en' as const };
    assert.throws(() => renderNotification({ ...base, template: 'identity.nope', params: {} }),
      /unknown notification template/);
    assert.throws(() => renderNotification({ ...base, template: 'identity.sign-in-code',
      params: { code: '1' } }), /takes parameters code, minutes/);
    assert.throws(() => renderNotification({ ...base, template: 'identity.sign-in-code',
      params: { code: '1', minutes: '5', name: 'x' } }), /takes parameters/);
  });

  it('substitutes in one pass: a value that looks like a placeholder stays as it is', () => {
    assert.equal(substitute('{a} and {b}', { a: '{b}', b: 'B' }), '{b} and B');
  });
});

describe('SMS length (GSM 03.38)', () => {
  it('counts basic characters once and extension characters twice', () => {
    assert.equal(gsm7Length('Habari'), 6);
    assert.equal(gsm7Length('€[]'), 6);
    assert.equal(gsm7Length('KES 1,000 @ £'), 13);
  });

  it('refuses characters outside the GSM alphabet (they force UCS-2)', () => {
    assert.equal(gsm7Length('curly ’quote’'), undefined);
    assert.equal(isGsm7('emoji 🙂'), false);
    assert.equal(fitsOneSms('x'.repeat(160)), true);
    assert.equal(fitsOneSms('x'.repeat(161)), false);
    assert.equal(fitsOneSms(`${'x'.repeat(159)}€`), false);
  });
});
