/**
 * One bounded closed-loop load phase with autocannon over loopback: each connection plays one
 * phone going through a USSD session again and again (dial: home; 2: check a bill; 2*<bill>:
 * the bill), each session with a fresh sessionId, as an aggregator sends them.
 */
import { createRequire } from 'node:module';

type RequestParams = { method?: string; path?: string; headers?: Record<string, string>;
  body?: string };
type Result = {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
};
type Instance = { on: (event: 'response', listener: () => void) => void; stop: () => void };
type Autocannon = (options: Readonly<{
  url: string; connections: number; duration: number; timeout: number;
  requests: ReadonlyArray<{ method: string; setupRequest: (request: RequestParams,
    context: Record<string, string>) => RequestParams }>;
}>, done: (error: Error | null | undefined, result: Result) => void) => Instance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export type LoadPhase = Readonly<{
  url: string;
  connections: number;
  seconds: number;
  /** The phase stops at this many requests even before its time is up. */
  requestsMax: number;
  billReferences: readonly string[];
}>;

export type PhaseResult = Readonly<{
  connections: number;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  failed: number;
}>;

const requestTimeoutSeconds = 10;
let sessions = 0;

function form(fields: Readonly<Record<string, string>>): string {
  return new URLSearchParams(fields).toString();
}

export function runPhase(phase: LoadPhase): Promise<PhaseResult> {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const step = (text: (context: Record<string, string>) => string, fresh: boolean) => ({
    method: 'POST',
    setupRequest: (request: RequestParams, context: Record<string, string>) => {
      if (fresh || context.sessionId === undefined) {
        sessions += 1;
        context.sessionId = `bench-${process.pid}-${sessions}`;
        context.phone = `+2547${String(10_000_000 + (sessions % 5_000)).padStart(8, '0')}`;
        context.bill = phase.billReferences[sessions % phase.billReferences.length] ?? '';
      }
      return { ...request, method: 'POST', headers, body: form({
        sessionId: context.sessionId ?? '', serviceCode: '*384*222#',
        phoneNumber: context.phone ?? '', networkCode: '63902', text: text(context) }) };
    },
  });
  return new Promise((resolve, reject) => {
    let answered = 0;
    const instance = autocannon({
      url: phase.url, connections: phase.connections, duration: phase.seconds,
      timeout: requestTimeoutSeconds,
      requests: [step(() => '', true), step(() => '2', false),
        step((context) => `2*${context.bill ?? ''}`, false)],
    }, (error, result) => {
      if (error !== null && error !== undefined) {
        reject(error);
        return;
      }
      resolve({
        connections: phase.connections, requests: result.requests.total,
        perSecond: result.requests.total / Math.max(result.duration, 0.001),
        p50Ms: result.latency.p50, p90Ms: result.latency.p90, p99Ms: result.latency.p99,
        maxMs: result.latency.max, failed: result.non2xx + result.errors + result.timeouts,
      });
    });
    instance.on('response', () => {
      answered += 1;
      if (answered === phase.requestsMax) instance.stop();
    });
  });
}
