/** Every limit the assisted service enforces, named with its unit (docs/assisted.md). */
const minuteMs = 60_000;

/** A consent code works this long after it is sent. */
export const consentCodeLifetimeMs = 5 * minuteMs;
/** Wrong codes before the request locks and a new code must be sent. */
export const consentCodeAttemptsMax = 5;
/** An assisted session lasts this long after the citizen consents. */
export const assistedSessionLifetimeMs = 30 * minuteMs;
/** Codes sent to one citizen per window, by any agents. */
export const consentCodesPerCitizenMax = 3;
/** Codes one agent may send per window, to anyone. */
export const consentCodesPerAgentMax = 20;
export const consentRateWindowMs = 15 * minuteMs;
/** Bills and agents listed on a page at most. */
export const listedMax = 50;
