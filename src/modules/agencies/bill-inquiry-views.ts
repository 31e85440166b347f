/**
 * The bill inquiry page (/staff/bill-inquiry) for agency administrators: the agency's
 * registered prefix and lookup settings, a form to register or change them, and rotating the
 * lookup signing secret (a new secret is shown once, on the page that answers the form).
 * Works with JavaScript off; all copy from the locale files.
 */
import {
  lookupTimeoutMsDefault,
  lookupTimeoutMsMax,
  lookupTimeoutMsMin,
  type BillInquiryRoute,
} from '#modules/payments/index.ts';
import {
  html,
  kenyaDateTime,
  type PageContext,
  renderPage,
  type SafeHtml,
} from '#web/index.ts';

export const billInquiryPaths = {
  page: '/staff/bill-inquiry',
  rotate: '/staff/bill-inquiry/rotate',
} as const;

export type BillInquiryForm = Readonly<{
  agencyId: string;
  prefix: string;
  service: string;
  lookupUrl: string;
  timeoutMs: string;
  fallback: string;
  allowsPartPayment: boolean;
}>;

export type BillInquiryPageInput = Readonly<{
  routes: readonly BillInquiryRoute[];
  csrf: SafeHtml;
  /** Platform-wide roles name the agency they configure. */
  platformWide: boolean;
  secret?: string | undefined;
  notice?: string | undefined;
  problem?: Readonly<{ messageKey: string; field: string }> | undefined;
  form?: BillInquiryForm | undefined;
}>;

const t5 = (context: PageContext, key: string) => context.t(`agencies.billInquiry.${key}`);

function formOf(input: BillInquiryPageInput): BillInquiryForm {
  if (input.form !== undefined) return input.form;
  const route = input.platformWide ? undefined : input.routes[0];
  return { agencyId: '', prefix: route?.prefix ?? '', service: route?.serviceId ?? '',
    lookupUrl: route?.lookupUrl ?? '',
    timeoutMs: String(route?.timeoutMs ?? lookupTimeoutMsDefault),
    fallback: route?.fallback ?? 'reject', allowsPartPayment: route?.allowsPartPayment ?? false };
}

function textField(context: PageContext, input: BillInquiryPageInput, field: keyof
  BillInquiryForm, attributes: SafeHtml): SafeHtml {
  const problem = input.problem?.field === field ? input.problem : undefined;
  const value = String(formOf(input)[field]);
  return html`<div class="field${problem === undefined ? '' : ' field-error'}"><label for="${
    field}">${t5(context, field)}</label><p class="hint" id="${field}-hint">${
    t5(context, `${field}Hint`)}</p>${problem === undefined ? html``
    : html`<p class="error-message" id="${field}-error">${context.t(problem.messageKey)}</p>`}
<input id="${field}" name="${field}" ${attributes} aria-describedby="${field}-hint${
  problem === undefined ? '' : ` ${field}-error`}" value="${value}"></div>`;
}

function saveForm(context: PageContext, input: BillInquiryPageInput): SafeHtml {
  const form = formOf(input);
  const radio = (value: string) => html`<div class="radio"><input type="radio" id="fallback-${
    value}" name="fallback" value="${value}"${form.fallback === value ? html` checked` : html``}>
<label for="fallback-${value}">${t5(context, `fallback.${value}`)}</label></div>`;
  return html`<section aria-labelledby="settings"><h2 id="settings">${
    t5(context, input.routes.length === 0 || input.platformWide ? 'register' : 'change')}</h2>
<form method="post" action="${billInquiryPaths.page}" novalidate>${input.csrf}
${input.platformWide ? textField(context, input, 'agencyId', html`maxlength="36"`) : html``}
${textField(context, input, 'prefix', html`maxlength="3" autocapitalize="characters"`)}
${textField(context, input, 'service', html`maxlength="100"`)}
${textField(context, input, 'lookupUrl', html`type="url" maxlength="2000"`)}
${textField(context, input, 'timeoutMs', html`inputmode="numeric" maxlength="4" min="${
  String(lookupTimeoutMsMin)}" max="${String(lookupTimeoutMsMax)}"`)}
<fieldset><legend>${t5(context, 'fallback')}</legend><p class="hint">${
  t5(context, 'fallbackHint')}</p>${radio('reject')}${radio('accept')}</fieldset>
<div class="checkbox"><input type="checkbox" id="allowsPartPayment" name="allowsPartPayment"
 value="yes"${form.allowsPartPayment ? html` checked` : html``}><label for="allowsPartPayment">${
  t5(context, 'allowsPartPayment')}</label></div>
<button type="submit">${t5(context, 'save')}</button></form></section>`;
}

function routeRow(context: PageContext, input: BillInquiryPageInput, route: BillInquiryRoute):
  SafeHtml {
  return html`<tr><th scope="row"><code>${route.prefix}</code></th>
${input.platformWide ? html`<td>${route.agencyId}</td>` : html``}
<td>${route.lookupUrl}</td><td>${String(route.timeoutMs)}</td>
<td>${t5(context, `fallback.${route.fallback}`)}</td>
<td>${t5(context, route.allowsPartPayment ? 'yes' : 'no')}</td>
<td>${kenyaDateTime(route.updatedAt, context.language)}</td>
<td><form method="post" action="${billInquiryPaths.rotate}">${input.csrf}${input.platformWide
    ? html`<input type="hidden" name="agencyId" value="${route.agencyId}">` : html``}
<button type="submit">${t5(context, 'rotate')}</button></form></td></tr>`;
}

function routesTable(context: PageContext, input: BillInquiryPageInput): SafeHtml {
  if (input.routes.length === 0) return html`<p>${t5(context, 'none')}</p>`;
  return html`<table><caption>${t5(context, 'routes')}</caption><thead><tr>
<th scope="col">${t5(context, 'prefix')}</th>${input.platformWide
    ? html`<th scope="col">${t5(context, 'agencyId')}</th>` : html``}
<th scope="col">${t5(context, 'lookupUrl')}</th><th scope="col">${t5(context, 'timeoutMs')}</th>
<th scope="col">${t5(context, 'fallback')}</th><th scope="col">${
  t5(context, 'allowsPartPayment')}</th><th scope="col">${t5(context, 'updatedAt')}</th>
<th scope="col">${t5(context, 'actions')}</th></tr></thead><tbody>${
  input.routes.map((route) => routeRow(context, input, route))}</tbody></table>`;
}

export function renderBillInquiryPage(context: PageContext, input: BillInquiryPageInput):
  string {
  const title = t5(context, 'title');
  const problem = input.problem;
  return renderPage(context, {
    title: problem === undefined ? title
      : context.t('agencies.billInquiry.errorTitle', { title }),
    main: html`${problem === undefined ? html`` : html`<div class="error-summary" role="alert">
<h2>${t5(context, 'problem')}</h2><p><a href="#${problem.field}">${
  context.t(problem.messageKey)}</a></p></div>`}${input.notice === undefined ? html``
  : html`<div class="notice" role="status"><p>${context.t(input.notice)}</p></div>`}
${input.secret === undefined ? html`` : html`<div class="notice" role="status"><p>${
  t5(context, 'secretOnce')}</p><p><code>${input.secret}</code></p></div>`}
<h1>${title}</h1>
<p>${t5(context, 'intro')}</p>
${routesTable(context, input)}
${saveForm(context, input)}`,
  });
}
