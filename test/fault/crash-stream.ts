/**
 * A steady stream of C2B confirmations, sent over HTTP as M-Pesa sends them: part payments,
 * several per invoice (some overpay), duplicates (the same receipt again, sometimes at the
 * same moment), and references that match no invoice. Whatever is not answered 200 is sent
 * again, after a pause, until it is: what M-Pesa does. Deterministic for a seed.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateBillReference } from '#modules/payments/index.ts';
import { c2bConfirmationBody } from '#test/helpers/payments.ts';
import { faultCallbackToken } from './crash-app.ts';

/** One payment the stream made up: the receipt, its amount, and where it was sent. */
export type SentPayment = Readonly<{
  receipt: string;
  shillings: bigint;
  billReference: string;
  /** The invoice the reference names, or undefined for an unknown reference. */
  invoiceId: string | undefined;
}>;

export type StreamInvoice = Readonly<{ id: string; reference: string }>;

export type StreamFigures = {
  payments: number;
  deliveries: number;
  duplicates: number;
  unknownReferences: number;
  answered200: number;
  answeredOther: number;
  connectionFailures: number;
};

export type ConfirmationStream = Readonly<{
  /** Stops making new payments; resolves when every delivery made was answered 200. */
  finish: (timeoutMs: number) => Promise<void>;
  figures: () => StreamFigures;
  sent: () => readonly SentPayment[];
  /** The payments answered 200 so far, in the order of their first 200. */
  acknowledged: () => readonly SentPayment[];
}>;

/** A small deterministic generator (mulberry32), so a seed replays the same stream. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const resendPauseMs = 200;
const requestTimeoutMs = 10_000;

export type StreamOptions = Readonly<{
  appUrl: string;
  invoices: readonly StreamInvoice[];
  seed: number;
  /** Concurrent senders; each sends one delivery at a time. */
  senders: number;
  /** Pause between a sender's deliveries, so the stream is steady rather than a flood. */
  pauseMs: number;
  duplicateShare: number;
  unknownShare: number;
}>;

export function startConfirmationStream(options: StreamOptions): ConfirmationStream {
  const random = seededRandom(options.seed);
  const figures: StreamFigures = { payments: 0, deliveries: 0, duplicates: 0,
    unknownReferences: 0, answered200: 0, answeredOther: 0, connectionFailures: 0 };
  const sent: SentPayment[] = [];
  const acknowledged: SentPayment[] = [];
  const acknowledgedReceipts = new Set<string>();
  const endpoint = `${options.appUrl}/api/v1/payments/callbacks/${faultCallbackToken}` +
    '/c2b/confirmation';
  let making = true;
  let invoiceIndex = -1;
  let paymentsLeftForInvoice = 0;

  const nextPayment = (): SentPayment => {
    const number = sent.length + 1;
    const receipt = `FLT${options.seed.toString(36).toUpperCase()}X${number.toString(36)
      .toUpperCase().padStart(6, '0')}`;
    const shillings = BigInt(200 + Math.floor(random() * 500));
    if (random() < options.unknownShare) {
      figures.unknownReferences += 1;
      return { receipt, shillings, billReference: generateBillReference(randomBytes),
        invoiceId: undefined };
    }
    // Each invoice in turn gets one to four payments, sent back to back by different
    // senders (so they race); once every invoice had its turn, the turns start again.
    if (paymentsLeftForInvoice === 0) {
      invoiceIndex = (invoiceIndex + 1) % options.invoices.length;
      paymentsLeftForInvoice = 1 + Math.floor(random() * 4);
    }
    paymentsLeftForInvoice -= 1;
    const invoice = options.invoices[invoiceIndex];
    if (invoice === undefined) throw new Error('the stream needs invoices');
    return { receipt, shillings, billReference: invoice.reference, invoiceId: invoice.id };
  };

  const deliver = async (payment: SentPayment): Promise<void> => {
    const body = c2bConfirmationBody(payment);
    figures.deliveries += 1;
    for (;;) {
      try {
        const answer = await fetch(endpoint, { method: 'POST', body,
          headers: { 'content-type': 'application/json' },
          signal: AbortSignal.timeout(requestTimeoutMs) });
        await answer.arrayBuffer();
        if (answer.status === 200) {
          figures.answered200 += 1;
          if (!acknowledgedReceipts.has(payment.receipt)) {
            acknowledgedReceipts.add(payment.receipt);
            acknowledged.push(payment);
          }
          return;
        }
        figures.answeredOther += 1;
      } catch {
        figures.connectionFailures += 1;
      }
      await sleep(resendPauseMs);
    }
  };

  const sender = async (): Promise<void> => {
    while (making) {
      const repeat = sent.length > 0 && random() < options.duplicateShare;
      let payment: SentPayment;
      if (repeat) {
        payment = sent[Math.floor(random() * sent.length)] as SentPayment;
        figures.duplicates += 1;
      } else {
        payment = nextPayment();
        sent.push(payment);
        figures.payments += 1;
      }
      await deliver(payment);
      await sleep(options.pauseMs);
    }
  };
  const senders = Array.from({ length: options.senders }, () => sender());
  return {
    figures: () => ({ ...figures }),
    sent: () => sent,
    acknowledged: () => [...acknowledged],
    finish: async (timeoutMs) => {
      making = false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(
          `deliveries still unanswered after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([Promise.all(senders), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
