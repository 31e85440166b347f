import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  hashPassword,
  needsRehash,
  verifyPassword,
  type ScryptParameters,
} from './password-hashing.ts';
import {
  generateOneTimeCode,
  generateToken,
  hashOneTimeCode,
  hashToken,
  sameSecret,
} from './secret-tokens.ts';
import {
  base32Decode,
  base32Encode,
  checkTotp,
  generateTotpSecret,
  hotp,
  otpauthUri,
  totpStepAt,
} from './totp.ts';

// Cheap parameters so property tests run fast; the defaults are tested once.
const fast: ScryptParameters = {
  costLog2: 4, blockSize: 8, parallelism: 1, keyLengthBytes: 32, saltLengthBytes: 16,
};

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one, with default parameters', async () => {
    const stored = await hashPassword('correct horse battery');
    assert.match(stored, /^\$scrypt\$ln=17,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    assert.equal(await verifyPassword('correct horse batterY', stored), false);
    assert.equal(needsRehash(stored), false);
  });

  it('a hash made at the old 2^15 still verifies and asks to be replaced', async () => {
    const old = await hashPassword('an older pass phrase', { ...fast, costLog2: 15 });
    assert.match(old, /^\$scrypt\$ln=15,/);
    assert.equal(await verifyPassword('an older pass phrase', old), true);
    assert.equal(needsRehash(old), true);
  });

  it('salts: the same password hashes differently each time', async () => {
    assert.notEqual(await hashPassword('same', fast), await hashPassword('same', fast));
  });

  it('keeps the parameters with the hash, so weaker old hashes still verify', async () => {
    const weak = await hashPassword('pass phrase', fast);
    assert.equal(await verifyPassword('pass phrase', weak), true);
    assert.equal(needsRehash(weak), true);
  });

  it('treats a malformed stored hash as no match', async () => {
    for (const bad of ['', 'plain', '$scrypt$ln=99,r=8,p=1$AAAA$AAAA', '$bcrypt$x']) {
      assert.equal(await verifyPassword('x', bad), false);
    }
  });

  it('property: any password verifies against its own hash and not another', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }),
      fc.string({ minLength: 1, maxLength: 40 }), async (password, other) => {
        const stored = await hashPassword(password, fast);
        assert.equal(await verifyPassword(password, stored), true);
        if (other.normalize('NFKC') !== password.normalize('NFKC')) {
          assert.equal(await verifyPassword(other, stored), false);
        }
      }), { numRuns: 25 });
  });
});

describe('TOTP (RFC 6238)', () => {
  // RFC 6238 appendix B: the seeds are ASCII "1234567890" repeated to the hash's length.
  const seed = (length: number) => Buffer.from('1234567890'.repeat(7).slice(0, length));
  const vectors: readonly [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];

  it('matches the RFC 6238 test vectors for SHA-1, SHA-256 and SHA-512', () => {
    for (const [seconds, sha1, sha256, sha512] of vectors) {
      const step = totpStepAt(new Date(seconds * 1000));
      assert.equal(hotp(seed(20), step, 8, 'sha1'), sha1, `sha1 at ${seconds}`);
      assert.equal(hotp(seed(32), step, 8, 'sha256'), sha256, `sha256 at ${seconds}`);
      assert.equal(hotp(seed(64), step, 8, 'sha512'), sha512, `sha512 at ${seconds}`);
    }
  });

  it('base32 round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      assert.deepEqual(base32Decode(base32Encode(Buffer.from(bytes))), Buffer.from(bytes));
    }));
    assert.equal(base32Encode(Buffer.from('12345678901234567890')),
      'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it('accepts the current step and one either side, nothing further', () => {
    const secret = generateTotpSecret();
    const now = new Date('2026-11-28T10:00:15Z');
    const codeAt = (offsetSteps: number) =>
      hotp(base32Decode(secret), totpStepAt(now) + BigInt(offsetSteps));
    assert.deepEqual(checkTotp(secret, codeAt(0), now, null),
      { ok: true, step: totpStepAt(now) });
    assert.equal(checkTotp(secret, codeAt(-1), now, null).ok, true);
    assert.equal(checkTotp(secret, codeAt(1), now, null).ok, true);
    assert.deepEqual(checkTotp(secret, codeAt(-2), now, null), { ok: false, reason: 'wrong' });
    assert.deepEqual(checkTotp(secret, codeAt(2), now, null), { ok: false, reason: 'wrong' });
    assert.deepEqual(checkTotp(secret, 'abcdef', now, null), { ok: false, reason: 'wrong' });
  });

  it('refuses a code of a step already used (replay), and older ones', () => {
    const secret = generateTotpSecret();
    const now = new Date('2026-11-28T10:00:15Z');
    const code = hotp(base32Decode(secret), totpStepAt(now));
    const first = checkTotp(secret, code, now, null);
    assert.ok(first.ok);
    assert.deepEqual(checkTotp(secret, code, now, first.step), { ok: false, reason: 'replayed' });
    const previous = hotp(base32Decode(secret), totpStepAt(now) - 1n);
    assert.equal(checkTotp(secret, previous, now, first.step).ok, false);
  });

  it('builds an otpauth URI authenticator apps read', () => {
    const uri = otpauthUri('JBSWY3DPEHPK3PXP', 'officer@agency.go.ke', 'Huduma');
    assert.equal(uri, 'otpauth://totp/Huduma%3Aofficer%40agency.go.ke?secret=JBSWY3DPEHPK3PXP' +
      '&issuer=Huduma&algorithm=SHA1&digits=6&period=30');
  });
});

describe('tokens and one-time codes', () => {
  it('makes 6-digit codes, leading zeros kept, spread over the whole range', () => {
    const codes = Array.from({ length: 2000 }, generateOneTimeCode);
    for (const code of codes) assert.match(code, /^\d{6}$/);
    assert.ok(new Set(codes.map((code) => code[0])).size === 10);
  });

  it('makes 256-bit tokens and stores only a hash of them', () => {
    const token = generateToken();
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.notEqual(hashToken(token), token);
    assert.equal(hashToken(token), hashToken(token));
  });

  it('keys code hashes by the challenge token, so a code alone is not enough', () => {
    const a = generateToken();
    const b = generateToken();
    assert.equal(hashOneTimeCode('123456', a), hashOneTimeCode('123456', a));
    assert.notEqual(hashOneTimeCode('123456', a), hashOneTimeCode('123456', b));
    assert.ok(sameSecret('x', 'x'));
    assert.ok(!sameSecret('x', 'y'));
    assert.ok(!sameSecret('x', 'xx'));
  });
});
