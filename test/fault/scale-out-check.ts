/**
 * What must hold after the scale-out run, read from the database and the SMS stand-in with
 * nothing trusted: the money checks of the crash run (every receipt recorded once, every
 * invoice's books, collection and suspense totals, no unprocessed callback, checkLedger with
 * no finding); every outbox event delivered, none dead; every notification sent exactly once
 * (one message at the provider per notification, whichever process sent it); and each
 * process's workers took a share.
 */
import { sql, type Kysely } from 'kysely';
import { checkAfterCrashes, type CrashCheckReport } from './crash-check.ts';
import type { SentPayment } from './crash-stream.ts';
import { scaleOutReceiptPrefix } from './scale-out-traffic.ts';

export type ScaleOutCheck = Readonly<{
  problems: readonly string[];
  money: CrashCheckReport;
  outboxEvents: number;
  outboxDelivered: number;
  /** The most claims one event needed (1: every event claimed once). */
  outboxAttemptsMax: number;
  notifications: number;
  smsMessages: number;
  /** Messages each process sent to the provider. */
  smsPerProcess: readonly number[];
}>;

type OutboxFigures = { events: bigint; delivered: bigint; dead: bigint; attempts: number | null };

const listedMax = 10;

function smsProblems(notificationIds: ReadonlySet<string>,
  sms: ReadonlyMap<string, readonly number[]>): string[] {
  const problems: string[] = [];
  const twice = [...sms].filter(([, senders]) => senders.length > 1);
  if (twice.length > 0) {
    problems.push(`${twice.length} notification(s) sent more than once: ${twice.slice(0, listedMax)
      .map(([id, senders]) => `${id} by processes ${senders.join(', ')}`).join('; ')}`);
  }
  const unsent = [...notificationIds].filter((id) => !sms.has(id));
  if (unsent.length > 0) {
    problems.push(`${unsent.length} notification(s) never reached the provider`);
  }
  const strangers = [...sms.keys()].filter((id) => !notificationIds.has(id));
  if (strangers.length > 0) problems.push(`${strangers.length} message(s) of no notification`);
  return problems;
}

export async function checkScaleOut<DB>(db: Kysely<DB>, input: Readonly<{
  sent: readonly SentPayment[];
  invoiceIds: readonly string[];
  sms: ReadonlyMap<string, readonly number[]>;
  processes: number;
}>): Promise<ScaleOutCheck> {
  const money = await checkAfterCrashes(db, { sent: input.sent, receiptPrefix:
    scaleOutReceiptPrefix, invoiceIds: input.invoiceIds, shortcode: '222222' });
  const problems = [...money.problems];
  const outbox = (await sql<OutboxFigures>`select count(*) as events,
      count(*) filter (where delivered_at is not null) as delivered,
      count(*) filter (where dead) as dead, max(attempts) as attempts
    from outbox_event`.execute(db)).rows[0];
  if (outbox === undefined || outbox.delivered !== outbox.events) {
    problems.push(`outbox: ${outbox?.delivered ?? 0n} of ${outbox?.events ?? 0n} delivered, ` +
      `${outbox?.dead ?? 0n} dead`);
  }
  const notifications = await sql<{ id: string; status: string }>`select id, status
    from notification`.execute(db);
  const notSent = notifications.rows.filter((row) => row.status !== 'sent');
  if (notSent.length > 0) problems.push(`${notSent.length} notification(s) not marked sent`);
  problems.push(...smsProblems(new Set(notifications.rows.map((row) => row.id)), input.sms));
  const smsPerProcess = Array.from({ length: input.processes }, () => 0);
  for (const senders of input.sms.values()) {
    for (const sender of senders) smsPerProcess[sender] = (smsPerProcess[sender] ?? 0) + 1;
  }
  for (const [index, count] of smsPerProcess.entries()) {
    if (count === 0) problems.push(`process ${index}'s workers delivered nothing`);
  }
  return {
    problems, money,
    outboxEvents: Number(outbox?.events ?? 0n),
    outboxDelivered: Number(outbox?.delivered ?? 0n),
    outboxAttemptsMax: outbox?.attempts ?? 0,
    notifications: notifications.rows.length,
    smsMessages: [...input.sms.values()].reduce((sum, senders) => sum + senders.length, 0),
    smsPerProcess,
  };
}
