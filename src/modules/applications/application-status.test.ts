import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  allowedActions,
  applicationActionKinds,
  applicationStatuses,
  applicationTransitions,
  deriveApplicationStatus,
  finalStatuses,
  nextStatus,
  type ApplicationActionKind,
  type ApplicationStatus,
} from './application-status.ts';

const anyKind = fc.constantFrom(...applicationActionKinds);

/**
 * A log the table accepts: 'start', then at each step one of the actions allowed from the
 * status reached (the arbitrary picks an index into them).
 */
const acceptedLog = fc.array(fc.nat(1_000), { maxLength: 40 }).map((picks) => {
  const kinds: ApplicationActionKind[] = ['start'];
  let status: ApplicationStatus = 'draft';
  for (const pick of picks) {
    const allowed = allowedActions(status);
    if (allowed.length === 0) break;
    const kind = allowed[pick % allowed.length] as ApplicationActionKind;
    const next = nextStatus(status, kind);
    if (!next.ok) throw new Error(`allowedActions offered ${kind} from ${status}`);
    kinds.push(kind);
    status = next.status;
  }
  return { kinds, status };
});

/** The statuses a log passes through, the one before the first action excluded. */
function statusesAlong(kinds: readonly ApplicationActionKind[]): ApplicationStatus[] {
  const seen: ApplicationStatus[] = [];
  let status: ApplicationStatus | undefined;
  for (const kind of kinds) {
    const next = nextStatus(status, kind);
    if (!next.ok) throw new Error(`refused ${kind} after ${status ?? 'nothing'}`);
    status = next.status;
    seen.push(status);
  }
  return seen;
}

describe('the transition table', () => {
  it('folds every accepted log to the status nextStatus reached step by step', () => {
    fc.assert(fc.property(acceptedLog, ({ kinds, status }) => {
      assert.equal(deriveApplicationStatus(kinds), status);
    }), { numRuns: 500 });
  });

  it('throws for any log holding an action the table refuses at that point', () => {
    fc.assert(fc.property(acceptedLog, anyKind, fc.array(anyKind, { maxLength: 5 }),
      ({ kinds, status }, intruder, tail) => {
        fc.pre(!nextStatus(status, intruder).ok);
        assert.throws(() => deriveApplicationStatus([...kinds, intruder, ...tail]),
          new RegExp(`\\(${intruder}\\) cannot follow ${status}`));
      }), { numRuns: 500 });
  });

  it('an empty log has no status, and a log not opened by start is refused', () => {
    assert.equal(deriveApplicationStatus([]), undefined);
    for (const kind of applicationActionKinds.filter((k) => k !== 'start')) {
      assert.equal(nextStatus(undefined, kind).ok, false, kind);
      assert.throws(() => deriveApplicationStatus([kind]));
    }
  });

  it('takes start only first', () => {
    for (const status of applicationStatuses) {
      assert.equal(nextStatus(status, 'start').ok, false, `start after ${status}`);
    }
    fc.assert(fc.property(acceptedLog, ({ kinds }) => {
      assert.equal(kinds.lastIndexOf('start'), 0);
    }));
  });

  it('never pays after a cancel, nor anything else after a final status', () => {
    for (const status of finalStatuses) {
      assert.deepEqual(allowedActions(status), [], status);
      for (const kind of applicationActionKinds) {
        assert.equal(nextStatus(status, kind).ok, false, `${kind} after ${status}`);
      }
    }
    fc.assert(fc.property(acceptedLog, ({ kinds }) => {
      const cancelled = kinds.indexOf('cancel');
      if (cancelled >= 0) assert.equal(cancelled, kinds.length - 1, 'cancel is last');
      const along = statusesAlong(kinds);
      const final = along.findIndex((status) => finalStatuses.includes(status));
      if (final >= 0) assert.equal(final, along.length - 1, 'a final status ends the log');
    }), { numRuns: 500 });
  });

  it('reaches every status from start', () => {
    const reached = new Set<ApplicationStatus>(['draft']);
    const frontier: ApplicationStatus[] = ['draft'];
    for (let status = frontier.pop(); status !== undefined; status = frontier.pop()) {
      for (const kind of allowedActions(status)) {
        const next = nextStatus(status, kind);
        if (next.ok && !reached.has(next.status)) {
          reached.add(next.status);
          frontier.push(next.status);
        }
      }
    }
    assert.deepEqual([...reached].toSorted(), [...applicationStatuses].toSorted());
  });

  it('charges once: after payment no path leads back to awaiting-payment or a second pay', () => {
    fc.assert(fc.property(acceptedLog, ({ kinds }) => {
      assert.ok(kinds.filter((kind) => kind === 'pay').length <= 1, 'one pay');
      assert.ok(kinds.filter((kind) => kind === 'invoice').length <= 1, 'one invoice');
      const along = statusesAlong(kinds);
      const paid = along.indexOf('paid');
      if (paid >= 0) {
        const after = along.slice(paid + 1);
        assert.ok(!after.includes('awaiting-payment') && !after.includes('submitted'),
          `back before payment: ${kinds.join(' ')}`);
      }
      for (const [index, status] of along.entries()) {
        if (status === 'returned' || status === 'resubmitted') {
          assert.ok(along.slice(0, index).includes('paid'), 'a return comes after payment');
        }
      }
    }), { numRuns: 500 });
  });

  it('keeps the returned <-> resubmitted cycle inside review, as many times as it goes', () => {
    const kinds: ApplicationActionKind[] = ['start', 'submit', 'invoice', 'pay'];
    for (let round = 0; round < 5; round += 1) kinds.push('start-review', 'return', 'resubmit');
    kinds.push('start-review', 'approve', 'issue');
    assert.equal(deriveApplicationStatus(kinds), 'issued');
    const resubmitFrom = applicationTransitions.resubmit.from;
    assert.deepEqual([...resubmitFrom], ['returned']);
    assert.equal(applicationTransitions.resubmit.to, 'resubmitted');
    for (const kind of allowedActions('resubmitted')) {
      const next = nextStatus('resubmitted', kind);
      assert.ok(next.ok && next.status !== 'awaiting-payment' && next.status !== 'paid', kind);
    }
  });

  it('goes from submitted straight to paid for a free service, and cancels only before pay', () => {
    assert.equal(deriveApplicationStatus(['start', 'submit', 'pay']), 'paid');
    assert.equal(deriveApplicationStatus(['start', 'submit', 'invoice', 'cancel']), 'cancelled');
    assert.throws(() => deriveApplicationStatus(['start', 'submit', 'invoice', 'pay',
      'cancel']));
    assert.throws(() => deriveApplicationStatus(['start', 'submit', 'invoice', 'cancel',
      'pay']));
  });
});
