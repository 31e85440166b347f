/**
 * The money section of the person's account page (/account, identity's page, through the web
 * kit's registry): how many open bills, the credit, and links to the bills and payments pages.
 * For whoever the person acts for, like the pages it links to.
 */
import type { FastifyRequest } from 'fastify';
import type { ModuleDeps } from '#platform/module.ts';
import { format } from '#platform/money/index.ts';
import { html, type SafeHtml } from '#web/index.ts';
import { payerCreditBalance } from '../credit-service.ts';
import { accountMoneyPaths } from './account-money-paths.ts';
import { countPayerBills } from './account-money-repo.ts';
import { payerAccountIdOf } from './pay-access.ts';

export const accountMoneySectionOrder = 20;

export function accountMoneySection(deps: ModuleDeps):
  (request: FastifyRequest) => Promise<SafeHtml | undefined> {
  return async (request) => {
    if (request.actor?.kind !== 'account') return undefined;
    const { t, language } = request.pageContext();
    const payerAccountId = payerAccountIdOf(request);
    const counts = await countPayerBills(deps.db, payerAccountId, deps.clock.now());
    const credit = await payerCreditBalance(deps, payerAccountId);
    return html`<section aria-labelledby="money-title"><h2 id="money-title">${
      t('accountMoney.section.title')}</h2>
<p>${t('accountMoney.section.openBills', { count: counts.open })}${credit.amountMinor > 0n
  ? html` ${t('accountMoney.section.credit', { amount: format(credit, language) })}` : html``}</p>
<ul><li><a href="${accountMoneyPaths.bills()}">${t('accountMoney.bills.link')}</a></li>
<li><a href="${accountMoneyPaths.payments()}">${t('accountMoney.payments.link')}</a></li></ul>
</section>`;
  };
}
