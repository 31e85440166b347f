/**
 * Admission under overload: which requests the process takes on and which it refuses at once,
 * so the ones it takes are answered in time and memory stays bounded. Pure: no timers and no
 * HTTP here (load-shedding.ts wires it into Fastify), so it is tested as plain values.
 *
 * Two limits, per class of route (search, pages, sign-in, APIs):
 * - requests in flight: work that waits on something (the database pool, password hashing
 *   on the thread pool) piles up as requests in flight; past the class's limit a request is
 *   refused, so a queue cannot grow without end;
 * - event-loop delay: work done on the event loop itself (ranking a search, PGlite's queries)
 *   never shows as requests in flight: one request is finished before the next is read, and
 *   the queue sits in the kernel's socket buffers instead. It shows as the loop running late,
 *   or, when each pass reads only so many sockets, as a loop that never idles.
 *   The controller admits a share of the requests, cut at each tick where the loop ran late
 *   (from the second such tick in a row) in proportion to how late (target / lateness, between
 *   a half and nine tenths), and raised by two points at each tick on time (additive
 *   increase, multiplicative decrease, as TCP finds a link's rate). A loaded loop ticks
 *   seldom, so the cut must be deep; an idle one ticks 50 times a second, so the rise is
 *   slow: a second from the floor to everything.
 *
 * A busy loop is not yet an overloaded one. What the share protects is a request's wait, and
 * over HTTP/1.1 (no pipelining) each open connection holds at most one request, so the open
 * connections bound the queue, the part in the kernel included. A tick counts as late only
 * when refusing could shorten a real wait:
 * - at least `arrivalsPerTickMin` requests arrived since the last tick (a long query or a
 *   garbage collection with few arrivals is a pause, not load);
 * - more than `connectionsFloor` connections are open: a closed loop of a few clients (one
 *   person, a benchmark, a proxy's small pool) keeps the loop from ever idling, but at most
 *   that many requests wait, and a refused client just asks again. Below the floor nothing is
 *   refused on the loop's account, even while the share is cut;
 * - and the loop ran later than the target, or it never idled (busy over
 *   `eventLoopUtilisationMax` of the tick) while the wait it implies, the open connections
 *   times the loop's busy time per arrival, is over the target. Busy with 8 connections of
 *   0.3 ms each is a 2.4 ms queue; busy with 2,000 is 600 ms.
 * Idle keep-alive connections count as open, which can only make a cut come sooner: above the
 * floor the controller is never more lenient than the loop's own signals.
 * Which requests are admitted follows the share exactly (a running credit), not a coin.
 * Why connections and not requests in flight: docs/decisions/0017-overload-needs-a-queue.md.
 */

export type ClassLimits = Readonly<{ inFlightMax: number }>;

export type AdmissionPolicy<Class extends string> = Readonly<{
  limits: Readonly<Record<Class, ClassLimits>>;
  /** A tick whose timer fired later than this is a late loop; also the longest fair wait. */
  eventLoopDelayMsMax: number;
  /**
   * A tick window in which the loop was busy more than this share of the time is a late loop
   * too, when the wait it implies is over the target: requests waiting on sockets the loop has
   * not read yet keep it from ever idling, while each pass of the loop reads a bounded number
   * of them and so runs only a little late.
   */
  eventLoopUtilisationMax: number;
  /** The share is cut only from this many late ticks in a row (one long pause is no trend). */
  lateTicksToCut: number;
  /** A late tick cuts the share only if at least this many requests arrived since the last. */
  arrivalsPerTickMin: number;
  /**
   * With this many open connections or fewer, nothing is refused on the loop's account and no
   * tick is late: at most this many requests can be waiting (the limits in flight still hold).
   */
  connectionsFloor: number;
  /** The share never falls below this, so some requests always probe whether load has eased. */
  admitShareMin: number;
}>;

/** What the loop's timer saw at one tick. */
export type Tick = Readonly<{
  /** How much later than due the timer fired. */
  lateMs: number;
  /** The share of the window since the last tick the loop was busy (0 to 1). */
  utilisation: number;
  /** The window since the last tick. */
  windowMs: number;
}>;

export type Verdict = 'admitted' | 'too-many-in-flight' | 'event-loop-late';

export type AdmissionState<Class extends string> = Readonly<{
  admitShare: number;
  inFlight: Readonly<Record<Class, number>>;
  connections: number;
}>;

const shareCutDeepest = 0.5;
const shareCutShallowest = 0.9;
const shareIncreaseStep = 0.02;

