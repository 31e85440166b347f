/**
 * Time in the emulator: callbacks are sent "later" through a Scheduler (the platform's), so
 * tests can use real (short) timers or a manual scheduler that moves a manual clock and runs
 * what falls due. The task tracker counts work in flight, so a test can wait until the
 * emulator is idle.
 */
import type { Scheduler } from '#platform/clock/index.ts';

export {
  manualScheduler,
  timerScheduler,
  type ManualScheduler,
  type Scheduler,
} from '#platform/clock/index.ts';

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
