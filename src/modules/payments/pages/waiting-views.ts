/**
 * "Check your phone": the page a payer watches while M-Pesa asks for their PIN. With
 * JavaScript off it reloads itself (a meta refresh inside <noscript>); with it on, a small
 * script polls the status and updates the words, reloading when there is a decision. It never
 * suggests paying again until M-Pesa has said, definitively, that no money was taken.
 */
import { format } from '#platform/money/index.ts';
import { html, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import type { StkPaymentStatus } from '../stk-status.ts';
import { payPaths } from './pay-paths.ts';
import type { StkPushSummary } from './stk-port.ts';

/** Seconds between reloads with JavaScript off: often enough to feel live, light on 3G. */
export const waitingRefreshSeconds = 5;
const pendingRefreshSeconds = 15;

/** The push's status as shown; 'preparing': confirmed, its receipt not issued yet. */
export type WaitingState = StkPaymentStatus['kind'] | 'preparing';

export type WaitingPageInput = Readonly<{
  reference: string;
  push: StkPushSummary;
  scriptPath: string;
  /** The push's status kind unless given. */
  state?: WaitingState;
}>;

function refresh(seconds: number): SafeHtml {
  return html`<noscript><meta http-equiv="refresh" content="${seconds}"></noscript>`;
}

function statusLine(context: PageContext, input: WaitingPageInput, text: string,
  state: WaitingState): SafeHtml {
  const { t } = context;
  return html`<p id="stk-status" class="notice" role="status" aria-live="polite"
 data-state="${state}" data-status-url="${payPaths.status(input.reference, input.push.id)}"
 data-pending-text="${t('payPages.waiting.pendingStatus')}">${text}</p>`;
}

export function renderWaitingPage(context: PageContext, input: WaitingPageInput): string {
  const { t, language } = context;
  const { push } = input;
  const status = push.status;
  const amount = format(push.amount, language);
  const script = html`<script src="${input.scriptPath}" defer></script>`;
  switch (status.kind) {
    case 'waiting':
    case 'confirmed':
      return renderPage(context, {
        title: t('payPages.waiting.title'),
        head: html`${refresh(waitingRefreshSeconds)}${script}`,
        main: html`<h1>${t('payPages.waiting.title')}</h1>
<p class="lede">${t('payPages.waiting.body', { amount })}</p>
${statusLine(context, input, t('payPages.waiting.status'), input.state ?? status.kind)}
<p>${t('payPages.waiting.noPrompt')}</p>`,
      });
    case 'pending':
      return renderPage(context, {
        title: t('payPages.pending.title'),
        head: html`${refresh(pendingRefreshSeconds)}${script}`,
        main: html`<h1>${t('payPages.pending.title')}</h1>
${statusLine(context, input, t('payPages.waiting.pendingStatus'), status.kind)}
<p><strong>${t('payPages.pending.doNotPay')}</strong></p>
<p>${t('payPages.pending.body')}</p>`,
      });
    case 'unconfirmed':
      return renderPage(context, {
        title: t('payPages.unconfirmed.title'),
        main: html`<h1>${t('payPages.unconfirmed.title')}</h1>
<p class="notice" role="status">${t('payPages.unconfirmed.body')}</p>
<p><strong>${t('payPages.unconfirmed.checkMessages')}</strong></p>
<p><a href="${payPaths.invoice(input.reference)}">${t('payPages.unconfirmed.back')}</a></p>`,
      });
    case 'failed':
      return renderPage(context, {
        title: t('payPages.failed.title'),
        main: html`<h1>${t('payPages.failed.title')}</h1>
<div class="error-summary" role="alert"><p>${t(`payPages.failed.reason.${status.reason}`)}</p>
</div>
<p>${t('payPages.failed.nothingTaken')}</p>
<p><a class="button" href="${payPaths.invoice(input.reference)}">${
  t('payPages.failed.tryAgain')}</a></p>`,
      });
  }
}
