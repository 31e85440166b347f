/**
 * Tells the holder of a revoked document, in the revoking transaction: one message
 * (documents.document-revoked) to their own contact (or their representative's), in their
 * language. A holder with no contact is not told; the revocation stands either way.
 */
import type { Kysely, Transaction } from 'kysely';
import { findAccountContactsInTrx } from '#modules/identity/index.ts';
import { enqueueNotificationInTrx } from '#modules/notifications/index.ts';
import type { Clock } from '#platform/clock/index.ts';
import { pickText } from '#web/index.ts';
import type { IssuedDocument } from './issued-document-types.ts';

export type RevocationNoticeDeps = Readonly<{ clock: Clock }>;

export function revocationNoticeInTrx(deps: RevocationNoticeDeps):
  (trx: Transaction<unknown>, document: IssuedDocument) => Promise<void> {
  return async (trx, document) => {
    const db = trx as unknown as Kysely<Record<string, never>>;
    const contact = (await findAccountContactsInTrx(db, [document.holderAccountId]))
      .get(document.holderAccountId);
    if (contact === undefined) return;
    await enqueueNotificationInTrx(db, {
      channel: contact.channel, to: contact.to, language: contact.language,
      template: 'documents.document-revoked', accountId: document.holderAccountId,
      params: { number: document.number,
        service: pickText(contact.language, document.serviceName).text },
    }, deps.clock.now());
  };
}
