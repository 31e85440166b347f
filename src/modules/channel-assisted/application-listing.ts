/**
 * Applications made through agents: the citizen's own (on their account page, linked to the
 * application in "my applications") and an agency's (its staff see which applications came
 * through which agent). Each row names the application, the service, the agent and the fee.
 */
import { applicationsPaths } from '#modules/applications/index.ts';
import type { AgencyScope } from '#modules/authorisation/index.ts';
import { money, type Money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { html, kenyaDateTime, type PageContext, type SafeHtml } from '#web/index.ts';
import { listedMax } from './assisted-limits.ts';
import { assistedDb } from './assisted-tables.ts';
import { amount } from './view-parts.ts';

export type ListedApplication = Readonly<{
  applicationId: string;
  reference: string;
  createdAt: Date;
  serviceNameEn: string;
  serviceNameSw: string | null;
  agentNumber: string;
  agentName: string;
  agentFee: Money;
}>;

type Filter = Readonly<{ citizenAccountId: string }> | Readonly<{ agency: AgencyScope }>;

export async function listAssistedApplications(deps: Pick<ModuleDeps, 'db'>, filter: Filter):
  Promise<ListedApplication[]> {
  let query = assistedDb(deps.db).selectFrom('assisted_application as t')
    .innerJoin('application as p', 'p.id', 't.application_id')
    .innerJoin('service as s', 's.id', 't.service_id')
    .innerJoin('assisted_agent as a', 'a.staff_id', 't.agent_staff_id')
    .select(['t.application_id', 'p.reference', 't.created_at', 's.name_en', 's.name_sw',
      'a.agent_number', 'a.business_name', 't.agent_fee_minor']);
  if ('citizenAccountId' in filter) {
    query = query.where('t.citizen_account_id', '=', filter.citizenAccountId);
  } else if (filter.agency !== 'all') {
    query = query.where('t.agency_id', '=', filter.agency);
  }
  const rows = await query.orderBy('t.created_at', 'desc').limit(listedMax).execute();
  return rows.map((row) => ({ applicationId: row.application_id, reference: row.reference,
    createdAt: row.created_at, serviceNameEn: row.name_en, serviceNameSw: row.name_sw,
    agentNumber: row.agent_number, agentName: row.business_name,
    agentFee: money(BigInt(row.agent_fee_minor), 'KES') }));
}

/** A table of applications made through agents; `linked`: each reference links to its page. */
export function applicationsTable(context: PageContext, rows: readonly ListedApplication[],
  linked: boolean): SafeHtml {
  const { t, language } = context;
  return html`<table><caption>${t('assisted.account.applicationsCaption')}</caption><thead><tr>
<th scope="col">${t('assisted.list.when')}</th>
<th scope="col">${t('assisted.list.application')}</th>
<th scope="col">${t('assisted.list.service')}</th><th scope="col">${t('assisted.list.agent')}</th>
<th scope="col" class="num">${t('assisted.bill.agentFeeRow')}</th></tr></thead><tbody>${
  rows.map((row) => html`<tr><td>${kenyaDateTime(row.createdAt, language)}</td>
<td>${linked ? html`<a href="${applicationsPaths.application(row.applicationId)}">${
  row.reference}</a>` : row.reference}</td>
<td>${language === 'sw' && row.serviceNameSw !== null ? row.serviceNameSw : row.serviceNameEn}</td>
<td>${t('assisted.list.throughAgent', { number: row.agentNumber, name: row.agentName })}</td>
<td class="num">${amount(context, row.agentFee)}</td></tr>`)}</tbody></table>`;
}

/** The account page's section; nothing when no agent ever applied for this person. */
export function citizenApplicationsSection(context: PageContext,
  rows: readonly ListedApplication[]): SafeHtml | undefined {
  if (rows.length === 0) return undefined;
  return html`<section aria-labelledby="assisted-applications"><h2 id="assisted-applications">${
    context.t('assisted.account.applicationsTitle')}</h2>${
    applicationsTable(context, rows, true)}</section>`;
}
