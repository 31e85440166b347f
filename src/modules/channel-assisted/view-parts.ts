/** Small pieces the assisted pages share: the problem box, the notice, amounts and names. */
import { format, type Money } from '#platform/money/index.ts';
import { html, type PageContext, type SafeHtml } from '#web/index.ts';
import type { AgentView } from './agent-register-service.ts';
import { assistedErrors } from './assisted-errors.ts';

/** A problem with the last form: `code` is an AssistedErrorCode (or a payments one). */
export function problemBox(context: PageContext, code: string | undefined,
  params: Readonly<Record<string, string>> = {}): SafeHtml {
  if (code === undefined) return html``;
  const { t } = context;
  const key = Object.hasOwn(assistedErrors, code) ? `assisted.error.${code}`
    : 'assisted.error.other';
  return html`<div class="error-summary" role="alert" tabindex="-1"><h2>${
    t('assisted.problem')}</h2><p>${t(key, params)}</p></div>`;
}

export function noticeBox(context: PageContext, key: string | undefined): SafeHtml {
  return key === undefined ? html``
    : html`<div class="notice" role="status"><p>${context.t(key)}</p></div>`;
}

export function amount(context: PageContext, value: Money): string {
  return format(value, context.language);
}

export function agentLine(context: PageContext, agent: AgentView): string {
  return context.t('assisted.agent.line', { number: agent.agentNumber,
    name: agent.businessName, kind: context.t(`assisted.kind.${agent.kind}`),
    location: agent.location });
}
