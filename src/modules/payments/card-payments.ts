/**
 * Card payments, the payments side (docs/cards.md). The card channel module (channel-cards)
 * speaks the acquirer's protocol; payments keeps the money rules. The channel stores what the
 * acquirer sent verbatim first (storeCardCallback, committed before anything reads it), then
 * either records the payment it says succeeded (recordCardPayment: the same exactly-once path as
 * every M-Pesa delivery, one payment per acquirer payment id) or closes it with an outcome
 * (closeCardCallback: refused signatures quarantined with an alert, failures kept as stored).
 */
import { uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { storableBody } from './callback-routes.ts';
import { alertsOfNotices } from './ingest-alerts.ts';
import { finishCallbacksInTrx, type ProcessedCallback } from './ingest-service.ts';
import { paymentsDb } from './invoice-repo.ts';
import { insertAlertsInTrx } from './payment-alert-repo.ts';
import { reportRaisedAlerts } from './payment-alert-service.ts';
import { cardNotice, type CardPaymentFact } from './payment-notices.ts';
import {
  insertOutcomesInTrx,
  insertRawCallbacksInTrx,
  type RawCallback,
} from './payment-repo.ts';
import { ingestContextFor } from './payments-routes.ts';
import type { PaymentDisposition } from './payments-tables.ts';
import { recordNoticesInTrx } from './receipt-service.ts';

export type { CardPaymentFact } from './payment-notices.ts';

export type CardCallbackKind = 'card_notification' | 'card_session_query';

export type CardCallbackInput = Readonly<{
  kind: CardCallbackKind;
  sourceAddress: string | null;
  /** Only headers that carry no secret and no card data (the channel chooses). */
  headers: Readonly<Record<string, string>>;
  /** Exactly as received: the bytes or the text. */
  body: Uint8Array | string;
}>;

/** Keeps what the acquirer sent, verbatim, in its own committed transaction; its id. */
export async function storeCardCallback(
  deps: Pick<ModuleDeps, 'db' | 'clock'>,
  input: CardCallbackInput,
): Promise<string> {
  const now = deps.clock.now();
  const raw: RawCallback = {
    id: uuidv7(now.getTime()), kind: input.kind, receivedAt: now,
    sourceAddress: input.sourceAddress, headers: input.headers, ...storableBody(input.body),
  };
  await paymentsDb(deps.db).transaction().execute(async (trx) => {
    await insertRawCallbacksInTrx(trx, [raw]);
  });
  return raw.id;
}

/**
 * A stored card callback that moves no money: 'quarantined' or 'malformed' (a body not
 * understood) raises an alert for Treasury unless `alert` is false (a refused signature: anyone
 * can send one, so the channel logs and counts it instead of asking a person to look);
 * 'stored_only' (a failed payment, an event of no concern to payments) is kept as it is.
 * @idempotent: a second outcome is ignored.
 */
export async function closeCardCallback(
  deps: Pick<ModuleDeps, 'db' | 'clock' | 'logger' | 'metrics'>,
  input: Readonly<{ rawId: string; outcome: 'quarantined' | 'malformed' | 'stored_only';
    reason: string; alert?: boolean }>,
): Promise<void> {
  const now = deps.clock.now();
  const raised = await paymentsDb(deps.db).transaction().execute(async (trx) => {
    await insertOutcomesInTrx(trx, [{ rawId: input.rawId, outcome: input.outcome,
      processedAt: now }]);
    if (input.outcome === 'stored_only' || input.alert === false) return [];
    return insertAlertsInTrx(trx, [{ kind: 'CALLBACK_QUARANTINED',
      reason: input.reason, rawId: input.rawId, paymentId: null }], now);
  });
  reportRaisedAlerts(deps, raised);
}

export type CardPaymentRecorded = Readonly<{
  /** 'duplicate': this acquirer payment was recorded before; nothing moved now. */
  outcome: 'payment_recorded' | 'duplicate';
  paymentId: string;
  invoiceId: string | null;
  disposition: PaymentDisposition;
}>;

/**
 * Records a card payment the acquirer says succeeded, read from the stored callback `rawId`,
 * in one transaction with the callback's outcome, the payer's messages and the audit record:
 * Dr collection:card:<provider>, Cr deposits:invoice, then the usual coverage rules (LEDGER.md).
 * @idempotent with (provider, paymentId): any number of notifications and queries, in any
 * order and at once, move the money once.
 */
export async function recordCardPayment(
  deps: ModuleDeps,
  input: Readonly<{ rawId: string; fact: CardPaymentFact }>,
): Promise<CardPaymentRecorded> {
  const context = ingestContextFor(deps)();
  const notice = cardNotice(input.fact, input.rawId);
  const { recorded, raised } = await paymentsDb(deps.db).transaction().execute(async (trx) => {
    const items = [{ notice }];
    const { outcomes, writes } = await recordNoticesInTrx(trx, items, context);
    const [outcome] = outcomes;
    if (outcome === undefined) throw new Error('a card notice was left without an outcome');
    const [alerts = []] = await alertsOfNotices(trx, items, outcomes, writes);
    const result: ProcessedCallback = { outcome: outcome.kind, paymentId: outcome.paymentId,
      audit: outcome.audit, payerNotices: outcome.payerNotices, alerts };
    const raisedNow = await finishCallbacksInTrx(trx, [{ rawId: input.rawId, result }],
      context, writes);
    return { recorded: outcome, raised: raisedNow };
  });
  reportRaisedAlerts(deps, raised);
  return { outcome: recorded.kind, paymentId: recorded.paymentId,
    invoiceId: recorded.invoiceId, disposition: recorded.disposition };
}
