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
 *   or never idled while requests kept arriving (from the second such tick in a row) in
 *   proportion to how late (target / lateness, between a half and nine tenths), and raised
 *   by two points at each tick on time (additive increase, multiplicative decrease, as TCP
 *   finds a link's rate). A loaded loop ticks seldom, so the cut must be deep; an idle one
 *   ticks 50 times a second, so the rise is slow: a second from the floor to everything. A
 *   late loop with few arrivals (a long query, a garbage collection) cuts nothing: refusing
 *   requests would not make it faster.
 * Which requests are admitted follows the share exactly (a running credit), not a coin.
 */

export type ClassLimits = Readonly<{ inFlightMax: number }>;

export type AdmissionPolicy<Class extends string> = Readonly<{
  limits: Readonly<Record<Class, ClassLimits>>;
  /** A tick whose timer fired later than this is a late loop. */
  eventLoopDelayMsMax: number;
  /**
   * A tick window in which the loop was busy more than this share of the time is a late loop
   * too: requests waiting on sockets the loop has not read yet keep it from ever idling, while
   * each pass of the loop reads a bounded number of them and so runs only a little late.
   */
  eventLoopUtilisationMax: number;
  /** The share is cut only from this many late ticks in a row (one long pause is no trend). */
  lateTicksToCut: number;
  /** A late tick cuts the share only if at least this many requests arrived since the last. */
  arrivalsPerTickMin: number;
  /** The share never falls below this, so some requests always probe whether load has eased. */
  admitShareMin: number;
}>;

export type Verdict = 'admitted' | 'too-many-in-flight' | 'event-loop-late';

export type AdmissionState<Class extends string> = Readonly<{
  admitShare: number;
  inFlight: Readonly<Record<Class, number>>;
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

  constructor(policy: AdmissionPolicy<Class>) {
    for (const [name, limits] of Object.entries<ClassLimits>(policy.limits)) {
      if (!Number.isInteger(limits.inFlightMax) || limits.inFlightMax < 1) {
        throw new Error(`load class ${name}: inFlightMax must be a whole number above 0`);
      }
    }
    if (!(policy.admitShareMin > 0 && policy.admitShareMin <= 1)) {
      throw new Error('admitShareMin must be above 0 and at most 1');
    }
    this.#policy = policy;
  }

  /** A request of this class arrives: admit it (then release() it once answered) or refuse. */
  tryAdmit(loadClass: Class): Verdict {
    this.#arrivals += 1;
    const inFlight = this.#inFlight.get(loadClass) ?? 0;
    if (inFlight >= this.#policy.limits[loadClass].inFlightMax) return 'too-many-in-flight';
    if (this.#admitShare < 1) {
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

  /** The loop's timer fired, `lateMs` after it was due; the loop was busy `utilisation`. */
  observeTick(lateMs: number, utilisation = 0): void {
    const busy = lateMs > this.#policy.eventLoopDelayMsMax ||
      utilisation > this.#policy.eventLoopUtilisationMax;
    const late = busy && this.#arrivals >= this.#policy.arrivalsPerTickMin;
    this.#arrivals = 0;
    this.#lateTicks = late ? this.#lateTicks + 1 : 0;
    if (this.#lateTicks >= this.#policy.lateTicksToCut) {
      const cut = Math.min(shareCutShallowest,
        Math.max(shareCutDeepest, this.#policy.eventLoopDelayMsMax / lateMs));
      this.#admitShare = Math.max(this.#policy.admitShareMin, this.#admitShare * cut);
    } else if (!late) {
      this.#admitShare = Math.min(1, this.#admitShare + shareIncreaseStep);
    }
    if (this.#admitShare >= 1) this.#credit = 0;
  }

  state(): AdmissionState<Class> {
    const inFlight = Object.fromEntries(Object.keys(this.#policy.limits)
      .map((name) => [name, this.#inFlight.get(name as Class) ?? 0])) as Record<Class, number>;
    return { admitShare: this.#admitShare, inFlight };
  }
}
