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
/**
 * Password attempts per account per window (right or wrong), counted the same whether the
 * account exists or not; a browser the account signed in on before counts on its own.
 */
export const signInAttemptsPerAccountMax = 10;
/** Sign-in and code attempts per source address per window (a shared NAT has many people). */
export const signInAttemptsPerAddressMax = 60;
/** Codes sent to one account per window, whatever the purpose. */
export const codesSentPerAccountMax = 5;
/** Codes requested from one source address per window. */
export const codesSentPerAddressMax = 30;

/**
 * Password hashing per process (password-hash-gate.ts): hashes at once, hashes waiting, and
 * how long one may wait; beyond them a request is refused (503) and asked to retry after
 * `passwordHashRetryAfterSeconds`.
 */
export const passwordHashesConcurrentMax = 2;
export const passwordHashesQueuedMax = 4;
export const passwordHashQueueWaitMsMax = 1_000;
export const passwordHashRetryAfterSeconds = 2;

/**
 * A browser someone signed in on keeps a signed device token this long; their attempts from it
 * are counted apart from strangers', who cannot then lock the owner out of it.
 */
export const trustedDeviceLifetimeMs = 180 * 24 * 60 * minuteMs;
/** Device tokens one browser keeps (people sharing a computer). */
export const trustedDevicesPerBrowserMax = 4;

/** Per-process HTTP limit on the sign-in and code endpoints, per address, per minute. */
export const httpSignInRequestsPerMinuteMax = 30;

/** How long a new member of staff's enrolment link works. */
export const staffEnrolmentLifetimeMs = 72 * 60 * minuteMs;

/** The "who looked at my data" list shows at most this many reads. */
export const personalDataReadsListedMax = 20;
