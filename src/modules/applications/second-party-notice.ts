/** The message that asks the second party named on an application to confirm it. */
import { findAccountContactsInTrx } from '#modules/identity/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import type { Config } from '#config';
import type { Database } from '#platform/db/index.ts';
import type { ApplicationRow, ApplicationsTrx } from './application-repo.ts';
import { serviceFactsOf } from './application-facts.ts';
import { applicationsPaths } from './applications-paths.ts';

export async function notifySecondPartyInTrx(
  trx: ApplicationsTrx,
  deps: Readonly<{ db: Database; config: Config }>,
  application: ApplicationRow,
  accountId: string,
  now: Date,
): Promise<void> {
  const contact = (await findAccountContactsInTrx(trx, [accountId])).get(accountId);
  if (contact === undefined) return;
  const service = await serviceFactsOf(deps, application.serviceId);
  await enqueueNotificationInTrx(trx, {
    channel: contact.channel, to: contact.to, template: 'applications.confirm-requested',
    language: contact.language, accountId,
    params: { reference: application.reference,
      service: (contact.language === 'sw' ? service.nameSw ?? service.nameEn
        : service.nameEn).slice(0, 80),
      url: new URL(applicationsPaths.short(application.reference),
        deps.config.publicBaseUrl).toString() },
  }, now);
}
