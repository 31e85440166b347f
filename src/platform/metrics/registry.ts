/**
 * A small Prometheus registry: counters and histograms with labels, rendered as the text
 * exposition format (version 0.0.4) at /metrics.
 */

type Labels = Readonly<Record<string, string>>;

const latencyBucketsSeconds = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Counter {
  readonly name: string;
  readonly help: string;
  readonly #values = new Map<string, { labels: Labels; value: number }>();
  constructor(name: string, help: string) {
    this.name = name;
    this.help = help;
  }
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    const entry = this.#values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.#values.set(key, entry);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.#values.values()) {
      lines.push(`${this.name}${renderLabels(labels)} ${value}`);
    }
    return lines.join('\n');
  }
}

type HistogramSeries = { labels: Labels; counts: number[]; sum: number; n: number };

export class Histogram {
  readonly name: string;
  readonly help: string;
  readonly #buckets: readonly number[];
  readonly #values = new Map<string, HistogramSeries>();
  constructor(name: string, help: string, buckets: readonly number[] = latencyBucketsSeconds) {
    this.name = name;
    this.help = help;
    this.#buckets = buckets;
  }
  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let entry = this.#values.get(key);
    if (entry === undefined) {
      entry = { labels, counts: this.#buckets.map(() => 0), sum: 0, n: 0 };
      this.#values.set(key, entry);
    }
    for (const [index, bound] of this.#buckets.entries()) {
      if (value <= bound) entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    }
    entry.sum += value;
    entry.n += 1;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, n } of this.#values.values()) {
      for (const [index, bound] of this.#buckets.entries()) {
        const bucketLabels = renderLabels({ ...labels, le: String(bound) });
        lines.push(`${this.name}_bucket${bucketLabels} ${counts[index] ?? 0}`);
      }
      lines.push(`${this.name}_bucket${renderLabels({ ...labels, le: '+Inf' })} ${n}`);
      lines.push(`${this.name}_sum${renderLabels(labels)} ${sum}`);
      lines.push(`${this.name}_count${renderLabels(labels)} ${n}`);
    }
    return lines.join('\n');
  }
}

export class MetricsRegistry {
  readonly #metrics = new Map<string, Counter | Histogram>();
  counter(name: string, help: string): Counter {
    return this.#register(name, () => new Counter(name, help)) as Counter;
  }
  histogram(name: string, help: string, buckets?: readonly number[]): Histogram {
    return this.#register(name, () => new Histogram(name, help, buckets)) as Histogram;
  }
  render(): string {
    const parts = [...this.#metrics.values()].map((metric) => metric.render());
    const memory = process.memoryUsage();
    parts.push(
      '# HELP process_resident_memory_bytes Resident memory size in bytes.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${memory.rss}`,
      '# HELP process_uptime_seconds Seconds since the process started.',
      '# TYPE process_uptime_seconds gauge',
      `process_uptime_seconds ${process.uptime()}`,
    );
    return `${parts.join('\n')}\n`;
  }
  #register(name: string, create: () => Counter | Histogram): Counter | Histogram {
    const existing = this.#metrics.get(name);
    if (existing !== undefined) return existing;
    const metric = create();
    this.#metrics.set(name, metric);
    return metric;
  }
}

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function renderLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  const body = entries
    .map(([key, value]) => `${key}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)
    .join(',');
  return `{${body}}`;
}
