/**
 * A limit on password hashing, the costliest thing a stranger can make us do (scrypt: about
 * 300 ms of one core and 128 MiB each). At most `concurrentMax` hashes run at once and at most
 * `queuedMax` wait, each for at most `queueWaitMsMax`; anything beyond is refused at once, so a
 * flood of sign-ins (a new address each time, under every per-address limit) is answered
 * quickly with "busy, retry after" instead of piling up into 15-second waits, and the sign-ins
 * admitted still finish in time. One gate per app process (identity deps).
 */
import {
  hashPassword,
  needsRehash,
  verifyAgainstNothing,
  verifyPassword,
} from './password-hashing.ts';

export type PasswordHashGateLimits = Readonly<{
  concurrentMax: number;
  queuedMax: number;
  queueWaitMsMax: number;
}>;

export type GateOutcome<T> = Readonly<{ admitted: true; value: T }> |
  Readonly<{ admitted: false }>;

export type PasswordHashGate = Readonly<{
  /** Runs `work` in a slot, or refuses it (queue full, or no slot within the wait). */
  run: <T>(work: () => Promise<T>) => Promise<GateOutcome<T>>;
  /** True when a new request would be refused now: check before costlier steps. */
  full: () => boolean;
}>;

type Waiter = { admit: () => void; timer: NodeJS.Timeout };

export function passwordHashGate(limits: PasswordHashGateLimits): PasswordHashGate {
  let running = 0;
  const queue: Waiter[] = [];

  const release = () => {
    const next = queue.shift();
    if (next === undefined) {
      running -= 1;
      return;
    }
    clearTimeout(next.timer);
    next.admit();
  };

  const acquire = (): Promise<boolean> => {
    if (running < limits.concurrentMax) {
      running += 1;
      return Promise.resolve(true);
    }
    if (queue.length >= limits.queuedMax) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        // The slot passes straight from the one releasing it: `running` does not change.
        admit: () => resolve(true),
        timer: setTimeout(() => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          resolve(false);
        }, limits.queueWaitMsMax),
      };
      waiter.timer.unref();
      queue.push(waiter);
    });
  };

  return Object.freeze({
    run: async <T>(work: () => Promise<T>): Promise<GateOutcome<T>> => {
      if (!await acquire()) return { admitted: false };
      try {
        return { admitted: true, value: await work() };
      } finally {
        release();
      }
    },
    full: () => running >= limits.concurrentMax && queue.length >= limits.queuedMax,
  });
}

export type PasswordVerdict = 'busy' | Readonly<{ matches: boolean; rehash: string | null }>;

/**
 * Checks `password` against `stored` in a slot of the gate; a missing hash (no such account)
 * spends the time of a check all the same. A match against a hash weaker than today's
 * parameters also gives its replacement, hashed in the same slot.
 */
export async function checkPasswordAtGate(
  gate: PasswordHashGate,
  password: string,
  stored: string | null,
): Promise<PasswordVerdict> {
  const outcome = await gate.run(async () => {
    if (stored === null) return { matches: await verifyAgainstNothing(password), rehash: null };
    const matches = await verifyPassword(password, stored);
    const rehash = matches && needsRehash(stored) ? await hashPassword(password) : null;
    return { matches, rehash };
  });
  return outcome.admitted ? outcome.value : 'busy';
}

/** The hash of a new password, made in a slot of the gate; 'busy' when refused. */
export async function hashPasswordAtGate(
  gate: PasswordHashGate,
  password: string,
): Promise<string | 'busy'> {
  const outcome = await gate.run(() => hashPassword(password));
  return outcome.admitted ? outcome.value : 'busy';
}
