/**
 * The clock of an open-model load: requests are sent when they are due, answered or not.
 * The sender wakes every tickMs and sends all that have come due since, so a late wake-up sends
 * a small burst instead of drifting; each request is told when it was due, to measure from that
 * or to report how late it went out.
 */
export type Schedule = Readonly<{ ratePerSecond: number; total: number; tickMs: number }>;

/** Resolves once the last request is sent, with the time (performance.now()) the first was due. */
export async function sendOnSchedule(
  schedule: Schedule,
  send: (index: number, dueAt: number) => void,
  onTick: () => void = () => undefined,
): Promise<number> {
  const startedAt = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsedSeconds = (performance.now() - startedAt) / 1000;
      // Request i is due at i / rate: at time t, requests 0 .. floor(t * rate) are due.
      const due = Math.min(schedule.total,
        Math.floor(elapsedSeconds * schedule.ratePerSecond) + 1);
      for (; sent < due; sent += 1) send(sent, startedAt + (sent * 1000) / schedule.ratePerSecond);
      onTick();
      if (sent >= schedule.total) {
        clearInterval(timer);
        resolve();
      }
    }, schedule.tickMs);
  });
  return startedAt;
}

/** Waits until nothing is in flight, or timeoutMs have passed. */
export async function drain(inFlight: () => number, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (inFlight() > 0 && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
