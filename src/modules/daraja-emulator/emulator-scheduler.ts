/**
 * Time in the emulator: callbacks are sent "later" through a Scheduler, so tests can use real
 * (short) timers or a manual scheduler that moves a manual clock and runs what falls due.
 * The task tracker counts work in flight, so a test can wait until the emulator is idle.
 */
import type { Clock } from '#platform/clock/index.ts';

export type Scheduler = Readonly<{
  /** Runs task after delayMs; returns a function that cancels it. */
  schedule: (delayMs: number, task: () => Promise<void>) => () => void;
}>;

export const timerScheduler: Scheduler = Object.freeze({
  schedule: (delayMs: number, task: () => Promise<void>) => {
    const timer = setTimeout(() => void task(), delayMs);
    return () => clearTimeout(timer);
  },
});

export type ManualScheduler = Scheduler & Readonly<{
  /** Moves the clock forward, running every task that falls due, in time order. */
  advanceMs: (ms: number) => Promise<void>;
  pendingCount: () => number;
}>;

type Due = { atMs: number; sequence: number; task: () => Promise<void> };

/** A scheduler for tests: nothing runs until advanceMs(); it moves `clock` as it goes. */
export function manualScheduler(
  clock: Clock & Readonly<{ advanceMs: (ms: number) => void }>,
): ManualScheduler {
  let queue: Due[] = [];
  let sequence = 0;
  return {
    schedule: (delayMs, task) => {
      const due = { atMs: clock.now().getTime() + delayMs, sequence: sequence += 1, task };
      queue.push(due);
      return () => {
        queue = queue.filter((item) => item !== due);
      };
    },
    advanceMs: async (ms) => {
      const targetMs = clock.now().getTime() + ms;
      for (;;) {
        queue.sort((a, b) => a.atMs - b.atMs || a.sequence - b.sequence);
        const next = queue[0];
        if (next === undefined || next.atMs > targetMs) break;
        queue.shift();
        clock.advanceMs(Math.max(next.atMs - clock.now().getTime(), 0));
        await next.task();
      }
      clock.advanceMs(Math.max(targetMs - clock.now().getTime(), 0));
    },
    pendingCount: () => queue.length,
  };
}

export type TaskTracker = Readonly<{
  /** Runs task after delayMs, counted as in flight until it ends. */
  later: (delayMs: number, task: () => Promise<void>) => void;
  /** Counts a promise already started as in flight until it settles. */
  track: <T>(work: Promise<T>) => Promise<T>;
  /** Resolves once nothing is scheduled or running. */
  idle: () => Promise<void>;
  /** Cancels everything scheduled; running work finishes but is no longer waited for. */
  cancelAll: () => void;
}>;

export function createTaskTracker(
  scheduler: Scheduler,
  onError: (error: unknown) => void,
): TaskTracker {
  let inFlight = 0;
  // Work started before cancelAll() must not count against work started after it.
  let epoch = 0;
  let waiters: Array<() => void> = [];
  const cancels = new Set<() => void>();
  const wakeIfIdle = () => {
    if (inFlight > 0) return;
    const waiting = waiters;
    waiters = [];
    for (const wake of waiting) wake();
  };
  const start = () => {
    inFlight += 1;
    const startedIn = epoch;
    return () => {
      if (startedIn !== epoch) return;
      inFlight -= 1;
      wakeIfIdle();
    };
  };
  return {
    later: (delayMs, task) => {
      const finish = start();
      const cancel = scheduler.schedule(delayMs, async () => {
        cancels.delete(cancel);
        try {
          await task();
        } catch (error) {
          onError(error);
        } finally {
          finish();
        }
      });
      cancels.add(cancel);
    },
    track: async (work) => {
      const finish = start();
      try {
        return await work;
      } finally {
        finish();
      }
    },
    idle: () => inFlight === 0 ? Promise.resolve() : new Promise((resolve) => {
      waiters.push(resolve);
    }),
    cancelAll: () => {
      for (const cancel of cancels) cancel();
      cancels.clear();
      epoch += 1;
      inFlight = 0;
      wakeIfIdle();
    },
  };
}
