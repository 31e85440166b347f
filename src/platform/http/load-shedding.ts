/**
 * Load shedding for the whole app: each request is put in a class (search, pages, sign-in,
 * APIs) or in none, and the admission controller (admission.ts) takes it on or refuses it at
 * once with 503 PLATFORM_OVERLOADED and `Retry-After`, before any body is read, any session is
 * looked up or any database is touched. A request in no class is never refused: M-Pesa
 * callbacks (money already moved; Safaricom retries few times) and health checks (a load
 * balancer must still see the process alive).
 *
 * Installed as an onRequest hook on the root instance, before the plugins whose own
 * onRequest hooks cost something (sessions, access control), so a refusal costs only routing
 * and the error answer. A timer measures how late the event loop runs; it is unref'd and
 * stopped when the app closes. The HTTP server's open connections are counted for the
 * controller: they bound how many requests can be waiting (admission.ts). Metrics:
 * http_requests_shed_total{class, reason}, http_admitted_duration_seconds{class} (admission
 * to the response's end) and event_loop_lateness_seconds (each tick).
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { failure } from '../errors/index.ts';
import type { MetricsRegistry } from '../metrics/index.ts';
import { AdmissionController, type AdmissionPolicy } from './admission.ts';
import { ProblemError } from './problem.ts';

export type LoadSheddingOptions<Class extends string> = AdmissionPolicy<Class> & Readonly<{
  /** The class of a request (routing is done), or undefined: never shed. */
  classify: (request: FastifyRequest) => Class | undefined;
  /** Seconds a refused client is asked to wait (`Retry-After`). */
  retryAfterSeconds: number;
  /** How often the event loop's delay is sampled. */
  tickMs: number;
  metrics: MetricsRegistry;
  /**
   * Runs on a request about to be refused, before the error answer is rendered: the hooks
   * registered after this one (the page's language, say) will not run for it.
   */
  beforeRefusal?: (request: FastifyRequest) => void;
}>;

const admittedClass = Symbol('huduma.loadClass');
type Admitted = { [admittedClass]?: string };

export function installLoadShedding<Class extends string>(
  app: FastifyInstance,
  options: LoadSheddingOptions<Class>,
): AdmissionController<Class> {
  const controller = new AdmissionController<Class>(options);
  const refused = options.metrics.counter('http_requests_shed_total',
    'Requests refused with 503 under overload, by load class and reason.');
  const admittedTime = options.metrics.histogram('http_admitted_duration_seconds',
    'Time from admission to the end of the response of admitted requests, by load class.');
  const retryAfter = String(options.retryAfterSeconds);

  app.addHook('onRequest', (request, reply, done) => {
    const loadClass = options.classify(request);
    if (loadClass === undefined) {
      done();
      return;
    }
    const verdict = controller.tryAdmit(loadClass);
    if (verdict === 'admitted') {
      (request as Admitted)[admittedClass] = loadClass;
      const admittedAt = performance.now();
      // 'close' follows every response, sent or cut short by the client, exactly once.
      reply.raw.once('close', () => {
        if ((request as Admitted)[admittedClass] === undefined) return;
        (request as Admitted)[admittedClass] = undefined;
        controller.release(loadClass);
        admittedTime.observe({ class: loadClass }, (performance.now() - admittedAt) / 1000);
      });
      done();
      return;
    }
    refused.inc({ class: loadClass, reason: verdict });
    options.beforeRefusal?.(request);
    void reply.header('retry-after', retryAfter);
    done(new ProblemError(failure('PLATFORM_OVERLOADED',
      'The service is busy; try again after the Retry-After delay')));
  });

  app.server.on('connection', (socket: Socket) => {
    controller.connectionOpened();
    socket.once('close', () => controller.connectionClosed());
  });

  const lateness = options.metrics.histogram('event_loop_lateness_seconds',
    'How late the load-shedding timer fired, at each tick: the event loop\'s delay.');
  let lastTickAt = performance.now();
  let lastUtilisation = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.now();
    const lateMs = Math.max(0, now - lastTickAt - options.tickMs);
    const utilisation = performance.eventLoopUtilization();
    controller.observeTick({ lateMs, windowMs: now - lastTickAt,
      utilisation: performance.eventLoopUtilization(utilisation, lastUtilisation).utilization });
    lastUtilisation = utilisation;
    lateness.observe({}, lateMs / 1000);
    lastTickAt = now;
  }, options.tickMs);
  timer.unref();
  app.addHook('onClose', (_instance, done) => {
    clearInterval(timer);
    done();
  });
  return controller;
}
