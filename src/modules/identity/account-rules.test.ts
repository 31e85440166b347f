import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkDocumentNumber,
  checkNewPassword,
  maskDestination,
  normaliseEmail,
  normalisePhone,
} from './account-rules.ts';

describe('identity form rules', () => {
  it('reads Kenyan phone numbers typed the local way, and international ones with +', () => {
    for (const typed of ['0712345678', '0712 345 678', '712345678', '254712345678',
      '+254 712-345-678', '+254712345678']) {
      assert.equal(normalisePhone(typed), '+254712345678', typed);
    }
    assert.equal(normalisePhone('0112345678'), '+254112345678');
    assert.equal(normalisePhone('+447911123456'), '+447911123456');
    for (const bad of ['', '12345', '0812345678', '+0712345678', 'phone', '07123456789']) {
      assert.equal(normalisePhone(bad), undefined, bad);
    }
  });

  it('accepts one plain e-mail address, lower-cased', () => {
    assert.equal(normaliseEmail(' Amina@Example.ORG '), 'amina@example.org');
    for (const bad of ['amina', 'a@b', 'a b@c.d', 'a@b.c, d@e.f', '<a@b.c>']) {
      assert.equal(normaliseEmail(bad), undefined, bad);
    }
  });

  it('checks document numbers by type, ignoring spaces and case', () => {
    assert.equal(checkDocumentNumber('national_id', ' 1234 5678 '), '12345678');
    assert.equal(checkDocumentNumber('national_id', '1234A678'), undefined);
    assert.equal(checkDocumentNumber('passport', 'c0300598'), 'C0300598');
    assert.equal(checkDocumentNumber('passport', '12345678'), undefined);
    assert.equal(checkDocumentNumber('alien_id', '987654321'), '987654321');
  });

  it('wants passwords of 10 to 200 characters that do not contain the ID number', () => {
    assert.equal(checkNewPassword('short', '1'), 'identity.field.passwordTooShort');
    assert.equal(checkNewPassword('x'.repeat(201), '1'), 'identity.field.passwordTooLong');
    assert.equal(checkNewPassword('my12345678pass', '12345678'),
      'identity.field.passwordHasDocument');
    assert.equal(checkNewPassword('a long pass phrase', '12345678'), undefined);
  });

  it('refuses the ID number however it is written, and the commonest passwords', () => {
    for (const hidden of ['my 1234 5678 pass', 'pass-12-345-678', 'x1234.5678yyyy']) {
      assert.equal(checkNewPassword(hidden, '12345678'), 'identity.field.passwordHasDocument');
    }
    assert.equal(checkNewPassword('mine c0300598 ok', 'C0300598'),
      'identity.field.passwordHasDocument');
    for (const common of ['1234567890', 'password123', 'QwertyUIOP', 'Password 123',
      'ｐａｓｓｗｏｒｄ１２３', 'basketball', '1q2w3e4r5t']) {
      assert.equal(checkNewPassword(common, '24681357'), 'identity.field.passwordTooCommon',
        common);
    }
    for (const fine of ['a long pass phrase', 'demo pass phrase', 'kahawa chungu sana']) {
      assert.equal(checkNewPassword(fine, '12345678'), undefined, fine);
    }
  });

  it('masks where a code went', () => {
    assert.equal(maskDestination('+254712345678'), '•••• 5678');
    assert.equal(maskDestination('amina@example.org'), 'a•••@example.org');
  });
});
