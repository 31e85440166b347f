import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { censor, createLogger, scrub } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'trace', destination: { write: (line: string) => {
    lines.push(line);
  } } });
  return { logger, lines };
}

describe('logger: personal data never written', () => {
  it('censors personal fields at any depth we log, and leaves the rest as it was', () => {
    const { logger, lines } = capture();
    const detail = { invoiceId: 'inv-1', payer: { phone: '+254700000001', kind: 'citizen' } };
    logger.info({ email: 'a@example.org', detail, list: [{ MSISDN: '254700000002' }],
      deep: { a: { b: { firstName: 'Wanjiku' } } }, headers: { cookie: 'session=abc' },
      amountMinor: '1050' }, 'paid');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    assert.deepEqual(line.detail,
      { invoiceId: 'inv-1', payer: { phone: censor, kind: 'citizen' } });
    assert.equal(line.email, censor);
    assert.deepEqual(line.list, [{ MSISDN: censor }]);
    assert.deepEqual(line.deep, { a: { b: { firstName: censor } } });
    assert.deepEqual(line.headers, { cookie: censor });
    assert.equal(line.amountMinor, '1050');
    assert.equal(line.msg, 'paid');
    assert.equal(detail.payer.phone, '+254700000001', 'the caller\'s object is not changed');
    for (const raw of ['+254700000001', 'a@example.org', '254700000002', 'Wanjiku', 'abc']) {
      assert.ok(!(lines[0] ?? '').includes(raw), raw);
    }
  });

  it('censors a child logger\'s bindings and keeps errors whole', () => {
    const { logger, lines } = capture();
    logger.child({ reqId: 'req-1', phone: '+254700000003' })
      .error({ err: new Error('boom') }, 'failed');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    assert.equal(line.reqId, 'req-1');
    assert.equal(line.phone, censor);
    assert.match(String((line.err as { message?: string }).message), /boom/);
    assert.ok(typeof line.pid === 'number' && typeof line.hostname === 'string');
  });

  it('never writes a value held under a personal field (property)', () => {
    const personal = fc.constantFrom('phone', 'email', 'firstName', 'lastName', 'msisdn',
      'password', 'code', 'idNumber');
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' },
        fc.constantFrom('ok', 1, null),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'detail'), tie('node'), { maxKeys: 3 })),
    })).node;
    fc.assert(fc.property(fc.array(fc.tuple(fc.array(fc.constantFrom('a', 'detail'),
      { maxLength: 2 }), personal), { minLength: 1, maxLength: 4 }), tree, (placements, base) => {
      const { logger, lines } = capture();
      const object: Record<string, unknown> = { base };
      placements.forEach(([pathKeys, field], index) => {
        let at = object;
        for (const key of pathKeys) {
          const next = at[key];
          at = typeof next === 'object' && next !== null && !Array.isArray(next)
            ? next as Record<string, unknown> : (at[key] = {}) as Record<string, unknown>;
        }
        at[field] = `PERSONAL-${index}`;
      });
      logger.info(object, 'line');
      assert.ok(!(lines[0] ?? '').includes('PERSONAL-'), lines[0]);
    }));
  });

  it('returns an untouched value itself, without copying', () => {
    const clean = { a: { b: [1, 2, { c: 'x' }] } };
    assert.equal(scrub(clean), clean);
  });
});
