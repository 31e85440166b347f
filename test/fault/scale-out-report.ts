/** The scale-out run's figures as text, for the test's messages and RELIABILITY.md. */
import type { ScaleOutResult } from './scale-out-run.ts';

export function formatScaleOut(result: ScaleOutResult): string {
  const { check, traffic } = result;
  const search = result.search.map((each) => `process ${each.process}: added ` +
    `${each.insertedMs ?? 'never'} ms, renamed ${each.renamedMs ?? 'never'} ms`).join('; ');
  return [
    `scale-out: ${result.startMs.length} processes, started in ${result.startMs.join(', ')} ms; ` +
      `${result.seconds.toFixed(1)} s in all`,
    `confirmations: ${traffic.payments} payments (${traffic.sentToAllAtOnce} sent to every ` +
      `process at once, ${traffic.unknownReferences} to unknown references), ` +
      `${traffic.deliveries} deliveries in ${result.trafficMs} ms; answered 200 ` +
      `${traffic.answered200}, other answers ${traffic.answeredOther}, connection failures ` +
      `${traffic.connectionFailures}`,
    `money: ${check.money.receiptsChecked} receipts, ${check.money.invoicesChecked} invoices ` +
      `(${check.money.invoicesCovered} paid, ${check.money.invoicesPartPaid} part-paid), ` +
      `${check.money.ledgerEntries} ledger entries checked; collected ` +
      `${check.money.collectedMinor} of ${check.money.sentMinor} minor sent`,
    `outbox: ${check.outboxDelivered} of ${check.outboxEvents} events delivered (most claims ` +
      `of one event: ${check.outboxAttemptsMax}), drained in ${result.drainMs} ms; ` +
      `${check.notifications} notifications, ${check.smsMessages} messages at the provider, ` +
      `per process ${check.smsPerProcess.join(' / ')}`,
    `search: ${search}`,
    `problems: ${check.problems.length === 0 ? 'none' : check.problems.join('; ')}`,
  ].join('\n');
}
