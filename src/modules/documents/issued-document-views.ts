/**
 * Pages of issued documents: the holder's list and document page, the staff page with the
 * revoke form, and the /verify answers for a document payload. All copy from the locale files.
 */
import {
  html,
  localised,
  pickText,
  renderPage,
  summaryList,
  trusted,
  type Language,
  type PageContext,
  type SafeHtml,
  type Translate,
} from '#web/index.ts';
import { kenyaDate, type SignedDocumentFacts } from './document-payload.ts';
import { documentsPaths } from './documents-paths.ts';
import type { DocumentStatus } from './document-verify-service.ts';
import type { IssuedDocument } from './issued-document-types.ts';
import { qrSvg } from './qr-code.ts';

const dateFormatters = new Map<Language, Intl.DateTimeFormat>();

/** A YYYY-MM-DD date (Kenya calendar) written out in the page's language. */
export function formatDocumentDate(isoDate: string, language: Language): string {
  let formatter = dateFormatters.get(language);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(language === 'sw' ? 'sw-KE' : 'en-KE',
      { dateStyle: 'long', timeZone: 'UTC' });
    dateFormatters.set(language, formatter);
  }
  return formatter.format(new Date(`${isoDate}T00:00:00Z`));
}

/** The facts of a signed payload as label and value pairs (verify pages, the PDF, the CLI). */
export function signedFactRows(t: Translate, language: Language, facts: SignedDocumentFacts):
  (readonly [string, string])[] {
  return [
    [t('issuedDocuments.field.type'), t(`issuedDocuments.template.${facts.template}`)],
    [t('issuedDocuments.field.number'), facts.number],
    [t('issuedDocuments.field.service'), facts.serviceName],
    [t('issuedDocuments.field.agency'), facts.agencyName],
    [t('issuedDocuments.field.holder'), facts.holderName],
    [t('issuedDocuments.field.issuedOn'), formatDocumentDate(facts.issuedOn, language)],
    [t('issuedDocuments.field.expiresOn'), facts.expiresOn === null
      ? t('issuedDocuments.field.noExpiry') : formatDocumentDate(facts.expiresOn, language)],
  ];
}

/** The document's title in a language: "Certificate: <service>". */
export function documentTitle(t: Translate, language: Language, document: IssuedDocument):
  string {
  return t(`issuedDocuments.title.${document.template}`,
    { service: pickText(language, document.serviceName).text });
}

/** Rows for the holder's and staff pages and the PDF: the signed facts, then the extra ones. */
export function documentRows(t: Translate, language: Language, document: IssuedDocument,
  facts: SignedDocumentFacts): (readonly [string, string])[] {
  const rows = signedFactRows(t, language, facts);
  rows[2] = [t('issuedDocuments.field.service'), pickText(language, document.serviceName).text];
  rows[3] = [t('issuedDocuments.field.agency'), pickText(language, document.agencyName).text];
  return [...rows, ...document.facts.map((fact) =>
    [pickText(language, fact.label).text, fact.value] as const)];
}

export type DocumentPageInput = Readonly<{
  document: IssuedDocument;
  facts: SignedDocumentFacts;
  status: DocumentStatus;
  verifyUrl: string;
  pdfPath: string;
  /** The staff page's revoke section (form or outcome); absent on the holder's page. */
  staffSection?: SafeHtml;
  /** A flash line after a POST (e.g. "The document is revoked."). */
  notice?: string;
  /** The page answers a form with a problem: its title says so first. */
  hasError?: boolean;
}>;

function revokedNotice(t: Translate, language: Language, document: IssuedDocument): SafeHtml {
  if (document.revokedAt === null) return html``;
  const date = formatDocumentDate(kenyaDate(document.revokedAt), language);
  return html`<div class="error-summary" role="alert"><p>${
    t('issuedDocuments.page.revokedNotice', { date })}</p>${document.revocationReason === null
    ? html`` : html`<p>${t('issuedDocuments.page.revokedReason',
      { reason: document.revocationReason })}</p>`}</div>`;
}

export function renderDocumentPage(context: PageContext, input: DocumentPageInput): string {
  const { t, language } = context;
  const { document } = input;
  const title = documentTitle(t, language, document);
  const service = pickText(language, document.serviceName);
  return renderPage(context, {
    title: input.hasError === true ? t('issuedDocuments.errorTitle', { title }) : title,
    main: html`<h1>${t(`issuedDocuments.template.${document.template}`)}: ${
  localised(language, service)}</h1>
${input.notice === undefined ? html`` : html`<p class="notice" role="status">${input.notice}</p>`}
${revokedNotice(t, language, document)}
${summaryList([...documentRows(t, language, document, input.facts),
    [t('issuedDocuments.field.status'), t(`issuedDocuments.status.${input.status}`)]])}
<p><a class="button" href="${input.pdfPath}" download>${
  t('issuedDocuments.page.downloadPdf')}</a></p>
<h2>${t('issuedDocuments.page.checkTitle')}</h2>
<p>${t('issuedDocuments.page.checkBody')}</p>
<div class="qr-box">${trusted(qrSvg(input.verifyUrl, t('issuedDocuments.page.qrLabel')))}</div>
<p><a href="${documentsPaths.verify(document.payload)}">${
  t('issuedDocuments.page.checkLink')}</a></p>
${input.staffSection ?? html``}`,
  });
}

