/** The report period: two Kenya calendar days, pure rules (no I/O). */
import { err, failure, ok, type Failure, type Result } from '#platform/errors/index.ts';
import type { Period } from './reporting-read.ts';

/** A period longer than a year is refused: the pages stay small (CSV has the same limit). */
export const periodDaysMax = 366;
/** The default period: the last 30 Kenya days, today included. */
export const defaultPeriodDays = 30;

const dayMs = 86_400_000;
const eastAfricaOffsetMs = 3 * 3_600_000;

/** The Kenya calendar day of an instant ('YYYY-MM-DD'). */
export function kenyaDay(instant: Date): string {
  return new Date(instant.getTime() + eastAfricaOffsetMs).toISOString().slice(0, 10);
}

/** The day `days` after `day` (negative: before). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/** A real day in the years the platform can hold (PostgreSQL has no year 0000). */
function isCalendarDay(value: string): boolean {
  if (!/^(19|20)\d{2}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

export type PeriodInput = Readonly<{ from?: string | undefined; to?: string | undefined }>;

/**
 * The period asked for, or the default (the last 30 days to today in Kenya) for a missing end.
 * @returns err(REPORTING_PERIOD_INVALID) for a date that is not one, from after to, or a span
 *   over periodDaysMax days.
 */
export function parsePeriod(input: PeriodInput, now: Date):
  Result<Period, Failure<'REPORTING_PERIOD_INVALID'>> {
  const given = (value: string | undefined) => value === undefined || value.trim() === ''
    ? undefined : value.trim();
  const toGiven = given(input.to);
  const fromGiven = given(input.from);
  const to = toGiven ?? kenyaDay(now);
  // The default start is counted back from a real end only (a junk end has no days before it).
  const from = fromGiven ?? (isCalendarDay(to) ? addDays(to, 1 - defaultPeriodDays) : to);
  if (!isCalendarDay(from) || !isCalendarDay(to) || from > to ||
    (Date.parse(to) - Date.parse(from)) / dayMs + 1 > periodDaysMax) {
    return err(failure('REPORTING_PERIOD_INVALID',
      `the period ${from} to ${to} is not two dates at most ${periodDaysMax} days apart`));
  }
  return ok({ from, to });
}

/** Every day of the period, in order. */
export function daysOf(period: Period): string[] {
  const days: string[] = [];
  for (let day = period.from; day <= period.to; day = addDays(day, 1)) days.push(day);
  return days;
}
