/**
 * One agency's compliance register (/staff/compliance/agencies/:agencyId): its alerts, legacy
 * paybills (with forms to declare one and record one closed, for the agency), services by
 * on-boarding status from the catalogue, exemptions (recorded and approved by the desk, two
 * different people) and revenue declared collected outside the platform.
 */
import { format } from '#platform/money/index.ts';
import { html, type PageContext, renderPage, type SafeHtml } from '#web/index.ts';
import { compliancePaths } from './compliance-paths.ts';
import type { AgencyRef, ExemptionRow, Register } from './compliance-repo.ts';
import {
  exemptionStatus,
  paybillStatus,
  subjectLengthMax,
  textLengthMax,
} from './compliance-rules.ts';
import {
  alertsTable,
  banner,
  dateInput,
  field,
  pageTitle,
  type Banner,
} from './compliance-views.ts';

const k = (key: string): string => `agencies.compliance.${key}`;
const statuses = ['live', 'sandbox', 'in_progress', 'not_started', 'exempt'] as const;

export type RegisterPageInput = Banner & Readonly<{
  agency: AgencyRef;
  register: Register;
  today: string;
  canRespond: boolean;
  canManage: boolean;
  csrf: SafeHtml;
}>;

function paybillsSection(context: PageContext, input: RegisterPageInput): SafeHtml {
  const { t } = context;
  const { agency, register, csrf } = input;
  const rows = register.paybills.map((paybill) => {
    const status = paybillStatus(paybill, input.today);
    const closeForm = input.canRespond && status !== 'closed'
      ? html`<form method="post" action="${compliancePaths.paybillClose(agency.id, paybill.id)}">${
        csrf}${field(`closed-${paybill.id}`, t(k('paybills.closedOn')), dateInput(
        `closed-${paybill.id}`, 'closedOn'), t(k('dateHint')))}<button type="submit"
 class="secondary">${t(k('paybills.closeButton'))}</button></form>` : html``;
    return html`<tr><td>${paybill.paybillNumber}</td><td>${paybill.accountName}</td>
<td>${paybill.closureDueOn}</td><td>${paybill.closedOn ?? ''}</td>
<td>${t(k(`paybills.state.${status}`))}</td><td>${closeForm}</td></tr>`;
  });
  return html`<section aria-labelledby="paybills"><h2 id="paybills">${
    t(k('paybills.title'))}</h2>${register.paybills.length === 0
    ? html`<p>${t(k('paybills.none'))}</p>` : html`<table><caption>${
      t(k('paybills.caption'))}</caption><thead><tr><th scope="col">${
      t(k('paybills.number'))}</th><th scope="col">${t(k('paybills.name'))}</th>
<th scope="col">${t(k('paybills.closureDueOn'))}</th><th scope="col">${
  t(k('paybills.closedOn'))}</th><th scope="col">${t(k('paybills.state'))}</th>
<th scope="col">${t(k('actions'))}</th></tr></thead><tbody>${rows}</tbody></table>`}
${input.canRespond ? html`<h3>${t(k('paybills.declare'))}</h3>
<form method="post" action="${compliancePaths.paybills(agency.id)}">${csrf}
${field('paybill-number', t(k('paybills.number')), html`<input id="paybill-number"
 name="paybillNumber" type="text" inputmode="numeric" required maxlength="7"
 aria-describedby="paybill-number-hint">`, t(k('paybills.numberHint')))}
${field('paybill-name', t(k('paybills.name')), html`<input id="paybill-name" name="accountName"
 type="text" required maxlength="${String(subjectLengthMax)}">`)}
${field('paybill-due', t(k('paybills.closureDueOn')), dateInput('paybill-due',
    'closureDueOn'), t(k('dateHint')))}
<button type="submit">${t(k('paybills.declareButton'))}</button></form>` : html``}</section>`;
}

function servicesSection(context: PageContext, register: Register): SafeHtml {
  const { t } = context;
  const count = (status: string) => register.serviceCounts[status] ?? 0;
  const total = Object.values(register.serviceCounts).reduce((sum, n) => sum + n, 0);
  return html`<section aria-labelledby="services"><h2 id="services">${
    t(k('services.title'))}</h2><dl class="summary">${statuses.map((status) =>
    html`<dt>${t(k(`services.status.${status}`))}</dt><dd>${String(count(status))}</dd>`)}
<dt>${t(k('services.total'))}</dt><dd>${String(total)}</dd></dl>
${register.services.length === 0 ? html`` : html`<details><summary>${
  t(k('services.list'))}</summary><table><caption>${t(k('services.title'))}</caption><thead>
<tr><th scope="col">${t(k('services.name'))}</th><th scope="col">${
  t(k('services.statusColumn'))}</th></tr></thead><tbody>${register.services.map((service) =>
  html`<tr><td>${context.language === 'sw' ? service.nameSw ?? service.nameEn
    : service.nameEn}</td><td>${t(k(`services.status.${service.onboardingStatus}`))}</td>
</tr>`)}</tbody></table></details>`}</section>`;
}

