/**
 * The legacy hashes against vectors computed outside this code (Python's hmac and base64, by
 * the recipes docs/pesaflow.md records), in both encodings: base64 of the lowercase hex
 * digest (the official PHP sample) and of the raw digest (the TypeScript package). Then the
 * strict form: the protocol's keys only, case-sensitive; and the retry schedule.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { readCheckoutForm } from './pesaflow-form.ts';
import {
  checkoutHashMatches,
  checkoutHashMessage,
  ipnSignature,
  isHashEncoding,
  isIpnRecipe,
  pesaflowHmac,
  sameHash,
  statusHash,
} from './pesaflow-hash.ts';
import { ipnRetryWindowMs, nextIpnAttemptAt } from './pesaflow-ipn.ts';
import { isInternalHost, notificationUrlAccepted } from './pesaflow-urls.ts';

const apiKey = 'pfk_test-key-0123456789';
const secret = 'pfs_test-secret-0123456789';
const fields = { apiClientID: '12345678', amountExpected: '100.00', serviceID: 'land-rates',
  clientIDNumber: '12345678', currency: 'KES', billRefNumber: 'INV-001',
  billDesc: 'Land rates 2026', clientName: 'Wanjiku Kamau' };
/** Computed with Python: base64.b64encode(hmac.new(key, msg, sha256).hexdigest().encode()). */
const hexVector = 'ZmUyYzg2Nzc3MGY4ZDI1ZTY0NTZiMGYzZTNjYTgwMmMwYTZkNzZkZGQ3Y2JlMmRiZWI3YmJkMzg2' +
  'NzEzNjU2ZA==';
/** base64.b64encode(hmac.new(key, msg, sha256).digest()). */
const rawVector = '/iyGd3D40l5kVrDz48qALAptdt3Xy+Lb63u9OGcTZW0=';

describe('Pesaflow secure hashes', () => {
  it('signs the checkout as the PHP sample does (base64 of the hex digest)', () => {
    const keys = { apiKey, secret, encoding: 'hex-base64' as const };
    assert.equal(pesaflowHmac(apiKey, checkoutHashMessage(fields, secret), 'hex-base64'),
      hexVector);
    assert.ok(checkoutHashMatches(keys, fields, hexVector));
    assert.ok(!checkoutHashMatches(keys, fields, rawVector), 'the other encoding is refused');
    assert.ok(!checkoutHashMatches(keys, { ...fields, amountExpected: '10.00' }, hexVector));
  });

  it('signs the checkout as the TypeScript package does (base64 of the raw digest)', () => {
    const keys = { apiKey, secret, encoding: 'raw-base64' as const };
    assert.equal(pesaflowHmac(apiKey, checkoutHashMessage(fields, secret), 'raw-base64'),
      rawVector);
    assert.ok(checkoutHashMatches(keys, fields, rawVector));
    assert.ok(!checkoutHashMatches(keys, fields, hexVector));
    const independent = createHmac('sha256', apiKey).update(Object.values(fields).join('') +
      secret).digest('base64');
    assert.equal(independent, rawVector, 'the message is the fields in the recorded order');
  });

  it('signs the status query and both IPN recipes', () => {
    const hex = { apiKey, secret, encoding: 'hex-base64' as const };
    assert.equal(statusHash(hex, '12345678', 'GWLQKD'), 'MzkyZjMyM2I5YmJlMzQ0ZDkwMTE5ZDVhNTY3' +
      'MTg5MjUyZjdmZmU1MWM4ZmZjYmJmMmUyNjkzYTYyODkyNjYwOA==');
    const ipn = { client_invoice_ref: 'INV-001', invoice_number: 'GWLQKD', amount_paid: '105.00',
      payment_date: '2026-12-01T09:00:00.000Z' };
    assert.equal(ipnSignature({ ...hex, recipe: 'invoice-amount' }, ipn),
      'NmE2YTc0ZTdlM2NjMWY5NjVhMjYzNzA3YTU0NTI1ZDMwZjIyNDMwZDE5YjQ3M2Y3MTRjOGZiNDE5NDg4NzM2NA==');
    assert.equal(ipnSignature({ apiKey, secret, encoding: 'raw-base64',
      recipe: 'ref-invoice-amount-date' }, ipn), 'HltHB+fxXgpg57uKasaCPmkkLAR8WzdDsk/N/6YACrI=');
  });

  it('compares in constant time and knows its settings', () => {
    assert.ok(sameHash('abc', 'abc'));
    assert.ok(!sameHash('abc', 'abd'));
    assert.ok(!sameHash('abc', 'abcd'));
    assert.ok(isHashEncoding('raw-base64') && !isHashEncoding('hex'));
    assert.ok(isIpnRecipe('invoice-amount') && !isIpnRecipe('other'));
  });
});

