/** Row types of suspense resolution (migrations/202612041600_create-suspense-match.sql). */
export type SuspenseMatchDecision = 'approved' | 'rejected';

export type SuspenseMatchTable = {
  id: string;
  payment_id: string;
  invoice_id: string;
  proposed_by: string;
  proposed_at: Date;
  proposal_note: string;
  decision: SuspenseMatchDecision | null;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string;
};

export type SuspenseTables = {
  suspense_match: SuspenseMatchTable;
};
