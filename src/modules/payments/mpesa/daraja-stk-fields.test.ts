/**
 * The STK request's disputed field types (daraja.md 5): shortcode and phones as JSON numbers by
 * default, as strings when configured; both readings are sent to the emulator and checked on
 * the wire.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { manualClock } from '#platform/clock/index.ts';
import { money } from '#platform/money/index.ts';
import type { EmulatorServer } from '#modules/daraja-emulator/index.ts';
import { startTestEmulator, testDarajaAccount } from '#test/helpers/daraja.ts';
import { createDarajaClient } from './daraja-client.ts';
import type { StkFieldTypes } from './daraja-types.ts';

const push = {
  amount: money(15_000n, 'KES'), phoneNumber: '0708374149', accountReference: 'HDM7K2QX9',
  transactionDescription: 'Passport', callbackUrl: 'http://127.0.0.1:9/stk',
};
const numberFields = ['BusinessShortCode', 'PartyA', 'PartyB', 'PhoneNumber'] as const;

describe('Daraja client: STK field types', () => {
  const clock = manualClock(new Date('2026-11-28T07:00:00Z'));
  let daraja: EmulatorServer;
  const bodies = new Map<string, Record<string, unknown>>();
  const recordingFetch: typeof fetch = async (input, init) => {
    const path = new URL(String(input)).pathname;
    if (typeof init?.body === 'string') {
      bodies.set(path, JSON.parse(init.body) as Record<string, unknown>);
    }
    return fetch(input, init);
  };
  const sentTo = (suffix: string) =>
    [...bodies].find(([path]) => path.endsWith(suffix))?.[1];

  before(async () => {
    daraja = await startTestEmulator({ clock });
  });
  after(async () => {
    await daraja.close();
  });

  const cases: readonly [StkFieldTypes | undefined, string][] =
    [[undefined, 'number'], ['numbers', 'number'], ['strings', 'string']];
  for (const [fieldTypes, jsonType] of cases) {
    it(`sends shortcode and phones as ${jsonType}s (${fieldTypes ?? 'default'})`, async () => {
      bodies.clear();
      const client = createDarajaClient({ baseUrl: daraja.baseUrl, ...testDarajaAccount,
        timeoutMs: 2_000, clock, fetch: recordingFetch,
        ...(fieldTypes === undefined ? {} : { stkFieldTypes: fieldTypes }) });
      const pushed = await client.stkPush(push);
      assert.ok(pushed.ok, JSON.stringify(pushed));
      const sent = sentTo('/mpesa/stkpush/v1/processrequest');
      for (const field of numberFields) {
        assert.equal(typeof sent?.[field], jsonType, field);
      }
      assert.equal(String(sent?.['PartyA']), '254708374149');
      assert.equal(String(sent?.['PartyB']), testDarajaAccount.shortcode);
      assert.equal(typeof sent?.['Amount'], 'number', 'the amount is always a number');
      await client.stkQuery(pushed.value.checkoutRequestId);
      assert.equal(typeof sentTo('/mpesa/stkpushquery/v1/query')?.['BusinessShortCode'], jsonType);
    });
  }
});
