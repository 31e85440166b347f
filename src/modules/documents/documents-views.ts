/** The receipt page, the /verify page and its two answers. All copy from the locale files. */
import { format } from '#platform/money/index.ts';
import {
  html,
  renderPage,
  summaryList,
  trusted,
  type Language,
  type PageContext,
  type SafeHtml,
  type Translate,
} from '#web/index.ts';
import { documentsPaths } from './documents-paths.ts';
import { qrSvg } from './qr-code.ts';
import { inLanguage } from './receipt-details.ts';
import type { ReceiptRecord } from './receipt-repo.ts';
import type { SignedReceiptFacts } from './signed-payload.ts';

const dateTimeFormatters = new Map<Language, Intl.DateTimeFormat>();

/** Kenya time, whatever the server's zone: receipts are read in Kenya. */
export function formatPaidAt(value: Date, language: Language): string {
  let formatter = dateTimeFormatters.get(language);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(language === 'sw' ? 'sw-KE' : 'en-KE', {
      dateStyle: 'long', timeStyle: 'short', timeZone: 'Africa/Nairobi',
    });
    dateTimeFormatters.set(language, formatter);
  }
  return formatter.format(value);
}

export function channelLabel(t: Translate, channel: string): string {
  const known = ['mpesa_stk', 'mpesa_c2b', 'card', 'payer_credit'];
  return t(known.includes(channel) ? `documents.channel.${channel}` : 'documents.channel.other');
}

/** Label and value pairs of a receipt, for the page and the PDF alike. */
export function receiptRows(t: Translate, language: Language, receipt: ReceiptRecord):
  (readonly [string, string])[] {
  const { details } = receipt;
  const rows: (readonly [string, string])[] = [
    [t('documents.receipt.number'), receipt.number],
    [t('documents.receipt.billReference'), receipt.invoiceReference],
  ];
  if (details.payerName !== null) rows.push([t('documents.receipt.paidFor'), details.payerName]);
  if (details.paidByName !== null) {
    rows.push([t('documents.receipt.paidByPerson'), details.paidByName]);
  }
  rows.push(
    [t('documents.receipt.service'),
      inLanguage(language, receipt.serviceName, details.serviceNameSw)],
    [t('documents.receipt.agency'), inLanguage(language, receipt.agencyName, details.agencyNameSw)],
    ...details.billLines.map((line) => [t(`documents.receipt.line.${line.kind}`),
      format(line.amount, language)] as const),
    [t(details.billLines.length === 0 ? 'documents.receipt.amount'
      : 'documents.receipt.thisPayment'), format(receipt.amount, language)],
    [t('documents.receipt.paidAt'), formatPaidAt(receipt.paidAt, language)],
    [t('documents.receipt.channel'), channelLabel(t, receipt.channel)],
  );
  if (receipt.providerReference !== null) {
    rows.push([t('documents.receipt.providerReference'), receipt.providerReference]);
  }
  rows.push([t('documents.receipt.nextStep'), nextStepOf(t, language, receipt)]);
  return rows;
}

/** The service's next step in the reader's language, else the general line. */
export function nextStepOf(t: Translate, language: Language, receipt: ReceiptRecord): string {
  const { nextStepEn, nextStepSw } = receipt.details;
  if (nextStepEn === null) return t('documents.receipt.nextStepGeneral');
  return inLanguage(language, nextStepEn, nextStepSw);
}

/** "Paid by X for Y." when someone paid for another account; else nothing. */
export function paidByForLine(t: Translate, receipt: ReceiptRecord): string | undefined {
  const { paidByName, payerName } = receipt.details;
  if (paidByName === null || payerName === null) return undefined;
  return t('documents.receipt.paidByFor', { by: paidByName, for: payerName });
}

export type ReceiptPageInput = Readonly<{
  receipt: ReceiptRecord;
  payload: string;
  verifyUrl: string;
  pdfPath: string;
}>;

export function renderReceiptPage(context: PageContext, input: ReceiptPageInput): string {
  const { t, language } = context;
  const { receipt } = input;
  const paidBy = paidByForLine(t, receipt);
  return renderPage(context, {
    title: t('documents.receipt.title', { number: receipt.number }),
    main: html`<h1>${t('documents.receipt.title', { number: receipt.number })}</h1>
<p class="notice" role="status">${t('documents.receipt.paidNotice', {
  amount: format(receipt.amount, language) })}${paidBy === undefined ? '' : ` ${paidBy}`}</p>
${summaryList(receiptRows(t, language, receipt))}
<p><a class="button" href="${input.pdfPath}" download>${t('documents.receipt.downloadPdf')}</a></p>
<h2>${t('documents.receipt.checkTitle')}</h2>
<p>${t('documents.receipt.checkBody')}</p>
<div class="qr-box">${trusted(qrSvg(input.verifyUrl, t('documents.receipt.qrLabel')))}</div>
<p><a href="${documentsPaths.verify(input.payload)}">${t('documents.receipt.checkLink')}</a></p>`,
  });
}

function verifyForm(t: Translate, value: string): SafeHtml {
  return html`<form method="get" action="${documentsPaths.verify()}" novalidate>
<label for="p">${t('documents.verify.field')}</label>
<p class="hint" id="p-hint">${t('documents.verify.hint')}</p>
<textarea id="p" name="p" rows="4" cols="40" spellcheck="false" autocomplete="off"
 aria-describedby="p-hint">${value}</textarea>
<p><button type="submit">${t('documents.verify.submit')}</button></p>
</form>`;
}

export function renderVerifyForm(context: PageContext): string {
  const { t } = context;
  return renderPage(context, {
    title: t('documents.verify.title'),
    main: html`<h1>${t('documents.verify.title')}</h1>
<p class="lede">${t('documents.verify.lede')}</p>
${verifyForm(t, '')}
<p>${t('documents.verify.offline')} <a href="${documentsPaths.signingKey}">${
  t('documents.verify.keyLink')}</a></p>`,
  });
}

export function renderVerifyValid(context: PageContext, facts: SignedReceiptFacts,
  receipt: ReceiptRecord): string {
  const { t, language } = context;
  return renderPage(context, {
    title: t('documents.verify.validTitle'),
    main: html`<h1>${t('documents.verify.validTitle')}</h1>
<p class="notice" role="status">${t('documents.verify.validBody')}</p>
${summaryList([
    [t('documents.receipt.number'), facts.receiptNumber],
    [t('documents.receipt.billReference'), facts.invoiceReference],
    [t('documents.receipt.service'),
      inLanguage(language, receipt.serviceName, receipt.details.serviceNameSw)],
    [t('documents.receipt.agency'), facts.agencyName],
    [t('documents.receipt.amount'), format(facts.amount, language)],
    [t('documents.receipt.paidAt'), formatPaidAt(facts.paidAt, language)],
  ])}
<p><a href="${documentsPaths.verify()}">${t('documents.verify.another')}</a></p>`,
  });
}

export function renderVerifyUnknown(context: PageContext, input: string): string {
  const { t } = context;
  return renderPage(context, {
    title: t('documents.verify.unknownTitle'),
    main: html`<h1>${t('documents.verify.unknownTitle')}</h1>
<div class="error-summary" role="alert"><p>${t('documents.verify.unknownBody')}</p></div>
<p>${t('documents.verify.unknownAdvice')}</p>
${verifyForm(t, input)}`,
  });
}
