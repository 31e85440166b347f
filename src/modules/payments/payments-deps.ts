/** What the payments services need, passed in (no module-level singletons). */
import type { Clock } from '#platform/clock/index.ts';
import type { Database } from '#platform/db/index.ts';
import type { Logger } from '#platform/logging/index.ts';

export type PaymentsDeps = Readonly<{ db: Database; clock: Clock; logger: Logger }>;
