import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  checkoutRequestIdentifier,
  conversationIdentifier,
  hashMsisdn,
  isDarajaTimestamp,
  kenyaDateTime,
  kenyaTimestamp,
  maskMsisdn,
  parseKenyaDateTime,
  receiptNumber,
  requestIdentifier,
  statementMsisdn,
  stkPassword,
} from './emulator-formats.ts';
import { scenarioForPhone, scenarioTable } from './emulator-scenarios.ts';

// Dates between 2001 and 2099, whole seconds (Daraja timestamps have no milliseconds).
const dates = fc.integer({ min: 978_307_200, max: 4_102_444_799 })
  .map((seconds) => new Date(seconds * 1000));

describe('emulator formats', () => {
  it('writes TransTime in Kenya time: 2023-11-21 09:13:25Z is 20231121121325', () => {
    assert.equal(kenyaTimestamp(new Date('2023-11-21T09:13:25Z')), '20231121121325');
    assert.equal(kenyaDateTime(new Date('2023-11-21T09:13:25Z')), '2023-11-21 12:13:25');
    // Kenya time crosses midnight three hours before UTC does.
    assert.equal(kenyaTimestamp(new Date('2023-12-31T21:00:00Z')), '20240101000000');
  });

  it('reads "YYYY-MM-DD HH:mm:ss" back as Kenya time, for any moment', () => {
    fc.assert(fc.property(dates, (date) => {
      assert.equal(parseKenyaDateTime(kenyaDateTime(date))?.getTime(), date.getTime());
      assert.ok(isDarajaTimestamp(kenyaTimestamp(date)));
    }));
    assert.equal(parseKenyaDateTime('2020-08-04 8:36:00')?.toISOString(),
      '2020-08-04T05:36:00.000Z');
    assert.equal(parseKenyaDateTime('2020-02-30 08:36:00'), undefined);
    assert.equal(parseKenyaDateTime('yesterday'), undefined);
  });

  it('accepts only real timestamps of 14 digits', () => {
    assert.ok(isDarajaTimestamp('20191219102115'));
    for (const bad of ['2019121910211', '20191319102115', '20190230102115', '20191219246000',
      '2019121910211x']) {
      assert.equal(isDarajaTimestamp(bad), false, bad);
    }
  });

  it('builds the STK Password as base64(shortcode + passkey + timestamp)', () => {
    // Safaricom's published sandbox sample.
    assert.equal(
      stkPassword('174379', 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
        '20160216165627'),
      'MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGEx' +
      'ZWQyYzkxOTIwMTYwMjE2MTY1NjI3',
    );
  });

  it('issues receipts as M-Pesa does: year, month and day letters, then seven characters', () => {
    // The published samples: NLJ7RT61SV on 2019-12-19, RKL51ZDR4F on 2023-11-21.
    assert.match(receiptNumber(new Date('2019-12-19T07:21:15Z')), /^NLJ[A-Z0-9]{7}$/);
    assert.match(receiptNumber(new Date('2023-11-21T09:13:25Z')), /^RKL[A-Z0-9]{7}$/);
    // Kenya's date, not UTC's: 22:00Z on the 20th is already the 21st in Nairobi.
    assert.match(receiptNumber(new Date('2023-11-20T22:00:00Z')), /^RKL/);
    fc.assert(fc.property(dates, (date) => {
      assert.match(receiptNumber(date), /^[A-Z][A-L][1-9A-V][A-Z0-9]{7}$/);
    }));
  });

  it('shapes ids like Safaricom\'s', () => {
    const at = new Date('2019-12-19T07:20:36Z');
    assert.match(checkoutRequestIdentifier(at), /^ws_CO_19122019102036\d{4}$/);
    assert.match(requestIdentifier(), /^\d{4,5}-\d{7,8}-1$/);
    assert.match(conversationIdentifier(at), /^AG_20191219_[0-9a-f]{20}$/);
  });

  it('hides the payer\'s number as v2 (masked), v1 (SHA-256) and statements do', () => {
    assert.equal(maskMsisdn('254712345126'), '2547 ***** 126');
    assert.match(hashMsisdn('254712345126'), /^[0-9a-f]{64}$/);
    assert.notEqual(hashMsisdn('254712345126'), hashMsisdn('254712345127'));
    assert.equal(statementMsisdn('254708374149'), '2547******149');
  });

  it('chooses the scenario by the last four digits, success otherwise', () => {
    assert.deepEqual(scenarioForPhone('254708374149'), { kind: 'result', resultCode: 0 });
    assert.deepEqual(scenarioForPhone('254700001032'), { kind: 'result', resultCode: 1032 });
    assert.deepEqual(scenarioForPhone('254700000001'), { kind: 'result', resultCode: 1 });
    assert.deepEqual(scenarioForPhone('254700002001'), { kind: 'result', resultCode: 2001 });
    assert.deepEqual(scenarioForPhone('254700001037'), { kind: 'timeout' });
    assert.deepEqual(scenarioForPhone('254700009001'), { kind: 'lost-callback' });
    assert.deepEqual(scenarioForPhone('254700009002'), { kind: 'duplicate-callback' });
    assert.deepEqual(scenarioForPhone('254700009003'), { kind: 'delayed-callback' });
    assert.equal(new Set(scenarioTable.map((row) => row.lastDigits)).size, scenarioTable.length);
  });
});
