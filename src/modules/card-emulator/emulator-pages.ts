/**
 * The acquirer's pages (English only, like many acquirers' test pages): the hosted card form,
 * the challenge step, and the page of a finished, expired or unknown session. Small, no
 * JavaScript, one tiny stylesheet; errors are tied to their fields.
 */
import { format } from '#platform/money/index.ts';
import { html, type SafeHtml } from '#web/index.ts';
import {
  cardEmulatorChallengeCode,
  challengeAttemptsMax,
} from './emulator-cards.ts';
import type { CardField, FieldError } from './emulator-checkout.ts';
import type { PaymentSession } from './emulator-state.ts';

/** Where the stylesheet is, relative to the emulator's root. */
export const stylesheetPath = '/assets/card-emulator.css';

export const stylesheetText = [
  'body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.5}',
  'header{background:#1d3557;color:#fff;padding:.5rem 1rem}header p{margin:0}',
  'main{max-width:32rem;margin:0 auto;padding:1rem}',
  'label{display:block;font-weight:600;margin-top:1rem}.hint{margin:0;color:#444}',
  'input{font:inherit;padding:.5rem;border:2px solid #1b1b1b;width:100%;box-sizing:border-box}',
  'input[aria-invalid=true]{border-color:#b00020}.error{color:#b00020;font-weight:600;margin:0}',
  'button{font:inherit;margin:1.25rem .5rem 0 0;padding:.6rem 1.2rem;min-height:44px;',
  'border:2px solid #1d3557;background:#1d3557;color:#fff}',
  'button.secondary{background:#fff;color:#1d3557}',
  '.summary{border:3px solid #b00020;padding:.5rem 1rem;margin:1rem 0}',
  '.code{font-size:1.25rem;border:2px dashed #1d3557;padding:.5rem;display:inline-block}',
  'a{color:#1d3557}:focus{outline:3px solid #f4a300;outline-offset:2px}',
  'dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0}',
].join('');

/** A page, `depth` path segments below the emulator's /pay/ (for relative links). */
function page(title: string, depth: number, body: SafeHtml): string {
  const up = '../'.repeat(depth);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} - Demo card acquirer</title>
<link rel="stylesheet" href="${up}${stylesheetPath.slice(1)}"></head>
<body><header><p>Demo card acquirer: a test page, no real money moves</p></header>
<main>${body}</main></body></html>`.value;
}

function summary(session: PaymentSession): SafeHtml {
  return html`<dl><dt>Reference</dt><dd>${session.merchantReference}</dd>
${session.description === '' ? '' : html`<dt>For</dt><dd>${session.description}</dd>`}
<dt>Amount</dt><dd>${format(session.amount)}</dd></dl>`;
}

function errorSummary(errors: readonly Readonly<{ field: string; message: string }>[]):
  SafeHtml {
  if (errors.length === 0) return html``;
  return html`<div class="summary" role="alert" aria-labelledby="problem-title">
<h2 id="problem-title">There is a problem</h2><ul>${errors.map((error) =>
    html`<li><a href="#${error.field}">${error.message}</a></li>`)}</ul></div>`;
}

type FieldSpec = Readonly<{ field: CardField; label: string; autocomplete: string;
  inputmode?: string; value?: string; hint?: string }>;

function field(spec: FieldSpec, errors: readonly FieldError[]): SafeHtml {
  const error = errors.find((candidate) => candidate.field === spec.field);
  const describedBy = [spec.hint === undefined ? '' : `${spec.field}-hint`,
    error === undefined ? '' : `${spec.field}-error`].filter((id) => id !== '').join(' ');
  const hint = spec.hint === undefined ? ''
    : html`<p class="hint" id="${spec.field}-hint">${spec.hint}</p>\n`;
  const message = error === undefined ? '' : html`<p class="error" id="${spec.field}-error">\
<span>Error:</span> ${error.message}</p>\n`;
  return html`<label for="${spec.field}">${spec.label}</label>
${hint}${message}<input id="${spec.field}" name="${spec.field}" type="text" \
autocomplete="${spec.autocomplete}"${spec.inputmode === undefined ? ''
    : html` inputmode="${spec.inputmode}"`}${describedBy === '' ? ''
    : html` aria-describedby="${describedBy}"`}${error === undefined ? ''
    : html` aria-invalid="true"`} value="${spec.value ?? ''}">`;
}

export type HostedPageInput = Readonly<{
  session: PaymentSession;
  errors: readonly FieldError[];
  /** What the payer typed, kept when the form comes back (never the card number or CVC). */
  expiry: string;
  name: string;
  /** Extra hidden fields (the platform's CSRF field when mounted in the app). */
  hidden: SafeHtml;
}>;

export function hostedPage(input: HostedPageInput): string {
  const { session, errors } = input;
  const title = `${errors.length > 0 ? 'Error: ' : ''}Pay ${format(session.amount)} by card`;
  return page(title, 1, html`<h1>Pay by card</h1>${summary(session)}${errorSummary(errors)}
<form method="post" novalidate>${input.hidden}
${field({ field: 'cardNumber', label: 'Card number', autocomplete: 'cc-number',
    inputmode: 'numeric', hint: 'The 16 digits on the front of the card.' }, errors)}
${field({ field: 'expiry', label: 'Expiry date', autocomplete: 'cc-exp', value: input.expiry,
    hint: 'As MM/YY, for example 08/29.' }, errors)}
${field({ field: 'cvc', label: 'Security code (CVC)', autocomplete: 'cc-csc',
    inputmode: 'numeric', hint: 'The last 3 digits on the back of the card.' }, errors)}
${field({ field: 'name', label: 'Name on card', autocomplete: 'cc-name', value: input.name },
    errors)}
<button type="submit">Pay ${format(session.amount)}</button></form>`);
}

export function challengePage(session: PaymentSession, wrongCode: boolean, hidden: SafeHtml):
  string {
  const left = challengeAttemptsMax - (session.challenge?.wrongAttempts ?? 0);
  const error = wrongCode ? `The code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.`
    : undefined;
  return page(`${wrongCode ? 'Error: ' : ''}Confirm the payment`, 2, html`
<h1>Confirm the payment with your bank</h1>${summary(session)}
${errorSummary(error === undefined ? [] : [{ field: 'code', message: error }])}
<p>Your bank has sent a one-time code to your phone.</p>
<p class="code">Test code: ${cardEmulatorChallengeCode}</p>
<form method="post" novalidate>${hidden}
<label for="code">One-time code</label>
${error === undefined ? ''
    : html`<p class="error" id="code-error"><span>Error:</span> ${error}</p>`}
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
${error === undefined ? '' : html`aria-describedby="code-error" aria-invalid="true"`}>
<button type="submit" name="action" value="verify">Confirm</button>
<button type="submit" name="action" value="cancel" class="secondary">Cancel payment</button>
</form>`);
}

const closedText: Readonly<Record<PaymentSession['status'], string>> = {
  open: 'This payment is waiting for the card.',
  succeeded: 'This payment has been made. It cannot be paid again.',
  failed: 'This payment did not go through. Go back to the merchant to try again.',
  expired: 'This payment session has expired. Go back to the merchant to start again.',
};

export function closedPage(session: PaymentSession, returnTo: string, depth: number): string {
  return page('Payment finished', depth, html`<h1>This payment is closed</h1>
${summary(session)}<p>${closedText[session.status]}</p>
<p><a href="${returnTo}">Return to the merchant</a></p>`);
}

export function notFoundPage(depth: number): string {
  return page('Payment not found', depth, html`<h1>Payment not found</h1>
<p>There is no payment session at this address. Go back to the merchant to start again.</p>`);
}
