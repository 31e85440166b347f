/**
 * The error catalogue: every stable code, the HTTP status it maps to, and a title.
 * Each module declares its own table; app.ts joins them. Codes are namespaced by module
 * (CATALOGUE_..., PAY_...), never renamed, and listed in docs/errors.md (a test checks).
 */

export type ErrorDefinition = Readonly<{ status: number; title: string }>;

export type ErrorTable<Code extends string = string> = Readonly<Record<Code, ErrorDefinition>>;

/** Codes every part of the platform may use. */
export const platformErrors = {
  PLATFORM_VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  PLATFORM_METRICS_TOKEN_REQUIRED: { status: 401, title: 'The metrics need their token' },
  PLATFORM_NOT_FOUND: { status: 404, title: 'Nothing is found at this address' },
  PLATFORM_METHOD_NOT_ALLOWED: { status: 405, title: 'This method is not allowed here' },
  PLATFORM_PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  PLATFORM_URI_TOO_LONG: { status: 414, title: 'The address is too long' },
  PLATFORM_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'This content type is not accepted' },
  PLATFORM_RATE_LIMITED: { status: 429, title: 'Too many requests; try again shortly' },
  PLATFORM_INTERNAL_ERROR: { status: 500, title: 'Something went wrong on our side' },
  PLATFORM_DATABASE_UNAVAILABLE: { status: 503, title: 'The database cannot be reached' },
  PLATFORM_OVERLOADED: { status: 503, title: 'The service is busy; try again shortly' },
} as const satisfies ErrorTable;

export type PlatformErrorCode = keyof typeof platformErrors;

/** Joins module tables; a code declared twice is a bug. */
export function joinErrorTables(tables: readonly ErrorTable[]): ErrorTable {
  const joined: Record<string, ErrorDefinition> = {};
  for (const table of tables) {
    for (const [code, definition] of Object.entries(table)) {
      if (code in joined) throw new Error(`error code ${code} is declared twice`);
      joined[code] = definition;
    }
  }
  return Object.freeze(joined);
}
