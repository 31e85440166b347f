/**
 * C2B validation of a routed reference: the agency that registered its prefix is asked
 * (bill-inquiry-client.ts); its answer decides, or, when it times out or fails, the route's
 * fallback. Every lookup is recorded (bill_inquiry_lookup: the reference, the answer, our
 * decision; no payer details) and logged with its prefix only.
 */
import type { Money } from '#platform/money/index.ts';
import type { BillReference } from '../bill-reference.ts';
import type { PaymentsDeps } from '../payments-deps.ts';
import { lookUpBill } from './bill-inquiry-client.ts';
import { findRouteByPrefix, insertLookup } from './bill-inquiry-repo.ts';
import {
  decideOnAnswer,
  decideOnFallback,
  routedPrefixOf,
  type RoutedDecision,
} from './bill-inquiry-rules.ts';
import type { BillLookupOutcome } from './bill-inquiry-tables.ts';

export type RoutedValidation = RoutedDecision & Readonly<{
  /** Our id for the lookup (answered to M-Pesa as ThirdPartyTransID). */
  lookupId: string;
  outcome: BillLookupOutcome;
}>;

/**
 * Undefined when the reference is not routed (a platform reference, or a prefix nobody has
 * registered): the platform's own invoices answer then.
 */
export async function validateRoutedPayment(
  deps: PaymentsDeps,
  reference: BillReference,
  amount: Money,
  now: Date,
): Promise<RoutedValidation | undefined> {
  const prefix = routedPrefixOf(reference);
  if (prefix === undefined) return undefined;
  const route = await findRouteByPrefix(deps.db, prefix);
  if (route === undefined) return undefined;
  const startedAt = performance.now();
  const result = await lookUpBill({ url: route.lookupUrl, secret: route.secret,
    timeoutMs: route.timeoutMs, reference, amount, at: now });
  const durationMs = Math.trunc(performance.now() - startedAt);
  const decided = 'answer' in result
    ? decideOnAnswer(result.answer, amount, route.allowsPartPayment)
    : decideOnFallback(route.fallback, result.outcome);
  const lookupId = await insertLookup(deps.db, { routeId: route.id, reference,
    outcome: result.outcome,
    amountDue: 'answer' in result && result.answer.found ? result.answer.amountDue : undefined,
    decision: decided.decision, at: now });
  const log = { prefix, agencyId: route.agencyId, outcome: result.outcome,
    decision: decided.decision, reason: decided.reason, durationMs,
    ...('detail' in result ? { detail: result.detail } : {}) };
  if ('answer' in result) deps.logger.info(log, 'bill inquiry answered');
  else deps.logger.warn(log, 'bill inquiry failed; fallback applied');
  return { ...decided, lookupId, outcome: result.outcome };
}
