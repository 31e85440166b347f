/**
 * The confirmations of the scale-out run, sent over HTTP to several app processes at once:
 * each invoice's part payments (different receipts for the same invoice) to different
 * processes at the same moment, some confirmations to every process at the same moment (the
 * same receipt, as a retried M-Pesa delivery can land on another process), and references
 * that match no invoice. Whatever is not answered 200 is sent again, as M-Pesa does.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateBillReference } from '#modules/payments/index.ts';
import { c2bConfirmationBody } from '#test/helpers/payments.ts';
import { faultCallbackToken } from './crash-app.ts';
import { seededRandom, type SentPayment, type StreamInvoice } from './crash-stream.ts';

export type TrafficFigures = {
  payments: number;
  deliveries: number;
  /** Payments delivered to every process at the same moment. */
  sentToAllAtOnce: number;
  unknownReferences: number;
  answered200: number;
  answeredOther: number;
  connectionFailures: number;
};

/** One payment and the processes it is delivered to, all at the same moment. */
type Delivery = Readonly<{ payment: SentPayment; targets: readonly number[] }>;

const resendPauseMs = 200;
const requestTimeoutMs = 15_000;
const attemptsMax = 50;

export const scaleOutReceiptPrefix = 'SCL';

/** Groups of deliveries: one per invoice (its payments race), then the unknown references. */
export function planTraffic(invoices: readonly StreamInvoice[], processes: number,
  seed: number): { groups: Delivery[][]; sent: SentPayment[] } {
  const random = seededRandom(seed);
  const everyProcess = Array.from({ length: processes }, (_, index) => index);
  const sent: SentPayment[] = [];
  const nextReceipt = () => `${scaleOutReceiptPrefix}${seed}X${(sent.length + 1).toString(36)
    .toUpperCase().padStart(6, '0')}`;
  const groups = invoices.map((invoice, invoiceIndex) => {
    const count = 1 + Math.floor(random() * 3);
    return Array.from({ length: count }, (_, paymentIndex): Delivery => {
      const payment = { receipt: nextReceipt(), shillings: BigInt(200 + Math.floor(random() * 600)),
        billReference: invoice.reference, invoiceId: invoice.id };
      sent.push(payment);
      const targets = random() < 0.3 ? everyProcess
        : [(invoiceIndex + paymentIndex) % processes];
      return { payment, targets };
    });
  });
  const unknown = Array.from({ length: Math.max(2, Math.floor(invoices.length / 8)) },
    (): Delivery => {
      const payment = { receipt: nextReceipt(), shillings: BigInt(100 + Math.floor(random() * 100)),
        billReference: generateBillReference(randomBytes), invoiceId: undefined };
      sent.push(payment);
      return { payment, targets: everyProcess };
    });
  return { groups: [...groups, unknown], sent };
}

async function deliverOnce(url: string, body: string, figures: TrafficFigures): Promise<void> {
  const endpoint = `${url}/api/v1/payments/callbacks/${faultCallbackToken}/c2b/confirmation`;
  for (let attempt = 1; attempt <= attemptsMax; attempt += 1) {
    try {
      const answer = await fetch(endpoint, { method: 'POST', body,
        headers: { 'content-type': 'application/json' },
        signal: AbortSignal.timeout(requestTimeoutMs) });
      await answer.arrayBuffer();
      if (answer.status === 200) {
        figures.answered200 += 1;
        return;
      }
      figures.answeredOther += 1;
    } catch {
      figures.connectionFailures += 1;
    }
    await sleep(resendPauseMs);
  }
  throw new Error(`a confirmation was not answered 200 in ${attemptsMax} attempts`);
}

/** Sends every group, `concurrency` groups at a time; each group's deliveries all at once. */
export async function sendTraffic(urls: readonly string[], groups: readonly Delivery[][],
  concurrency: number): Promise<TrafficFigures> {
  const figures: TrafficFigures = { payments: 0, deliveries: 0, sentToAllAtOnce: 0,
    unknownReferences: 0, answered200: 0, answeredOther: 0, connectionFailures: 0 };
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const group = groups[next] ?? [];
      next += 1;
      await Promise.all(group.flatMap(({ payment, targets }) => {
        figures.payments += 1;
        if (targets.length === urls.length && targets.length > 1) figures.sentToAllAtOnce += 1;
        if (payment.invoiceId === undefined) figures.unknownReferences += 1;
        const body = c2bConfirmationBody(payment);
        return targets.map((target) => {
          figures.deliveries += 1;
          return deliverOnce(urls[target] ?? '', body, figures);
        });
      }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return figures;
}
