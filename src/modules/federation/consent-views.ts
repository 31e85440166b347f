/**
 * The consent page: which agency's system asks, and for what. Each requested claim is listed;
 * the ID number is a box the citizen ticks (never ticked for them). Allow and Deny are two
 * buttons of one form (CSRF-protected), so it works with JavaScript off.
 */
import { html, localised, pickText, renderPage, type PageContext,
  type SafeHtml } from '#web/index.ts';
import { federationPaths } from './federation-paths.ts';
import { idNumberScope } from './federation-scopes.ts';

export type ConsentPageInput = Readonly<{
  uid: string;
  clientName: string;
  agency: Readonly<{ nameEn: string; nameSw: string | null }>;
  /** The scopes asked for that the citizen has not answered yet (openid aside). */
  scopes: readonly string[];
  citizenName: string;
  csrf: SafeHtml;
}>;

/** The scopes shown as a plain list (the ID number has its own box). */
const listedScopes = ['profile', 'phone', 'offline_access'] as const;

function requestedList(context: PageContext, input: ConsentPageInput): SafeHtml {
  const { t } = context;
  const items = listedScopes.filter((scope) => input.scopes.includes(scope));
  return html`<ul>
<li>${t('federation.consent.claim.sub')}</li>
${items.map((scope) => html`<li>${t(`federation.consent.claim.${scope}`)}</li>`)}
</ul>`;
}

function idNumberBox(context: PageContext, input: ConsentPageInput): SafeHtml {
  if (!input.scopes.includes(idNumberScope)) return html``;
  const { t } = context;
  return html`<fieldset><legend>${t('federation.consent.idNumber.legend')}</legend>
<p class="hint" id="id-number-hint">${t('federation.consent.idNumber.hint')}</p>
<div class="checkbox"><input type="checkbox" id="id-number" name="idNumber" value="yes"
 aria-describedby="id-number-hint">
<label for="id-number">${t('federation.consent.idNumber.label')}</label></div></fieldset>`;
}

export function renderConsentPage(context: PageContext, input: ConsentPageInput): string {
  const { t, language } = context;
  const agency = pickText(language, { en: input.agency.nameEn, sw: input.agency.nameSw });
  const title = t('federation.consent.title');
  return renderPage(context, {
    title,
    main: html`<h1>${title}</h1>
<p>${t('federation.consent.signedInAs', { name: input.citizenName })}</p>
<dl class="summary">
<dt>${t('federation.consent.client')}</dt><dd>${input.clientName}</dd>
<dt>${t('federation.consent.agency')}</dt><dd>${localised(language, agency)}</dd>
</dl>
<h2>${t('federation.consent.asks')}</h2>
${requestedList(context, input)}
<form method="post" action="${federationPaths.consent(input.uid)}">${input.csrf}
${idNumberBox(context, input)}
<p>${t('federation.consent.choice')}</p>
<button type="submit" name="decision" value="allow">${t('federation.consent.allow')}</button>
<button type="submit" name="decision" value="deny" class="secondary">${
  t('federation.consent.deny')}</button>
</form>`,
  });
}

/** The page shown when the sign-in request is gone (expired, finished, or another's). */
export function renderInteractionGonePage(context: PageContext): string {
  const { t } = context;
  const title = t('federation.gone.title');
  return renderPage(context, { title, main: html`<h1>${title}</h1>
<p>${t('federation.gone.body')}</p>` });
}