function exemptionRow(context: PageContext, input: RegisterPageInput,
  exemption: ExemptionRow): SafeHtml {
  const { t } = context;
  const status = exemptionStatus(exemption, input.today);
  const approve = input.canManage && status === 'awaiting_approval'
    ? html`<form method="post" action="${compliancePaths.exemptionApprove(input.agency.id,
      exemption.id)}">${input.csrf}<button type="submit">${
      t(k('exemptions.approveButton'))}</button></form>` : html``;
  return html`<tr><td>${exemption.serviceNameEn ?? t(k('exemptions.wholeAgency'))}</td>
<td>${exemption.reason}</td><td>${exemption.migrationPlan}</td><td>${exemption.expiresOn}</td>
<td>${exemption.recordedBy}</td><td>${exemption.approvedByName ?? ''}</td>
<td>${t(k(`exemptions.state.${status}`))}</td><td>${approve}</td></tr>`;
}

function exemptionsSection(context: PageContext, input: RegisterPageInput): SafeHtml {
  const { t } = context;
  const { register, agency, csrf } = input;
  return html`<section aria-labelledby="exemptions"><h2 id="exemptions">${
    t(k('exemptions.title'))}</h2>${register.exemptions.length === 0
    ? html`<p>${t(k('exemptions.none'))}</p>` : html`<table><caption>${
      t(k('exemptions.title'))}</caption><thead><tr><th scope="col">${
      t(k('exemptions.scope'))}</th><th scope="col">${t(k('exemptions.reason'))}</th>
<th scope="col">${t(k('exemptions.plan'))}</th><th scope="col">${
  t(k('exemptions.expiresOn'))}</th><th scope="col">${t(k('exemptions.recordedBy'))}</th>
<th scope="col">${t(k('exemptions.approvedBy'))}</th><th scope="col">${
  t(k('exemptions.state'))}</th>
<th scope="col">${t(k('actions'))}</th></tr></thead><tbody>${register.exemptions.map((e) =>
  exemptionRow(context, input, e))}</tbody></table>`}
${input.canManage ? html`<h3>${t(k('exemptions.record'))}</h3><p>${
  t(k('exemptions.makerChecker'))}</p>
<form method="post" action="${compliancePaths.exemptions(agency.id)}">${csrf}
${field('exemption-service', t(k('exemptions.scope')), html`<select id="exemption-service"
 name="serviceId"><option value="">${t(k('exemptions.wholeAgency'))}</option>${
  register.services.map((s) => html`<option value="${s.id}">${s.nameEn}</option>`)}</select>`)}
${field('exemption-reason', t(k('exemptions.reason')), html`<textarea id="exemption-reason"
 name="reason" rows="3" required maxlength="${String(textLengthMax)}"></textarea>`)}
${field('exemption-plan', t(k('exemptions.plan')), html`<textarea id="exemption-plan"
 name="migrationPlan" rows="3" required maxlength="${String(textLengthMax)}"></textarea>`)}
${field('exemption-expires', t(k('exemptions.expiresOn')), dateInput('exemption-expires',
    'expiresOn'), t(k('dateHint')))}
<button type="submit">${t(k('exemptions.recordButton'))}</button></form>` : html``}</section>`;
}

function revenueSection(context: PageContext, input: RegisterPageInput): SafeHtml {
  const { t, language } = context;
  const { register, agency, csrf } = input;
  return html`<section aria-labelledby="revenue"><h2 id="revenue">${
    t(k('revenue.title'))}</h2>${register.revenue.length === 0
    ? html`<p>${t(k('revenue.none'))}</p>` : html`<table><caption>${
      t(k('revenue.caption'))}</caption><thead><tr><th scope="col">${
      t(k('revenue.month'))}</th><th scope="col" class="num">${t(k('revenue.amount'))}</th>
<th scope="col">${t(k('revenue.declaredBy'))}</th></tr></thead><tbody>${register.revenue.map(
  (row) => html`<tr><td>${row.month.slice(0, 7)}</td><td class="num">${format({
    amountMinor: row.amountMinor, currency: row.currency }, language)}</td>
<td>${row.declaredBy}</td></tr>`)}</tbody></table>`}
${input.canRespond ? html`<h3>${t(k('revenue.declare'))}</h3>
<form method="post" action="${compliancePaths.revenue(agency.id)}">${csrf}
${field('revenue-month', t(k('revenue.month')), html`<input id="revenue-month" name="month"
 type="month" required aria-describedby="revenue-month-hint">`, t(k('revenue.monthHint')))}
${field('revenue-currency', t(k('revenue.currency')), html`<select id="revenue-currency"
 name="currency"><option value="KES">KES</option><option value="USD">USD</option></select>`)}
${field('revenue-amount', t(k('revenue.amount')), html`<input id="revenue-amount" name="amount"
 type="text" inputmode="decimal" required maxlength="20"
 aria-describedby="revenue-amount-hint">`, t(k('revenue.amountHint')))}
<button type="submit">${t(k('revenue.declareButton'))}</button></form>` : html``}</section>`;
}

export function renderRegisterPage(context: PageContext, input: RegisterPageInput): string {
  const { t } = context;
  const name = context.language === 'sw' ? input.agency.nameSw ?? input.agency.nameEn
    : input.agency.nameEn;
  const title = t(k('register.title'), { agency: name });
  return renderPage(context, {
    title: pageTitle(context, title, input),
    main: html`${banner(context, input)}<p><a href="${compliancePaths.home}">${
      t(k('back'))}</a></p><h1>${title}</h1><p>${t(k('register.intro'))}</p>
<section aria-labelledby="alerts"><h2 id="alerts">${t(k('alerts.title'))}</h2>${
  alertsTable(context, input.register.alerts, false)}</section>
${paybillsSection(context, input)}${servicesSection(context, input.register)}
${exemptionsSection(context, input)}${revenueSection(context, input)}`,
  });
}
