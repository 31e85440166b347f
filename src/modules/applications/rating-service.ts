/**
 * After the document is issued, the applicant rates the service (1 to 5) and may comment; the
 * ratings per service and agency feed the reports (ratingSummary).
 */
import { err, failure, ok, type Result } from '#platform/errors/index.ts';
import type { Database } from '#platform/db/index.ts';
import { applicationsDb, type ApplicationRow } from './application-repo.ts';
import type { ApplicationStatus } from './application-status.ts';
import type { ActFailure } from './action-engine.ts';

export async function rateApplication(
  deps: Readonly<{ db: Database }>,
  input: Readonly<{ application: ApplicationRow; status: ApplicationStatus; rating: number;
    comment: string; now: Date }>,
): Promise<Result<void, ActFailure>> {
  if (input.status !== 'issued') return err(failure('APPLICATION_ACTION_NOT_ALLOWED'));
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) {
    return err(failure('PLATFORM_VALIDATION_FAILED', 'rating must be 1 to 5'));
  }
  const comment = input.comment.trim().slice(0, 1000);
  const inserted = await applicationsDb(deps.db).insertInto('application_rating').values({
    application_id: input.application.id, rating: input.rating,
    comment: comment === '' ? null : comment, service_id: input.application.serviceId,
    agency_id: input.application.agencyId, rated_at: input.now,
  }).onConflict((conflict) => conflict.column('application_id').doNothing())
    .returning('application_id').executeTakeFirst();
  return inserted === undefined ? err(failure('APPLICATION_ALREADY_RATED')) : ok(undefined);
}

export async function isRated(deps: Readonly<{ db: Database }>, applicationId: string):
  Promise<boolean> {
  const row = await applicationsDb(deps.db).selectFrom('application_rating')
    .select('application_id').where('application_id', '=', applicationId).executeTakeFirst();
  return row !== undefined;
}

export type RatingSummary = Readonly<{ id: string; count: number; average: number }>;

/** Ratings per service or per agency: how many, and their average to one decimal. */
export async function ratingSummary(deps: Readonly<{ db: Database }>,
  by: 'service_id' | 'agency_id', agencyId?: string): Promise<RatingSummary[]> {
  let query = applicationsDb(deps.db).selectFrom('application_rating')
    .select((eb) => [eb.ref(by).as('id'), eb.fn.countAll<string>().as('n'),
      eb.fn.avg<string>('rating').as('average')]).groupBy(by);
  if (agencyId !== undefined) query = query.where('agency_id', '=', agencyId);
  const rows = await query.execute();
  return rows.map((row) => ({ id: row.id, count: Number(row.n),
    average: Math.round(Number(row.average) * 10) / 10 }));
}
