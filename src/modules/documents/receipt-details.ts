/**
 * What a receipt says beyond its signed facts: whom the money was for and who paid it, the
 * service and agency in Swahili, the bill's lines (service fee, access fee, penalties) and what
 * happens next. Snapshotted at issue like the rest (migration 202612041100), never signed, so
 * receipts issued before these existed keep verifying; on those every field is null and the
 * page shows the general lines.
 */
import { isCurrency, money, type Money } from '#platform/money/index.ts';
import type { Language } from '#web/index.ts';

export type ReceiptBillLine = Readonly<{
  kind: 'service_fee' | 'access_fee' | 'penalty';
  amount: Money;
}>;

export type ReceiptDetails = Readonly<{
  /** The account the bill is for (a dependant or business when someone acts for them). */
  payerName: string | null;
  /** Who asked for the payment, when not the payer themself; else null. */
  paidByName: string | null;
  serviceNameSw: string | null;
  agencyNameSw: string | null;
  /** The bill's lines at issue: the split of the bill this payment is towards. */
  billLines: readonly ReceiptBillLine[];
  nextStepEn: string | null;
  nextStepSw: string | null;
}>;

export const noReceiptDetails: ReceiptDetails = {
  payerName: null, paidByName: null, serviceNameSw: null, agencyNameSw: null, billLines: [],
  nextStepEn: null, nextStepSw: null,
};

const lineKinds = new Set(['service_fee', 'access_fee', 'penalty']);

/** bill_lines as stored: amounts as decimal strings (JSON has no bigint). */
export function billLinesToJson(lines: readonly ReceiptBillLine[]): string {
  return JSON.stringify(lines.map((line) => ({
    kind: line.kind, amountMinor: line.amount.amountMinor.toString(),
    currency: line.amount.currency,
  })));
}

/** bill_lines as read; anything not in the stored shape is left out (it is display only). */
export function billLinesFromJson(value: unknown): ReceiptBillLine[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { kind, amountMinor, currency } = item as Record<string, unknown>;
    if (typeof kind !== 'string' || !lineKinds.has(kind) || typeof amountMinor !== 'string' ||
      !/^[0-9]{1,18}$/.test(amountMinor) || typeof currency !== 'string' ||
      !isCurrency(currency)) return [];
    const amount = money(BigInt(amountMinor), currency);
    return [{ kind: kind as ReceiptBillLine['kind'], amount }];
  });
}

/** The receipt's text in a language: Swahili where the catalogue had it, else English. */
export function inLanguage(language: Language, english: string, swahili: string | null): string {
  return language === 'sw' && swahili !== null ? swahili : english;
}
