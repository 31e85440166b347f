/**
 * The fixed-rate load, in its own process (forked by run.ts): GET requests through the query
 * mix at a constant arrival rate (an open model: a request is sent when it is due, whether or
 * not earlier ones were answered, over as many keep-alive connections as that takes). This is
 * how a server is loaded by many people who do not wait for each other; the closed loop of
 * load-client.ts (each connection waits for its answer) measures the saturated server instead,
 * where a request's latency is mostly the queue in front of it (docs/decisions/0004).
 *
 * Latency runs from the moment the request is handed to the HTTP client until its last byte.
 * The generator's own lag (how late a request went out after it was due, because this process
 * wakes on a timer) is measured apart and reported, so a run where the generator could not keep
 * its schedule shows it instead of charging the server for it.
 */
import http from 'node:http';
import { answerParentOnce } from '../shared/child-job.ts';
import { drain, sendOnSchedule } from '../shared/schedule.ts';
import type { LoadResult } from './load-client.ts';

export type RateRequest = Readonly<{
  url: string;
  paths: readonly string[];
  durationSeconds: number;
  ratePerSecond: number;
}>;

export type RateResult = LoadResult & Readonly<{
  ratePerSecond: number;
  /** How late each request went out after it was due (the generator, not the server). */
  sendLagMs: number[];
}>;

const tickMs = 1;
const requestTimeoutMs = 10_000;
const drainTimeoutMs = 30_000;
/** The first second opens the connections the rate needs; it is not measured. */
const warmUpSeconds = 1;

export async function sendAtRate(request: RateRequest): Promise<RateResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1_024 });
  const url = new URL(request.url);
  const latenciesMs: number[] = [];
  const sendLagMs: number[] = [];
  const counts = { non2xx: 0, errors: 0, timeouts: 0 };
  const warmUp = Math.floor(request.ratePerSecond * warmUpSeconds);
  const total = warmUp + Math.floor(request.ratePerSecond * request.durationSeconds);
  let inFlight = 0;

  const get = (index: number, dueAt: number) => {
    const measured = index >= warmUp;
    const path = request.paths[index % request.paths.length] ?? '/healthz';
    const sentAt = performance.now();
    if (measured) sendLagMs.push(sentAt - dueAt);
    inFlight += 1;
    const done = (outcome: 'ok' | 'non2xx' | 'errors' | 'timeouts') => {
      inFlight -= 1;
      if (!measured) return;
      if (outcome === 'ok') latenciesMs.push(performance.now() - sentAt);
      else counts[outcome] += 1;
    };
    const outgoing = http.get({ agent, host: url.hostname, port: url.port, path,
      timeout: requestTimeoutMs }, (response) => {
      response.resume();
      response.on('end', () => done(response.statusCode === 200 ? 'ok' : 'non2xx'));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', (error) => done(error.message === 'timed out' ? 'timeouts' : 'errors'));
  };

  await sendOnSchedule({ ratePerSecond: request.ratePerSecond, total, tickMs }, get);
  await drain(() => inFlight, drainTimeoutMs);
  agent.destroy();
  return {
    latenciesMs, sendLagMs, ratePerSecond: request.ratePerSecond,
    requests: latenciesMs.length + counts.non2xx + counts.errors + counts.timeouts,
    non2xx: counts.non2xx, errors: counts.errors, timeouts: counts.timeouts,
    durationSeconds: request.durationSeconds,
  };
}

answerParentOnce('rate client', sendAtRate);
