/**
 * Every limit identity enforces, named with its unit. Sessions end after idleness or at an
 * absolute age, whichever comes first; codes expire and lock; sign-in is rate-limited per
 * account and per source address (counters in the database, so every process agrees).
 */

const minuteMs = 60_000;

export const sessionIdleTimeoutMs = 30 * minuteMs;
export const sessionAbsoluteTimeoutMs = 12 * 60 * minuteMs;
/** last_seen_at is written at most this often, not on every request. */
export const sessionTouchIntervalMs = minuteMs;
/** The sessions list on the profile page shows at most this many. */
export const sessionsListedMax = 20;

export const oneTimeCodeLifetimeMs = 5 * minuteMs;
/** Wrong codes before the challenge locks and the person must start again. */
export const oneTimeCodeAttemptsMax = 5;

export const rateLimitWindowMs = 15 * minuteMs;
/** Password attempts per account per window (right or wrong). */
export const signInAttemptsPerAccountMax = 10;
/** Sign-in and code attempts per source address per window (a shared NAT has many people). */
export const signInAttemptsPerAddressMax = 60;
/** Codes sent to one account per window, whatever the purpose. */
export const codesSentPerAccountMax = 5;
/** Codes requested from one source address per window. */
export const codesSentPerAddressMax = 30;

/** Per-process HTTP limit on the sign-in and code endpoints, per address, per minute. */
export const httpSignInRequestsPerMinuteMax = 30;

/** How long a new member of staff's enrolment link works. */
export const staffEnrolmentLifetimeMs = 72 * 60 * minuteMs;

/** The "who looked at my data" list shows at most this many reads. */
export const personalDataReadsListedMax = 20;