describe('the checkout form', () => {
  const form = { ...fields, callBackURLOnSuccess: 'https://agency.example/paid',
    notificationURL: 'https://agency.example/ipn', secureHash: hexVector };

  it('reads a complete form; json or iframe; sendSTK needs clientMSISDN', () => {
    const read = readCheckoutForm({ ...form, format: 'json', clientMSISDN: '254708374149',
      sendSTK: 'true', clientEmail: '', pictureURL: 'https://agency.example/logo.png' });
    assert.ok(read.ok);
    assert.equal(read.value.format, 'json');
    assert.equal(read.value.sendStkTo, '254708374149');
    const iframe = readCheckoutForm(form);
    assert.ok(iframe.ok && iframe.value.format === 'iframe');
    assert.equal(iframe.value.sendStkTo, undefined);
    const noPhone = readCheckoutForm({ ...form, sendSTK: 'true' });
    assert.ok(!noPhone.ok && noPhone.error.fields?.clientMSISDN === 'required');
  });

  it('refuses a misspelled key, a missing one, a repeated one and a bad value', () => {
    const misspelled = readCheckoutForm({ ...form, callBackURLONSuccess: 'https://x.example' });
    assert.ok(!misspelled.ok);
    assert.equal(misspelled.error.code, 'PESAFLOW_FIELDS_INVALID');
    assert.match(misspelled.error.detail ?? '', /callBackURLONSuccess/);
    const { notificationURL: _dropped, ...missing } = form;
    const absent = readCheckoutForm(missing);
    assert.ok(!absent.ok && absent.error.fields?.notificationURL === 'required');
    assert.ok(!readCheckoutForm({ ...form, billRefNumber: ['A', 'B'] }).ok);
    assert.ok(!readCheckoutForm({ ...form, amountExpected: '1e3' }).ok);
    assert.ok(!readCheckoutForm({ ...form, callBackURLOnSuccess: 'javascript:alert(1)' }).ok);
    assert.ok(!readCheckoutForm({ ...form, billDesc: '' }).ok);
    assert.ok(!readCheckoutForm({ ...form, billDesc: 'Rates\u0000' }).ok, 'no NUL');
    assert.ok(!readCheckoutForm({ ...form, clientName: 'A\nB' }).ok, 'no control characters');
  });
});

describe('IPN retries', () => {
  it('backs off with jitter and gives up after three days', () => {
    const created = new Date('2026-12-01T09:00:00Z');
    const first = nextIpnAttemptAt(created, 1, created, () => 0.5);
    assert.equal(first?.getTime(), created.getTime() + 10_000);
    const low = nextIpnAttemptAt(created, 2, created, () => 0);
    assert.equal(low?.getTime(), created.getTime() + 24_000);
    const late = new Date(created.getTime() + ipnRetryWindowMs - 1_000);
    assert.equal(nextIpnAttemptAt(created, 20, late, () => 0.5), null);
  });
});

describe('the notificationURL', () => {
  it('is https and public in production; elsewhere also http to this machine', () => {
    assert.ok(notificationUrlAccepted('https://agency.example/ipn', true));
    for (const url of ['http://agency.example/ipn', 'https://10.0.0.5/ipn',
      'https://192.168.1.2/ipn', 'https://172.20.0.1/ipn', 'https://169.254.169.254/latest',
      'https://[::1]/ipn', 'https://[fd00::1]/ipn', 'https://db.internal/ipn',
      'https://printer.local/ipn', 'https://localhost/ipn', 'https://100.64.0.1/ipn',
      'https://user:pass@agency.example/ipn', 'not a url']) {
      assert.ok(!notificationUrlAccepted(url, true), url);
    }
    assert.ok(notificationUrlAccepted('https://8.8.8.8/ipn', true));
    assert.ok(notificationUrlAccepted('http://127.0.0.1:4200/ipn', false));
    assert.ok(!notificationUrlAccepted('http://agency.example/ipn', false));
    assert.ok(!isInternalHost('agency.example'));
  });
});
