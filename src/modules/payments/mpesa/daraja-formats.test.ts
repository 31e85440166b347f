import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { money, toMajorString } from '#platform/money/index.ts';
import {
  darajaTimestamp,
  decimalShillings,
  kenyaDateTime,
  normalisePhoneNumber,
  parseDarajaDateTime,
  parseDarajaTimestamp,
  stkPassword,
  toWholeShillings,
  wholeShillings,
} from './daraja-formats.ts';
import { darajaJson } from './daraja-http.ts';

const kes = (amountMinor: bigint) => money(amountMinor, 'KES');

describe('Daraja formats at our boundary', () => {
  it('writes the STK Timestamp in Kenya time or UTC, as configured', () => {
    const at = new Date('2026-11-28T21:30:05Z');
    assert.equal(darajaTimestamp(at, 'kenya'), '20261129003005');
    assert.equal(darajaTimestamp(at, 'utc'), '20261128213005');
    assert.equal(kenyaDateTime(at), '2026-11-29 00:30:05');
  });

  it('builds the Password from Safaricom\'s published sample', () => {
    assert.equal(
      stkPassword('174379', 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
        '20160216165627'),
      'MTc0Mzc5YmZiMjc5ZjlhYTliZGJjZjE1OGU5N2RkNzFhNDY3Y2QyZTBjODkzMDU5YjEwZjc4ZTZiNzJhZGEx' +
      'ZWQyYzkxOTIwMTYwMjE2MTY1NjI3',
    );
  });

  it('reads TransTime 20231121121325 as 09:13:25Z, as a string or a JSON number', () => {
    assert.equal(parseDarajaTimestamp('20231121121325')?.toISOString(),
      '2023-11-21T09:13:25.000Z');
    assert.equal(parseDarajaTimestamp(20191219102115)?.toISOString(),
      '2019-12-19T07:21:15.000Z');
    for (const bad of ['2023112112132', '20231321121325', '20230229121325', 'x', 2.5e13, null]) {
      assert.equal(parseDarajaTimestamp(bad), undefined, String(bad));
    }
    fc.assert(fc.property(fc.integer({ min: 978_307_200, max: 4_102_444_799 }), (seconds) => {
      const date = new Date(seconds * 1000);
      assert.equal(parseDarajaTimestamp(darajaTimestamp(date, 'kenya'))?.getTime(),
        date.getTime());
      assert.equal(parseDarajaDateTime(kenyaDateTime(date))?.getTime(), date.getTime());
    }));
    assert.equal(parseDarajaDateTime('2020-08-05T10:13:00Z')?.toISOString(),
      '2020-08-05T10:13:00.000Z');
    assert.equal(parseDarajaDateTime('2020-08-05T10:13:00'), undefined, 'no zone, no guess');
  });

  it('reads shillings exactly, from text or JSON numbers, for every amount', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999_99n }), (amountMinor) => {
      assert.deepEqual(decimalShillings(toMajorString(kes(amountMinor))), kes(amountMinor));
    }));
    const wholeMax = Math.floor(Number.MAX_SAFE_INTEGER / 100);
    fc.assert(fc.property(fc.integer({ min: 0, max: wholeMax }), (whole) => {
      assert.deepEqual(wholeShillings(whole), kes(BigInt(whole) * 100n));
    }));
    assert.deepEqual(decimalShillings('5.00'), kes(500n));
    assert.deepEqual(decimalShillings('400.0'), kes(40_000n));
    assert.deepEqual(decimalShillings(1.0), kes(100n));
    assert.deepEqual(decimalShillings(0.1), kes(10n));
    for (const bad of ['5.001', '-5', '1e3', '', ' ', 'NaN', 1e21, 0.1 + 0.2, -1, Number.NaN,
      undefined, {}]) {
      assert.equal(decimalShillings(bad), undefined, String(bad));
    }
  });

  it('refuses fractions where the contract wants whole shillings', () => {
    assert.deepEqual(wholeShillings(150), kes(15_000n));
    assert.deepEqual(wholeShillings('150.00'), kes(15_000n));
    assert.equal(wholeShillings(150.5), undefined);
    assert.equal(wholeShillings('150.50'), undefined);
    assert.equal(toWholeShillings(kes(15_000n)), 150n);
    assert.equal(toWholeShillings(kes(15_050n)), undefined, 'M-Pesa takes no cents');
    assert.equal(toWholeShillings(kes(0n)), undefined);
    assert.equal(toWholeShillings(money(100n, 'USD')), undefined);
  });

  it('writes bigints as exact JSON numbers', () => {
    assert.equal(darajaJson({ Amount: 150n, PartyA: 254708374149n, Name: 'x' }),
      '{"Amount":150,"PartyA":254708374149,"Name":"x"}');
    assert.equal(darajaJson({ Big: 9_007_199_254_740_993n }), '{"Big":9007199254740993}');
  });

  it('normalises the phone numbers people type', () => {
    for (const typed of ['0708374149', '0708 374 149', '+254708374149', '254708374149',
      '708374149', '254-708-374-149']) {
      assert.equal(normalisePhoneNumber(typed), '254708374149', typed);
    }
    assert.equal(normalisePhoneNumber('0110123456'), '254110123456');
    for (const bad of ['0208374149', '25470837414', '2547083741490', 'phone', '']) {
      assert.equal(normalisePhoneNumber(bad), undefined, bad);
    }
  });
});
