/** A payment as operators and other modules see it: its row and the state its log gives. */
import { paymentsDb } from './invoice-repo.ts';
import { derivePaymentState, type PaymentState } from './payment-notices.ts';
import { findPaymentsByKeys, listPaymentEvents, type PaymentRow } from './payment-repo.ts';
import type { PaymentsDeps } from './payments-deps.ts';

export type PaymentView = PaymentRow & Readonly<{ state: PaymentState }>;

/** The payment of an M-Pesa receipt, with its state recomputed from its event log. */
export async function findPaymentByReceipt(
  deps: PaymentsDeps,
  receiptNumber: string,
): Promise<PaymentView | undefined> {
  const db = paymentsDb(deps.db);
  const [payment] = await findPaymentsByKeys(db, { receipts: [receiptNumber], checkouts: [] });
  if (payment === undefined) return undefined;
  return { ...payment, state: derivePaymentState(await listPaymentEvents(db, payment.id)) };
}
