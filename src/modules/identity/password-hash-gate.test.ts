import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { checkPasswordAtGate, passwordHashGate } from './password-hash-gate.ts';
import { hashPassword } from './password-hashing.ts';

describe('password-hash gate', () => {
  it('runs at most concurrentMax at once, queues queuedMax and refuses the rest at once',
    async () => {
      const gate = passwordHashGate({ concurrentMax: 2, queuedMax: 3, queueWaitMsMax: 5_000 });
      let running = 0;
      let runningMax = 0;
      const work = async () => {
        running += 1;
        runningMax = Math.max(runningMax, running);
        await sleep(30);
        running -= 1;
        return 'done';
      };
      const started = Date.now();
      const refusedAt: number[] = [];
      const outcomes = await Promise.all(Array.from({ length: 20 }, async () => {
        const outcome = await gate.run(work);
        if (!outcome.admitted) refusedAt.push(Date.now() - started);
        return outcome;
      }));
      assert.equal(outcomes.filter((outcome) => outcome.admitted).length, 5);
      assert.equal(runningMax, 2);
      assert.equal(refusedAt.length, 15);
      assert.ok(refusedAt.every((ms) => ms < 20), `refused at once: ${refusedAt.join(',')}`);
      assert.equal(gate.full(), false, 'every slot is free again');
    });

  it('refuses one that waited too long in the queue, and frees its place', async () => {
    const gate = passwordHashGate({ concurrentMax: 1, queuedMax: 1, queueWaitMsMax: 20 });
    const long = gate.run(() => sleep(100));
    assert.equal(gate.full(), false);
    const waited = gate.run(() => sleep(1));
    assert.equal(gate.full(), true);
    assert.deepEqual(await waited, { admitted: false });
    assert.equal(gate.full(), false);
    assert.equal((await long).admitted, true);
    assert.deepEqual(await gate.run(async () => 7), { admitted: true, value: 7 });
  });

  it('a failing work item gives its slot back', async () => {
    const gate = passwordHashGate({ concurrentMax: 1, queuedMax: 0, queueWaitMsMax: 10 });
    await assert.rejects(gate.run(() => Promise.reject(new Error('boom'))), /boom/);
    assert.equal((await gate.run(async () => 1)).admitted, true);
  });

  it('checks a password and gives a stronger hash for a weak old one', async () => {
    const gate = passwordHashGate({ concurrentMax: 1, queuedMax: 0, queueWaitMsMax: 10 });
    const weak = await hashPassword('an older pass phrase', {
      costLog2: 4, blockSize: 8, parallelism: 1, keyLengthBytes: 32, saltLengthBytes: 16,
    });
    const verdict = await checkPasswordAtGate(gate, 'an older pass phrase', weak);
    assert.ok(verdict !== 'busy' && verdict.matches);
    assert.match(verdict.rehash ?? '', /^\$scrypt\$ln=17,r=8,p=1\$/);
    const wrong = await checkPasswordAtGate(gate, 'not it at all', weak);
    assert.deepEqual(wrong, { matches: false, rehash: null });
    const nobody = await checkPasswordAtGate(gate, 'whatever', null);
    assert.deepEqual(nobody, { matches: false, rehash: null });
  });
});
