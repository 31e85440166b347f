import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { safeReturnPath } from './return-path.ts';

const origin = 'https://huduma.example';

describe('safeReturnPath', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    assert.equal(safeReturnPath('/account'), '/account');
    assert.equal(safeReturnPath('/pay/AB12?x=1#top'), '/pay/AB12?x=1#top');
    assert.equal(safeReturnPath('/services/a/../b'), '/services/b');
  });

  it('refuses anything a browser would read as another host', () => {
    for (const hostile of ['//evil.example', '/\t/evil.example', '/\n/evil.example',
      '/\r/evil.example', '/\\evil.example', '\\/evil.example', 'https://evil.example',
      'javascript:alert(1)', '/.//evil.example', '/..//evil.example', ' /account',
      '/%09/x/../..//evil.example', 'evil.example', '', '/\u0000x', '/ /evil.example']) {
      const kept = safeReturnPath(hostile, '/fallback');
      assert.ok(kept === '/fallback' || new URL(kept, origin).origin === origin,
        `${JSON.stringify(hostile)} -> ${kept}`);
      assert.ok(!kept.startsWith('//'), JSON.stringify(hostile));
    }
    assert.equal(safeReturnPath('/\t/evil.example', '/account'), '/account');
    assert.equal(safeReturnPath(undefined, '/account'), '/account');
  });

  it('percent-encodes characters a Location header cannot carry', () => {
    assert.equal(safeReturnPath('/tafuta?q=ĉai'), '/tafuta?q=%C4%89ai');
    assert.equal(safeReturnPath('/😀'), '/%F0%9F%98%80');
  });

  it('answers, for any text, a same-origin path of printable ASCII', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }),
      fc.string().map((tail) => `/${tail}`), fc.webUrl(), fc.webPath()), (value) => {
      const kept = safeReturnPath(value);
      assert.match(kept, /^\/(?!\/)[\x21-\x7e]*$/);
      assert.equal(new URL(kept, origin).origin, origin);
    }), { numRuns: 2_000 });
  });
});
