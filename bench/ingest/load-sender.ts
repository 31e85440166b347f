/**
 * The load: C2B confirmations POSTed over loopback at a fixed arrival rate (an open model: a
 * request is sent when it is due, whether or not earlier ones were answered), from its own
 * process so it never shares an event loop with the app. 20% are replays of a confirmation
 * already sent, 2% carry a reference that matches no invoice, the rest pay a fresh invoice.
 * Latency is measured from when each request was due, so a slow server cannot hide its queue;
 * how late each request actually went out (the generator's own lag) is reported beside it.
 * With several app processes the requests go to their URLs in turn.
 *
 *   node bench/ingest/load-sender.ts <plan.json>   -> prints a SenderReport as JSON
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { drain, sendOnSchedule } from '../shared/schedule.ts';

export type SenderPlan = Readonly<{
  /**
   * e.g. http://127.0.0.1:4300/api/v1/payments/callbacks/<token>/c2b/confirmation, one per app
   * process: request i goes to urls[i % urls.length] (round robin).
   */
  urls: readonly string[];
  ratePerSecond: number;
  seconds: number;
  /** Fresh invoice references, used in order. */
  references: readonly string[];
  /** Makes receipt numbers unique across steps: [A-Z0-9]. */
  receiptPrefix: string;
  replayShare: number;
  unknownShare: number;
  seed: number;
}>;

export type SenderReport = Readonly<{
  sent: number;
  fresh: number;
  replays: number;
  unknown: number;
  ok: number;
  failed: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  achievedPerSecond: number;
  /** Mean requests in flight (Little's law: rate x mean latency). */
  meanInFlight: number;
  /** How late requests went out after they were due (the generator's lag, not the server's). */
  sendLagP99Ms: number;
  sendLagMaxMs: number;
  /** CPU this sender used from its first request to its last answer (user + system). */
  cpuMs: number;
  /** The receipts of fresh payments answered 200, to check against the database. */
  freshReceipts: readonly string[];
}>;

const tickMs = 2;
const requestTimeoutMs = 10_000;
const drainTimeoutMs = 30_000;

/** A small deterministic generator (mulberry32), so a run can be repeated exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function confirmation(receipt: string, billReference: string): string {
  return JSON.stringify({
    TransactionType: 'Pay Bill', TransID: receipt, TransTime: '20261128101500',
    TransAmount: '1050.00', BusinessShortCode: '222222', BillRefNumber: billReference,
    InvoiceNumber: '', OrgAccountBalance: '', ThirdPartyTransID: '', MSISDN: '2547 ***** 126',
    FirstName: 'BENCH', MiddleName: '', LastName: 'PAYER',
  });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export async function sendLoad(plan: SenderPlan): Promise<SenderReport> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2_048 });
  const urls = plan.urls.map((text) => new URL(text));
  if (urls.length === 0) throw new Error('the plan names no URL');
  const next = random(plan.seed);
  const total = Math.floor(plan.ratePerSecond * plan.seconds);
  const sentBodies: string[] = [];
  const latencies: number[] = [];
  const freshReceipts: string[] = [];
  const counts = { fresh: 0, replays: 0, unknown: 0, ok: 0, failed: 0 };
  let inFlight = 0;
  let freshIndex = 0;
  const sendLagMs: number[] = [];
  let posted = 0;
  const post = (body: string, dueAt: number, receipt: string | undefined) => {
    inFlight += 1;
    const url = urls[posted % urls.length];
    if (url === undefined) throw new Error('the plan names no URL');
    posted += 1;
    sendLagMs.push(performance.now() - dueAt);
    const request = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname,
      method: 'POST', timeout: requestTimeoutMs,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      response.resume();
      response.on('end', () => {
        inFlight -= 1;
        latencies.push(performance.now() - dueAt);
        if (response.statusCode === 200) {
          counts.ok += 1;
          if (receipt !== undefined) freshReceipts.push(receipt);
        } else counts.failed += 1;
      });
    });
    request.on('error', () => {
      inFlight -= 1;
      counts.failed += 1;
      latencies.push(performance.now() - dueAt);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.end(body);
  };
  const sendOne = (index: number, dueAt: number) => {
    const draw = next();
    const receipt = `${plan.receiptPrefix}${String(index).padStart(7, '0')}`;
    if (draw < plan.unknownShare) {
      counts.unknown += 1;
      post(confirmation(receipt, `NOBILL${index}`), dueAt, undefined);
    } else if (draw < plan.unknownShare + plan.replayShare && sentBodies.length > 0) {
      counts.replays += 1;
      post(sentBodies[Math.floor(next() * sentBodies.length)] ?? '', dueAt, undefined);
    } else {
      const reference = plan.references[freshIndex];
      freshIndex += 1;
      if (reference === undefined) throw new Error('the plan ran out of invoices');
      counts.fresh += 1;
      const body = confirmation(receipt, reference);
      sentBodies.push(body);
      post(body, dueAt, receipt);
    }
  };
  let inFlightSamples = 0;
  let inFlightSum = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = await sendOnSchedule({ ratePerSecond: plan.ratePerSecond, total, tickMs },
    sendOne, () => {
      inFlightSum += inFlight;
      inFlightSamples += 1;
    });
  await drain(() => inFlight, drainTimeoutMs);
  const cpu = process.cpuUsage(cpuBefore);
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  const sortedLag = sendLagMs.sort((a, b) => a - b);
  return {
    sent: total, ...counts,
    p50Ms: percentile(sorted, 50), p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? Number.NaN,
    achievedPerSecond: counts.ok / elapsedSeconds,
    meanInFlight: inFlightSamples === 0 ? 0 : inFlightSum / inFlightSamples,
    sendLagP99Ms: percentile(sortedLag, 99), sendLagMaxMs: sortedLag.at(-1) ?? Number.NaN,
    cpuMs: (cpu.user + cpu.system) / 1000,
    freshReceipts,
  };
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const planFile = process.argv[2];
  if (planFile === undefined) throw new Error('usage: load-sender.ts <plan.json>');
  const plan = JSON.parse(await readFile(planFile, 'utf8')) as SenderPlan;
  process.stdout.write(`${JSON.stringify(await sendLoad(plan))}\n`);
}
