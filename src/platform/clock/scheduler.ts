/**
 * Work that happens "later" through a Scheduler: the app uses timers, tests a manual scheduler
 * that moves a manual clock and runs what falls due when told (the emulators' callbacks,
 * notifications and retries).
 */
import type { Clock } from './clock.ts';

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
