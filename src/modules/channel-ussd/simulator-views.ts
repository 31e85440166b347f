/**
 * The USSD simulator page (development only): a phone screen as a plain form, so it works with
 * JavaScript off. Dial starts a session; each answer is sent with the answers before it, as
 * the gateway would send them.
 */
import { html, renderPage, type PageContext, type SafeHtml } from '#web/index.ts';
import { simulatorServiceCode, ussdPaths } from './ussd-paths.ts';
import type { UssdReply } from './ussd-service.ts';

export type SimulatorView = Readonly<{
  phone: string;
  phoneInvalid?: boolean;
  /** The session under way, with what the phone shows now. */
  session?: Readonly<{ sessionId: string; text: string; reply: UssdReply }>;
}>;

function phoneField(context: PageContext, view: SimulatorView): SafeHtml {
  const { t } = context;
  const invalid = view.phoneInvalid === true;
  return html`<div class="field${invalid ? ' field-error' : ''}"><label for="phone">${
    t('ussd.simulator.phone')}</label><p class="hint" id="phone-hint">${
    t('ussd.simulator.phoneHint')}</p>${invalid ? html`<p class="error-message" id="phone-error">${
    t('ussd.simulator.phoneInvalid')}</p>` : html``}<input id="phone" name="phone" type="tel"
 autocomplete="tel" aria-describedby="phone-hint${invalid ? ' phone-error' : ''}" value="${
    view.phone}"></div>`;
}

function screenSection(context: PageContext, view: SimulatorView, csrf: SafeHtml): SafeHtml {
  const { t } = context;
  const session = view.session;
  if (session === undefined) return html``;
  const ended = session.reply.end;
  return html`<section aria-labelledby="screen-title"><h2 id="screen-title">${
    t('ussd.simulator.screen')}</h2>
<pre class="ussd-screen" data-ussd-state="${ended ? 'end' : 'con'}">${session.reply.text}</pre>
${ended ? html`<p role="status">${t('ussd.simulator.ended')}</p>` : html`<form method="post"
 action="${ussdPaths.simulator}">${csrf}<input type="hidden" name="phone" value="${view.phone}">
<input type="hidden" name="sessionId" value="${session.sessionId}">
<input type="hidden" name="text" value="${session.text}">
<div class="field"><label for="answer">${t('ussd.simulator.answer')}</label>
<input id="answer" name="answer" inputmode="numeric" autocomplete="off" autofocus></div>
<button type="submit" name="action" value="send">${t('ussd.simulator.send')}</button></form>`}
</section>`;
}

export function renderSimulatorPage(context: PageContext, view: SimulatorView, csrf: SafeHtml):
  string {
  const { t } = context;
  const dialLabel = view.session?.reply.end === true ? t('ussd.simulator.dialAgain')
    : t('ussd.simulator.dial', { code: simulatorServiceCode });
  return renderPage(context, {
    title: t('ussd.simulator.title'),
    main: html`${view.phoneInvalid === true ? html`<div class="error-summary" role="alert"><p><a
 href="#phone">${t('ussd.simulator.phoneInvalid')}</a></p></div>` : html``}
<h1>${t('ussd.simulator.title')}</h1>
<p>${t('ussd.simulator.intro')}</p>
${screenSection(context, view, csrf)}
<form method="post" action="${ussdPaths.simulator}">${csrf}${phoneField(context, view)}
<button type="submit" name="action" value="dial">${dialLabel}</button></form>`,
  });
}