export function renderDocumentList(context: PageContext,
  documents: readonly IssuedDocument[]): string {
  const { t, language } = context;
  const items = documents.map((document) => html`<li><a href="${
    documentsPaths.document(document.id)}">${documentTitle(t, language, document)}</a> (${
    document.number})${document.revokedAt === null ? html``
    : html` — ${t('issuedDocuments.status.revoked')}`}</li>`);
  return renderPage(context, {
    title: t('issuedDocuments.list.title'),
    main: html`<h1>${t('issuedDocuments.list.title')}</h1>
<p class="lede">${t('issuedDocuments.list.lede')}</p>
${documents.length === 0 ? html`<p>${t('issuedDocuments.list.empty')}</p>`
    : html`<ul>${items}</ul>`}`,
  });
}

export type RevokeFormState = Readonly<{ reason: string; errorKey?: string }>;

/** The revoke form (JS off: a plain POST with the CSRF field), with its error summary. */
export function revokeSection(t: Translate, document: IssuedDocument, csrf: SafeHtml,
  state: RevokeFormState | undefined, mayRevoke: boolean): SafeHtml {
  if (document.revokedAt !== null) return html``;
  if (!mayRevoke) {
    return html`<h2>${t('issuedDocuments.staff.revokeTitle')}</h2>
<p>${t('issuedDocuments.staff.noPermission')}</p>`;
  }
  const error = state?.errorKey;
  return html`<h2>${t('issuedDocuments.staff.revokeTitle')}</h2>
${error === undefined ? html`` : html`<div class="error-summary" role="alert" tabindex="-1">
<h3>${t('issuedDocuments.staff.problem')}</h3>
<ul><li><a href="#reason">${t(error)}</a></li></ul></div>`}
<p>${t('issuedDocuments.staff.revokeBody')}</p>
<form method="post" action="${documentsPaths.revoke(document.id)}" novalidate>${csrf}
<label for="reason">${t('issuedDocuments.staff.reason')}</label>
<p class="hint" id="reason-hint">${t('issuedDocuments.staff.reasonHint')}</p>
${error === undefined ? html`` : html`<p class="field-error" id="reason-error">${t(error)}</p>`}
<textarea id="reason" name="reason" rows="3" cols="40" maxlength="500" required
 aria-describedby="reason-hint${error === undefined ? '' : ' reason-error'}"${
  error === undefined ? html`` : html` aria-invalid="true"`}>${state?.reason ?? ''}</textarea>
<p><button type="submit">${t('issuedDocuments.staff.revokeSubmit')}</button></p>
</form>`;
}

export type DocumentVerifyView =
  | Readonly<{ status: 'valid' | 'expired'; facts: SignedDocumentFacts }>
  | Readonly<{ status: 'revoked'; facts: SignedDocumentFacts; revokedOn: string }>
  | Readonly<{ status: 'unknown' }>;

export function renderDocumentVerifyAnswer(context: PageContext, view: DocumentVerifyView,
  input: string): string {
  const { t, language } = context;
  if (view.status === 'unknown') {
    return renderPage(context, {
      title: t('issuedDocuments.verify.unknownTitle'),
      main: html`<h1>${t('issuedDocuments.verify.unknownTitle')}</h1>
<div class="error-summary" role="alert"><p>${t('issuedDocuments.verify.unknownBody')}</p></div>
<p>${t('issuedDocuments.verify.unknownAdvice')}</p>
<form method="get" action="${documentsPaths.verify()}" novalidate>
<label for="p">${t('documents.verify.field')}</label>
<p class="hint" id="p-hint">${t('documents.verify.hint')}</p>
<textarea id="p" name="p" rows="4" cols="40" spellcheck="false" autocomplete="off"
 aria-describedby="p-hint">${input}</textarea>
<p><button type="submit">${t('documents.verify.submit')}</button></p>
</form>`,
    });
  }
  const title = t(`issuedDocuments.verify.${view.status}Title`);
  let body = t('issuedDocuments.verify.validBody');
  if (view.status === 'expired') {
    body = t('issuedDocuments.verify.expiredBody',
      { date: formatDocumentDate(view.facts.expiresOn ?? view.facts.issuedOn, language) });
  } else if (view.status === 'revoked') {
    body = t('issuedDocuments.verify.revokedBody',
      { date: formatDocumentDate(view.revokedOn, language) });
  }
  const box = view.status === 'valid' ? html`<p class="notice" role="status">${body}</p>`
    : html`<div class="error-summary" role="alert"><p>${body}</p></div>`;
  return renderPage(context, {
    title,
    main: html`<h1>${title}</h1>
${box}
${summaryList(signedFactRows(t, language, view.facts))}
<p><a href="${documentsPaths.verify()}">${t('issuedDocuments.verify.another')}</a></p>`,
  });
}
