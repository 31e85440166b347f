import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInternalHost, outboundUrlAccepted } from './outbound-url.ts';

describe('outbound addresses', () => {
  it('knows a host that is plainly this machine or a private network', () => {
    for (const host of ['localhost', 'db.localhost', 'api.internal', 'printer.local', '10.1.2.3',
      '127.0.0.1', '0.0.0.0', '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.168.1.1',
      '100.64.0.1', '[::1]', '::', 'fd00::1', 'fe80::1']) {
      assert.ok(isInternalHost(host), host);
    }
    for (const host of ['agency.example', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:db8::1']) {
      assert.ok(!isInternalHost(host), host);
    }
  });

  it('takes only https to outside hosts in production', () => {
    const production = { production: true, httpOutsideProduction: 'any' } as const;
    assert.ok(outboundUrlAccepted('https://agency.example/hook', production));
    assert.ok(!outboundUrlAccepted('http://agency.example/hook', production));
    assert.ok(!outboundUrlAccepted('https://10.0.0.5/hook', production));
    assert.ok(!outboundUrlAccepted('https://user:secret@agency.example/hook', production));
    assert.ok(!outboundUrlAccepted('not a url', production));
  });

  it('outside production also plain http, to this machine or anywhere as the caller says', () => {
    const loopback = { production: false, httpOutsideProduction: 'loopback' } as const;
    assert.ok(outboundUrlAccepted('http://127.0.0.1:4200/ipn', loopback));
    assert.ok(!outboundUrlAccepted('http://agency.example/ipn', loopback));
    assert.ok(outboundUrlAccepted('http://agency.example/ipn',
      { production: false, httpOutsideProduction: 'any' }));
    assert.ok(!outboundUrlAccepted('ftp://agency.example/x', loopback));
  });

  it('holds the length and, when asked, refuses a fragment', () => {
    const rule = { production: true, httpOutsideProduction: 'loopback', lengthMax: 40,
      refuseFragment: true } as const;
    assert.ok(outboundUrlAccepted('https://agency.example/a', rule));
    assert.ok(!outboundUrlAccepted('https://agency.example/a#b', rule));
    assert.ok(!outboundUrlAccepted(`https://agency.example/${'a'.repeat(40)}`, rule));
  });
});