export class AdmissionController<Class extends string> {
  readonly #policy: AdmissionPolicy<Class>;
  readonly #inFlight = new Map<Class, number>();
  #admitShare = 1;
  #credit = 0;
  #arrivals = 0;
  #lateTicks = 0;
  #connections = 0;

  constructor(policy: AdmissionPolicy<Class>) {
    for (const [name, limits] of Object.entries<ClassLimits>(policy.limits)) {
      if (!Number.isInteger(limits.inFlightMax) || limits.inFlightMax < 1) {
        throw new Error(`load class ${name}: inFlightMax must be a whole number above 0`);
      }
    }
    if (!(policy.admitShareMin > 0 && policy.admitShareMin <= 1)) {
      throw new Error('admitShareMin must be above 0 and at most 1');
    }
    if (!Number.isInteger(policy.connectionsFloor) || policy.connectionsFloor < 0) {
      throw new Error('connectionsFloor must be a whole number, 0 or more');
    }
    this.#policy = policy;
  }

  /** A request of this class arrives: admit it (then release() it once answered) or refuse. */
  tryAdmit(loadClass: Class): Verdict {
    this.#arrivals += 1;
    const inFlight = this.#inFlight.get(loadClass) ?? 0;
    if (inFlight >= this.#policy.limits[loadClass].inFlightMax) return 'too-many-in-flight';
    if (this.#admitShare < 1 && this.#connections > this.#policy.connectionsFloor) {
      this.#credit += this.#admitShare;
      if (this.#credit < 1) return 'event-loop-late';
      this.#credit -= 1;
    }
    this.#inFlight.set(loadClass, inFlight + 1);
    return 'admitted';
  }

  /** An admitted request is answered (or its client has gone). */
  release(loadClass: Class): void {
    const inFlight = this.#inFlight.get(loadClass) ?? 0;
    if (inFlight <= 0) throw new Error(`load class ${loadClass}: released more than admitted`);
    this.#inFlight.set(loadClass, inFlight - 1);
  }

  /** A client connection was opened. */
  connectionOpened(): void {
    this.#connections += 1;
  }

  /** A client connection was closed. */
  connectionClosed(): void {
    if (this.#connections <= 0) throw new Error('closed more connections than were opened');
    this.#connections -= 1;
  }

  /** The loop's timer fired: cut the share, hold it, or raise it (see the file's comment). */
  observeTick(tick: Tick): void {
    const lateness = this.#latenessOf(tick);
    const late = lateness > this.#policy.eventLoopDelayMsMax;
    this.#arrivals = 0;
    this.#lateTicks = late ? this.#lateTicks + 1 : 0;
    if (this.#lateTicks >= this.#policy.lateTicksToCut) {
      const cut = Math.min(shareCutShallowest,
        Math.max(shareCutDeepest, this.#policy.eventLoopDelayMsMax / lateness));
      this.#admitShare = Math.max(this.#policy.admitShareMin, this.#admitShare * cut);
    } else if (!late) {
      this.#admitShare = Math.min(1, this.#admitShare + shareIncreaseStep);
    }
    if (this.#admitShare >= 1) this.#credit = 0;
  }

  /**
   * How late this tick says requests are, in ms, for the cut; 0 when refusing could not
   * shorten a wait (few arrivals, few connections). A loop that never idled but ran on time
   * counts as just over the target (the shallowest cut) when the wait it implies is longer.
   */
  #latenessOf(tick: Tick): number {
    const policy = this.#policy;
    if (this.#arrivals < policy.arrivalsPerTickMin) return 0;
    if (this.#connections <= policy.connectionsFloor) return 0;
    if (tick.lateMs > policy.eventLoopDelayMsMax) return tick.lateMs;
    const busyMsPerArrival = tick.utilisation * tick.windowMs / this.#arrivals;
    const waitMs = this.#connections * busyMsPerArrival;
    const neverIdle = tick.utilisation > policy.eventLoopUtilisationMax;
    return neverIdle && waitMs > policy.eventLoopDelayMsMax
      ? policy.eventLoopDelayMsMax / shareCutShallowest
      : 0;
  }

  state(): AdmissionState<Class> {
    const inFlight = Object.fromEntries(Object.keys(this.#policy.limits)
      .map((name) => [name, this.#inFlight.get(name as Class) ?? 0])) as Record<Class, number>;
    return { admitShare: this.#admitShare, inFlight, connections: this.#connections };
  }
}
