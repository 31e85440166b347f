/**
 * The auditor's pages: the audit log browser (a filter form that works without JavaScript, the
 * records newest first, a link to the next, older, page), a record's page with every field the
 * hash covers, and the tamper check with its progress and result. Copy from locales.
 */
import {
  html,
  kenyaDateTime,
  renderPage,
  summaryList,
  type PageContext,
  type SafeHtml,
} from '#web/index.ts';
import type { AuditRecord } from './audit-chain.ts';
import type { AuditFilter } from './audit-browse-repo.ts';
import type { AuditChainPosition, AuditChainSegmentReport } from './audit-repo.ts';

export const auditPaths = {
  browser: '/staff/audit',
  record: (sequence: bigint): string => `/staff/audit/records/${sequence}`,
  recordPattern: '/staff/audit/records/:sequence',
  verify: '/staff/audit/verify',
  /**
   * The check, from the start or continued from where a bounded step stopped; `auto`: each
   * step follows the last by itself (the auditor chose it; they can stop it).
   */
  verifyRun: (from?: AuditChainPosition, auto = false): string => {
    const query = new URLSearchParams({ run: '1' });
    if (auto) query.set('auto', '1');
    if (from !== undefined && from.sequence > 0n) {
      query.set('after', from.sequence.toString());
      query.set('hash', from.hash);
      query.set('version', String(from.hashVersion));
    }
    return `/staff/audit/verify?${query.toString()}`;
  },
} as const;

/** The browser's address for a filter (and a cursor), with empty parts left out. */
export function browserHref(filter: AuditFilter, before?: bigint): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (typeof value === 'string' && value !== '') query.set(name, value);
  }
  if (before !== undefined) query.set('before', before.toString());
  const text = query.toString();
  return text === '' ? auditPaths.browser : `${auditPaths.browser}?${text}`;
}

function field(id: keyof AuditFilter, label: string, value: string | undefined,
  type: 'text' | 'date' = 'text'): SafeHtml {
  return html`<div class="field"><label for="audit-${id}">${label}</label>
<input type="${type}" id="audit-${id}" name="${id}" value="${value ?? ''}"${
  type === 'text' ? html` maxlength="200" spellcheck="false"` : html``}></div>`;
}

function filterForm(context: PageContext, filter: AuditFilter): SafeHtml {
  const { t } = context;
  return html`<form method="get" action="${auditPaths.browser}" class="filters"
 aria-label="${t('audit.filter.label')}">
${field('from', t('audit.filter.from'), filter.from, 'date')}
${field('to', t('audit.filter.to'), filter.to, 'date')}
${field('action', t('audit.filter.action'), filter.action)}
${field('actorId', t('audit.filter.actor'), filter.actorId)}
${field('subjectType', t('audit.filter.subjectType'), filter.subjectType)}
${field('subjectId', t('audit.filter.subjectId'), filter.subjectId)}
<button type="submit">${t('audit.filter.submit')}</button>
<a href="${auditPaths.browser}">${t('audit.filter.clear')}</a></form>`;
}

function actorText(context: PageContext, record: AuditRecord): string {
  const { actor } = record;
  const kind = context.t(`audit.actorKind.${actor.kind}`);
  return [kind, actor.role, actor.id].filter((part) => part !== null && part !== '').join(' · ');
}

function detailText(record: AuditRecord): string {
  return Object.entries(record.detail).map(([key, value]) => `${key}: ${String(value)}`)
    .join('; ');
}

function recordRow(context: PageContext, record: AuditRecord): SafeHtml {
  const { language } = context;
  const subject = `${record.subject.type}${record.subject.id === null ? ''
    : ` ${record.subject.id}`}`;
  return html`<tr><td><a href="${auditPaths.record(record.sequence)}">${
    record.sequence.toString()}</a></td>
<td>${kenyaDateTime(record.occurredAt, language, 'second')}</td>
<td>${actorText(context, record)}</td><td><code>${record.action}</code>${
  record.personalDataRead ? html` <strong class="tag">${
    context.t('audit.personalDataRead')}</strong>` : html``}</td>
<td>${subject}</td><td>${detailText(record)}</td>
<td><code>${record.hash.slice(0, 16)}…</code></td></tr>`;
}

export type AuditBrowserInput = Readonly<{
  filter: AuditFilter;
  records: readonly AuditRecord[];
  nextBefore: bigint | undefined;
  paged: boolean;
  chainLength: bigint;
  problem?: string | undefined;
}>;

export function renderAuditBrowser(context: PageContext, input: AuditBrowserInput): string {
  const { t } = context;
  const title = t('audit.browser.title');
  const table = input.records.length === 0 ? html`<p>${t('audit.browser.none')}</p>`
    : html`<table><caption class="visually-hidden">${title}</caption><thead><tr>
<th scope="col">${t('audit.field.sequence')}</th><th scope="col">${t('audit.field.time')}</th>
<th scope="col">${t('audit.field.actor')}</th><th scope="col">${t('audit.field.action')}</th>
<th scope="col">${t('audit.field.subject')}</th><th scope="col">${t('audit.field.detail')}</th>
<th scope="col">${t('audit.field.hash')}</th></tr></thead>
<tbody>${input.records.map((record) => recordRow(context, record))}</tbody></table>`;
  const pages = [
    input.paged ? html`<li><a href="${browserHref(input.filter)}">${
      t('audit.browser.newest')}</a></li>` : html``,
    input.nextBefore === undefined ? html`` : html`<li><a rel="next" href="${
      browserHref(input.filter, input.nextBefore)}">${t('audit.browser.older')}</a></li>`,
  ];
  return renderPage(context, {
    title,
    main: html`${input.problem === undefined ? html`` : html`<div class="error-summary"
 role="alert"><h2>${t('audit.problem')}</h2><p>${t(input.problem)}</p></div>`}<h1>${title}</h1>
<p>${t('audit.browser.intro', { count: input.chainLength.toString() })}</p>
<p><a href="${auditPaths.verify}">${t('audit.verify.link')}</a></p>
${filterForm(context, input.filter)}
${table}
<nav aria-label="${t('audit.browser.pages')}"><ul class="pagination">${pages}</ul></nav>`,
  });
}

