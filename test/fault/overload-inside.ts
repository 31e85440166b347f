/**
 * Time inside the app, from its own /metrics (http_admitted_duration_seconds: from admission
 * by the load shedding to the response's end, per load class), read before and after a phase:
 * what the app spent on the requests it admitted, apart from the queues in front of it (the
 * kernel's socket buffers, a starved load process). Bucket bounds, so a percentile is "at most
 * this".
 */

/** Cumulative counts per bucket bound (seconds; the last is +Inf), by load class. */
export type InsideCounts = ReadonlyMap<string, readonly number[]>;

/** A histogram's buckets (by its `class` label, '' without one) from Prometheus text. */
export function readInside(
  metricsText: string,
  name = 'http_admitted_duration_seconds',
): InsideCounts {
  const bucketLine = new RegExp(`^${name}_bucket\\{(?:class="([^"]*)",)?le="[^"]+"\\} (\\d+)$`);
  const counts = new Map<string, number[]>();
  for (const line of metricsText.split('\n')) {
    const match = bucketLine.exec(line);
    if (match === null) continue;
    const key = match[1] ?? '';
    const list = counts.get(key) ?? [];
    list.push(Number(match[2]));
    counts.set(key, list);
  }
  return counts;
}

const boundsSeconds = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type InsidePercentile = Readonly<{ count: number; p99AtMostMs: number | undefined }>;

/** p99 of a class's admitted requests answered between two readings. */
export function insideP99(
  before: InsideCounts,
  after: InsideCounts,
  loadClass: string,
): InsidePercentile {
  const earlier = before.get(loadClass) ?? [];
  const total = (after.get(loadClass) ?? [])
    .map((count, index) => count - (earlier[index] ?? 0));
  const count = total.at(-1) ?? 0;
  if (count === 0) return { count, p99AtMostMs: undefined };
  const index = total.findIndex((cumulative) => cumulative >= 0.99 * count);
  const bound = boundsSeconds[index];
  return { count, p99AtMostMs: bound === undefined ? Number.POSITIVE_INFINITY : bound * 1000 };
}
