/**
 * What happened, in the past tense: the codes of the entries the posting rules write.
 * Codes are stable forever (they are in the append-only journal); add, never rename.
 */
export const entryCodes = {
  receiptAllocatedToInvoice: 'RECEIPT_ALLOCATED_TO_INVOICE',
  receiptCreditedToPayer: 'RECEIPT_CREDITED_TO_PAYER',
  receiptHeldInSuspense: 'RECEIPT_HELD_IN_SUSPENSE',
  invoiceCovered: 'INVOICE_COVERED',
  suspenseMatchedToInvoice: 'SUSPENSE_MATCHED_TO_INVOICE',
  payerCreditAppliedToInvoice: 'PAYER_CREDIT_APPLIED_TO_INVOICE',
  refundApproved: 'REFUND_APPROVED',
  refundPaidOut: 'REFUND_PAID_OUT',
  refundCancelled: 'REFUND_CANCELLED',
  paybillSweptToTreasuryBank: 'PAYBILL_SWEPT_TO_TREASURY_BANK',
  agencySettlementConfirmedByBank: 'AGENCY_SETTLEMENT_CONFIRMED_BY_BANK',
  accessFeesRemitted: 'ACCESS_FEES_REMITTED',
  providerChargeRecorded: 'PROVIDER_CHARGE_RECORDED',
  receiptReversedByProvider: 'RECEIPT_REVERSED_BY_PROVIDER',
  entryCorrected: 'ENTRY_CORRECTED',
  settlementReleasedToBank: 'SETTLEMENT_RELEASED_TO_BANK',
  settlementReturnedByBank: 'SETTLEMENT_RETURNED_BY_BANK',
  invoiceCoverageWithdrawn: 'INVOICE_COVERAGE_WITHDRAWN',
  invoiceWithdrawnToCredit: 'INVOICE_WITHDRAWN_TO_CREDIT',
} as const;

/**
 * Entries that bring a provider receipt into the ledger. Each must name its receipt
 * (reference.providerReceipt), and a receipt may be in at most one of them that stands
 * (uncorrected): a ledger invariant, checked by `huduma ledger check`.
 */
export const receiptEntryCodes: readonly string[] = [
  entryCodes.receiptAllocatedToInvoice,
  entryCodes.receiptCreditedToPayer,
  entryCodes.receiptHeldInSuspense,
];
