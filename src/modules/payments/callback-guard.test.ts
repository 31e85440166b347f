import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callbackTokenMatches, sourceAllowList } from './callback-guard.ts';

describe('callback guard', () => {
  it('matches only the exact token', () => {
    const secret = 'c2b_token-0123456789abcdefXYZ';
    assert.equal(callbackTokenMatches(secret, secret), true);
    for (const wrong of ['', secret.slice(0, -1), `${secret}x`, secret.toUpperCase(), 'x']) {
      assert.equal(callbackTokenMatches(wrong, secret), false, wrong);
    }
  });

  it('allows addresses inside the ranges only, IPv4, IPv6 and IPv4-mapped IPv6', () => {
    const list = sourceAllowList(['196.201.214.0/24', '127.0.0.0/8', '::1/128']);
    const table: ReadonlyArray<readonly [string, boolean]> = [
      ['196.201.214.200', true],
      ['196.201.214.0', true],
      ['196.201.215.1', false],
      ['::ffff:196.201.214.9', true],
      ['127.0.0.1', true],
      ['::1', true],
      ['::2', false],
      ['10.0.0.1', false],
      ['not an address', false],
      ['', false],
    ];
    for (const [address, allowed] of table) assert.equal(list.allows(address), allowed, address);
  });

  it('refuses a malformed range when built', () => {
    assert.throws(() => sourceAllowList(['196.201.214.0']), /CIDR/);
    assert.throws(() => sourceAllowList(['example.org/24']), /CIDR/);
  });
});
