import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuByFunction, packageOf } from './cpu-profile.ts';

describe('CPU profile summary', () => {
  it('names where a function lives', () => {
    assert.equal(packageOf('file:///app/node_modules/@fastify/ajv-compiler/index.js', 'f'),
      '@fastify/ajv-compiler');
    assert.equal(packageOf('file:///app/node_modules/pg/lib/client.js', 'f'), 'pg');
    assert.equal(packageOf('file:///app/src/modules/payments/ingest-service.ts', 'f'),
      'src/modules/payments');
    assert.equal(packageOf('node:internal/streams/writable', 'f'), 'node (built-in modules)');
    assert.equal(packageOf('', '(garbage collector)'), '(garbage collector)');
    assert.equal(packageOf('', 'writev'), '(native)');
  });

  it('adds each sample\'s time to the function it landed in', () => {
    const summary = cpuByFunction({
      nodes: [
        { id: 1, callFrame: { functionName: 'parse', url: 'file:///a/node_modules/pg/x.js',
          lineNumber: 9 } },
        { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
      ],
      samples: [1, 2, 1, 1],
      timeDeltas: [1_000, 5_000, 2_000, 3_000],
    });
    assert.equal(summary.totalMs, 11);
    assert.deepEqual(summary.byFunction, [
      { name: 'parse x.js:10', ms: 6 }, { name: '(idle) :0', ms: 5 }]);
    assert.deepEqual(summary.byPackage, [{ name: 'pg', ms: 6 }, { name: '(idle)', ms: 5 }]);
  });
});
