/**
 * The trial balance as a page for Treasury, auditors and the finance desk (/staff/ledger,
 * permission ledger.read): per currency, each kind of account with how many there are, their
 * debits, credits and balance (signed by the normal side), and whether debits equal credits;
 * and the same as CSV. Works with JavaScript off; copy in English and Swahili.
 */
import type { FastifyInstance } from 'fastify';
import { format, toMajorString, type Money } from '#platform/money/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { html, renderPage, sendHtml, type PageContext, type SafeHtml } from '#web/index.ts';
import { ledgerPaths } from './ledger-routes.ts';
import {
  trialBalance,
  type CurrencyTrialBalance,
  type TrialBalance,
} from './ledger-report-service.ts';

export const trialBalancePagePaths = {
  page: '/staff/ledger',
  csv: '/staff/ledger/trial-balance.csv',
} as const;

const moneyCell = (value: Money, context: PageContext): SafeHtml =>
  html`<td class="num">${format(value, context.language)}</td>`;

function currencySection(context: PageContext, currency: CurrencyTrialBalance): SafeHtml {
  const { t } = context;
  const id = `currency-${currency.currency}`;
  return html`<section aria-labelledby="${id}">
<h2 id="${id}">${t('ledger.page.currency', { currency: currency.currency })}</h2>
<p class="${currency.balanced ? 'notice' : 'error-message'}" role="status">${
  t(currency.balanced ? 'ledger.page.balanced' : 'ledger.page.notBalanced')}</p>
<table><caption>${t('ledger.page.caption', { currency: currency.currency })}</caption>
<thead><tr><th scope="col">${t('ledger.page.kind')}</th><th scope="col">${
  t('ledger.page.accounts')}</th><th scope="col">${t('ledger.page.debits')}</th>
<th scope="col">${t('ledger.page.credits')}</th><th scope="col">${t('ledger.page.balance')}</th>
</tr></thead>
<tbody>${currency.kinds.map((kind) => html`<tr><th scope="row"><code>${kind.kind}</code><br>${
  t(`ledger.kind.${kind.kind}`)}</th><td class="num">${kind.accounts.toString()}</td>${
  moneyCell(kind.debits, context)}${moneyCell(kind.credits, context)}${
  moneyCell(kind.balance, context)}</tr>`)}</tbody>
<tfoot><tr><th scope="row">${t('ledger.page.total')}</th><td></td>${
  moneyCell(currency.debits, context)}${moneyCell(currency.credits, context)}<td></td></tr>
</tfoot></table></section>`;
}

export function renderTrialBalancePage(context: PageContext, balance: TrialBalance): string {
  const { t } = context;
  const used = balance.currencies.filter((currency) => currency.kinds.length > 0);
  return renderPage(context, {
    title: t('ledger.page.title'),
    main: html`<h1>${t('ledger.page.title')}</h1>
<p>${t('ledger.page.intro')}</p>
${used.length === 0 ? html`<p>${t('ledger.page.empty')}</p>`
    : used.map((currency) => currencySection(context, currency))}
<p><a href="${trialBalancePagePaths.csv}" download>${t('ledger.page.csv')}</a> ·
<a href="${ledgerPaths.trialBalance}">${t('ledger.page.json')}</a></p>`,
  });
}

/** One row per currency and kind; amounts in major units with two decimals. */
export function trialBalanceCsv(balance: TrialBalance): string {
  const rows = [['currency', 'kind', 'type', 'normal_side', 'accounts', 'debits', 'credits',
    'balance']];
  for (const currency of balance.currencies) {
    for (const kind of currency.kinds) {
      rows.push([currency.currency, kind.kind, kind.type, kind.normalSide,
        kind.accounts.toString(), toMajorString(kind.debits), toMajorString(kind.credits),
        toMajorString(kind.balance)]);
    }
  }
  // Kinds are codes of the chart (letters, digits, ':' and '-'): nothing to quote.
  return rows.map((row) => row.join(',')).join('\r\n') + '\r\n';
}

export async function trialBalancePageRoutes(app: FastifyInstance, deps: ModuleDeps):
  Promise<void> {
  const readers = { access: { permission: 'ledger.read' } } as const;
  app.get(trialBalancePagePaths.page, { config: readers, schema: { hide: true } },
    async (request, reply) => sendHtml(reply.header('cache-control', 'no-store'),
      renderTrialBalancePage(request.pageContext(), await trialBalance(deps.db))));
  app.get(trialBalancePagePaths.csv, { config: readers, schema: { hide: true } },
    async (_request, reply) => reply.header('cache-control', 'no-store')
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="trial-balance.csv"')
      .send(trialBalanceCsv(await trialBalance(deps.db))));
}
