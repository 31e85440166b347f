/**
 * The compliance register's rules, pure: the day in Nairobi, the states of paybills,
 * exemptions and notices, the notice transition table, and the scorecard's score
 * (docs/compliance.md explains the formula).
 */

const hourMs = 3_600_000;
/** Kenya keeps East Africa Time all year: UTC+3. Deadlines are Nairobi days. */
const nairobiOffsetMs = 3 * hourMs;

/** The Nairobi date ('YYYY-MM-DD') `now` falls on. */
export function nairobiDate(now: Date): string {
  return new Date(now.getTime() + nairobiOffsetMs).toISOString().slice(0, 10);
}

/**
 * A real calendar date written 'YYYY-MM-DD' (2026-02-30 is not), from the year 1900 on (the
 * year 0000 would pass the calendar but not PostgreSQL).
 */
export function isIsoDate(text: string): boolean {
  if (!/^(19|[2-9]\d)\d{2}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

/** 'YYYY-MM' of a real month, as the first day of that month. */
export function monthStart(text: string): string | undefined {
  if (!/^\d{4}-\d{2}$/.test(text)) return undefined;
  const first = `${text}-01`;
  return isIsoDate(first) ? first : undefined;
}

/** The first day of the month eleven months before `today`'s: twelve months with this one. */
export function twelveMonthsFrom(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const index = year * 12 + (month - 1) - 11;
  const startYear = Math.floor(index / 12);
  const startMonth = (index % 12) + 1;
  return `${String(startYear).padStart(4, '0')}-${String(startMonth).padStart(2, '0')}-01`;
}

export type PaybillStatus = 'open' | 'past_closure' | 'closed';

export function paybillStatus(paybill: Readonly<{ closureDueOn: string;
  closedOn: string | null }>, today: string): PaybillStatus {
  if (paybill.closedOn !== null) return 'closed';
  return paybill.closureDueOn < today ? 'past_closure' : 'open';
}

export type ExemptionStatus = 'awaiting_approval' | 'active' | 'expired';

/** An exemption is in force from its approval to the end of its expiry day. */
export function exemptionStatus(exemption: Readonly<{ approvedBy: string | null;
  expiresOn: string }>, today: string): ExemptionStatus {
  if (exemption.approvedBy === null) return 'awaiting_approval';
  return exemption.expiresOn < today ? 'expired' : 'active';
}

export type NoticeState = 'issued' | 'answered' | 'closed';
export type NoticeEventKind = 'issued' | 'answered' | 'closed' | 'reopened';
/** What a reader sees: the state, or 'overdue' for an issued notice past its deadline. */
export type NoticeStatus = NoticeState | 'overdue';

/**
 * The notice workflow as a table: (from, event) -> to. The desk issues; the agency answers
 * an issued notice; the desk closes (accepts) an answered one, or reopens it with a new
 * deadline (back to issued). A closed notice is final.
 */
export const noticeTransitions: Readonly<Record<NoticeEventKind,
  Readonly<{ from: readonly (NoticeState | 'none')[]; to: NoticeState }>>> = {
  issued: { from: ['none'], to: 'issued' },
  answered: { from: ['issued'], to: 'answered' },
  closed: { from: ['answered'], to: 'closed' },
  reopened: { from: ['answered'], to: 'issued' },
};

/** The state after `kind`, or undefined if `kind` may not happen in `state`. */
export function noticeStateAfter(state: NoticeState | 'none', kind: NoticeEventKind):
NoticeState | undefined {
  const transition = noticeTransitions[kind];
  return transition.from.includes(state) ? transition.to : undefined;
}

/** The state a notice's ordered events lead to; throws on an impossible history (a bug). */
export function deriveNoticeState(kinds: readonly NoticeEventKind[]): NoticeState {
  let state: NoticeState | 'none' = 'none';
  for (const kind of kinds) {
    const next = noticeStateAfter(state, kind);
    if (next === undefined) throw new Error(`a notice cannot be ${kind} when ${state}`);
    state = next;
  }
  if (state === 'none') throw new Error('a notice has no events');
  return state;
}

export function noticeStatus(state: NoticeState, deadlineOn: string, today: string):
NoticeStatus {
  return state === 'issued' && deadlineOn < today ? 'overdue' : state;
}

export type ScoreFacts = Readonly<{
  servicesTotal: number;
  servicesLive: number;
  legacyPaybillsOpen: number;
  legacyPaybillsPastClosure: number;
  exemptionsExpired: number;
  noticesOverdue: number;
  outsideRevenueDeclared: boolean;
}>;

/** Whole percent of the agency's catalogued services live on the platform (0 when none). */
export function onboardedPercent(servicesLive: number, servicesTotal: number): number {
  return servicesTotal === 0 ? 0 : Math.floor((servicesLive * 100) / servicesTotal);
}

/**
 * The score, 0 to 100: the share of services live, less 10 for each paybill open past its
 * closure date, each expired exemption and each overdue notice, 5 for each legacy paybill
 * still open within its closure date, and 10 when revenue was declared collected outside the
 * platform in the last twelve months. (`legacyPaybillsOpen` counts every paybill not closed,
 * those past closure included.)
 */
export function complianceScore(facts: ScoreFacts): number {
  const withinClosure = facts.legacyPaybillsOpen - facts.legacyPaybillsPastClosure;
  const raw = onboardedPercent(facts.servicesLive, facts.servicesTotal) -
    10 * facts.legacyPaybillsPastClosure - 10 * facts.exemptionsExpired -
    10 * facts.noticesOverdue - 5 * withinClosure - (facts.outsideRevenueDeclared ? 10 : 0);
  return Math.max(0, Math.min(100, raw));
}

export const paybillNumberPattern = /^[0-9]{5,7}$/;
export const textLengthMax = 2000;
export const noticeBodyLengthMax = 5000;
export const subjectLengthMax = 200;
