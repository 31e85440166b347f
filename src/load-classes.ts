/**
 * The app's load classes for load shedding (platform/http/load-shedding.ts): which routes are
 * search, sign-in, other pages or other APIs, each with its limit on requests in flight, and
 * which are never shed. Here rather than in the platform because it names modules' routes.
 * RELIABILITY.md ("Overload") has the measurements these numbers come from.
 */
import type { FastifyRequest } from 'fastify';
import type { Config } from '#config';
import { identityPaths } from '#modules/identity/index.ts';
import type { AdmissionPolicy } from '#platform/http/admission.ts';
import type { LoadSheddingOptions } from '#platform/http/load-shedding.ts';
import type { MetricsRegistry } from '#platform/metrics/index.ts';
import { languageCookieName, negotiateLanguage } from '#web/index.ts';

export type LoadClass = 'search' | 'sign-in' | 'pages' | 'api';

/** Route patterns of search: the JSON API and the page. */
const searchRoutes = new Set(['/api/v1/services', '/services']);

/** Every step of signing in or registering: each hashes a password or checks a code. */
const signInRoutes = new Set<string>([
  identityPaths.signIn, identityPaths.signInCode, identityPaths.staffSignIn,
  identityPaths.register, identityPaths.passwordReset, identityPaths.passwordResetCode,
]);

/** Operations routes: a load balancer must see an overloaded process alive. */
const healthRoutes = new Set(['/healthz', '/readyz', '/metrics']);

/** The in-process Daraja emulator stands for Safaricom, outside the platform (not production). */
const emulatorPrefix = '/_emulator/';

/**
 * The class of a request, or undefined for never shed: M-Pesa callbacks (their routes are the
 * only ones with access 'provider-callback'), health checks and the emulator. A URL no route
 * matches (a 404) counts as a page.
 */
export function loadClassOfRoute(
  route: string | undefined,
  access: unknown,
): LoadClass | undefined {
  if (access === 'provider-callback') return undefined;
  if (route === undefined) return 'pages';
  if (healthRoutes.has(route) || route.startsWith(emulatorPrefix)) return undefined;
  if (searchRoutes.has(route)) return 'search';
  if (signInRoutes.has(route)) return 'sign-in';
  return route.startsWith('/api/') ? 'api' : 'pages';
}

/** The class of a request, once routed (see loadClassOfRoute). */
export function loadClassOf(request: FastifyRequest): LoadClass | undefined {
  return loadClassOfRoute(request.routeOptions.url, request.routeOptions.config.access);
}

/**
 * Per process. In flight: the database pool has 10 connections and password hashing 4
 * threads, so these bound the queue in front of them (and the memory it holds) to a few
 * rounds of each. The event-loop delay target keeps admitted requests' queueing in the
 * kernel to tens of milliseconds. Up to 16 open connections nothing is refused for the loop's
 * sake: a few clients in a closed loop keep it from idling without a queue worth refusing
 * (16 searches of 20 ms at a million services are 320 ms, but each of those clients waits for
 * its answer before it asks again; a refusal would only be asked again at once).
 */
export const loadSheddingPolicy = {
  limits: {
    'search': { inFlightMax: 64 },
    'sign-in': { inFlightMax: 32 },
    'pages': { inFlightMax: 64 },
    'api': { inFlightMax: 64 },
  },
  eventLoopDelayMsMax: 50,
  eventLoopUtilisationMax: 0.9,
  lateTicksToCut: 2,
  arrivalsPerTickMin: 16,
  connectionsFloor: 16,
  admitShareMin: 0.05,
  retryAfterSeconds: 2,
  tickMs: 20,
} as const satisfies AdmissionPolicy<LoadClass> & Readonly<{
  retryAfterSeconds: number;
  tickMs: number;
}>;

/**
 * The app's load shedding: its classes, their limits and the language of a refusal page. In
 * the test environment the event-loop limit is off (the limits in flight stay): tests share a
 * machine with other work, and a loop late for that reason would refuse a test's requests at
 * random. Its behaviour is tested on its own (platform/http/load-shedding.test.ts).
 */
export function loadSheddingOptions(
  metrics: MetricsRegistry,
  environment: Config['environment'],
): LoadSheddingOptions<LoadClass> {
  return {
    ...loadSheddingPolicy, classify: loadClassOf, metrics,
    ...(environment === 'test'
      ? { eventLoopDelayMsMax: Number.POSITIVE_INFINITY, eventLoopUtilisationMax: 1 } : {}),
    // The web kit's own hook, which sets the language, runs after this one; a refused request
    // never reaches it.
    beforeRefusal: (request) => {
      request.language = negotiateLanguage(request.cookies[languageCookieName],
        request.headers['accept-language']);
    },
  };
}
