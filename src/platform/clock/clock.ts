/** Time is a dependency, so tests can hold it still or move it. */
export type Clock = Readonly<{ now: () => Date }>;

export const systemClock: Clock = Object.freeze({ now: () => new Date() });

/** A clock for tests: starts at `start` and moves only when told. */
export function manualClock(start: Date): Clock & { advanceMs: (ms: number) => void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advanceMs: (ms: number) => {
      current += ms;
    },
  };
}