function optional(value: string | null, none: string): SafeHtml | string {
  return value === null ? none : html`<code>${value}</code>`;
}

export function renderAuditRecord(context: PageContext, record: AuditRecord): string {
  const { t, language } = context;
  const none = t('audit.none');
  const title = t('audit.record.title', { sequence: record.sequence.toString() });
  const detail = Object.entries(record.detail);
  return renderPage(context, {
    title,
    main: html`<h1>${title}</h1>
${summaryList([
    [t('audit.field.time'), html`${kenyaDateTime(record.occurredAt, language, 'second')}
 (<code>${record.occurredAtMicros}</code>)`],
    [t('audit.field.action'), html`<code>${record.action}</code>`],
    [t('audit.field.actor'), actorText(context, record)],
    [t('audit.field.onBehalfOf'), record.onBehalfOf === null ? none
      : `${record.onBehalfOf.kind} ${record.onBehalfOf.id}`],
    [t('audit.field.subject'), html`${record.subject.type} ${
      optional(record.subject.id, '')}`],
    [t('audit.field.agency'), optional(record.agencyId, none)],
    [t('audit.field.personalDataRead'), t(record.personalDataRead ? 'audit.yes' : 'audit.no')],
    [t('audit.field.sourceAddress'), optional(record.sourceAddress, none)],
    [t('audit.field.hashVersion'), String(record.hashVersion)],
    [t('audit.field.previousHash'), html`<code>${record.previousHash}</code>`],
    [t('audit.field.hash'), html`<code>${record.hash}</code>`],
  ])}
<h2>${t('audit.field.detail')}</h2>
${detail.length === 0 ? html`<p>${none}</p>` : summaryList(detail.map(([key, value]) =>
    [key, value === null ? none : String(value)] as const))}
<p><a href="${browserHref({ subjectType: record.subject.type,
    subjectId: record.subject.id ?? undefined })}">${t('audit.record.sameSubject')}</a></p>
<p><a href="${auditPaths.browser}">${t('audit.record.back')}</a></p>`,
  });
}

export type AuditVerifyInput = Readonly<{
  chainLength: bigint;
  /** The result of this step of the check; none: the check has not been started. */
  report?: AuditChainSegmentReport | undefined;
  /** Records found sound before this step (a continued check). */
  before: bigint;
  /** The auditor asked the steps to follow each other by themselves. */
  auto: boolean;
}>;

function verifyResult(context: PageContext, input: AuditVerifyInput,
  report: AuditChainSegmentReport): SafeHtml {
  const { t } = context;
  const checked = (input.before + BigInt(report.rows)).toString();
  if (report.ok === 'so-far') {
    return html`<div class="notice" role="status"><p>${t('audit.verify.progress', {
      checked, total: input.chainLength.toString() })}</p>
<p><a href="${auditPaths.verifyRun(report.position, input.auto)}">${
  t('audit.verify.continue')}</a></p>${input.auto ? html`<p><a href="${
  auditPaths.verifyRun(report.position)}">${t('audit.verify.stop')}</a></p>` : html``}</div>`;
  }
  if (report.ok) {
    return html`<div class="notice" role="status"><h2>${t('audit.verify.sound')}</h2>
<p>${t('audit.verify.soundCount', { checked })}</p>
<p>${t('audit.verify.lastHash')} <code>${report.lastHash}</code></p></div>`;
  }
  return html`<div class="error-summary" role="alert"><h2>${t('audit.verify.broken', {
    sequence: report.firstBadSequence.toString() })}</h2>
<p>${t('audit.verify.brokenCount', { checked })}</p><p>${report.reason}</p>
${report.expectedHash === undefined ? html`` : summaryList([
    [t('audit.verify.expected'), html`<code>${report.expectedHash}</code>`],
    [t('audit.verify.found'), html`<code>${report.foundHash ?? ''}</code>`]])}
<p><a href="${auditPaths.record(report.firstBadSequence)}">${
  t('audit.verify.openRecord')}</a></p></div>`;
}

export function renderAuditVerify(context: PageContext, input: AuditVerifyInput): string {
  const { t } = context;
  const report = input.report;
  const next = report?.ok === 'so-far' && input.auto
    ? auditPaths.verifyRun(report.position, true) : undefined;
  return renderPage(context, {
    title: t('audit.verify.title'),
    // Only when the auditor chose it (WCAG 2.2.1): the next step follows by itself, without
    // JavaScript; the links continue or stop it by hand.
    head: next === undefined ? html`` : html`<meta http-equiv="refresh" content="1;url=${next}">`,
    main: html`<h1>${t('audit.verify.title')}</h1>
<p>${t('audit.verify.intro', { count: input.chainLength.toString() })}</p>
${report === undefined ? html`` : verifyResult(context, input, report)}
${report?.ok === 'so-far' ? html`` : html`<form method="get" action="${auditPaths.verify}">
<input type="hidden" name="run" value="1"><div class="field"><input type="checkbox" id="auto"
 name="auto" value="1"> <label for="auto">${t('audit.verify.auto')}</label></div>
<button type="submit">${
  t(report === undefined ? 'audit.verify.run' : 'audit.verify.again')}</button></form>`}
<p><a href="${auditPaths.browser}">${t('audit.record.back')}</a></p>`,
  });
}
