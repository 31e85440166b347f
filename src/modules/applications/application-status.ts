/**
 * The application workflow as data: the statuses, the actions, and the one transition table
 * that says which action may follow which status and where it leads. The status of an
 * application is a function of its action log (deriveApplicationStatus); nothing stores a
 * status that the log does not imply (application_state is a projection, re-derived by
 * `huduma ledger check`).
 *
 *   draft -> submitted -> awaiting-payment -> paid -> in-review
 *     -> (returned <-> resubmitted) -> approved | rejected; approved -> issued;
 *   cancel before payment. A free service goes from submitted to paid with no invoice.
 */

export const applicationStatuses = [
  'draft', 'submitted', 'awaiting-payment', 'paid', 'in-review', 'returned', 'resubmitted',
  'approved', 'rejected', 'issued', 'cancelled',
] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];

export const applicationActionKinds = [
  'start', 'request-confirmation', 'confirm', 'submit', 'invoice', 'reissue', 'pay',
  'start-review',
  'return', 'resubmit', 'approve', 'reject', 'issue', 'cancel', 'assign', 'escalate',
] as const;
export type ApplicationActionKind = (typeof applicationActionKinds)[number];

/** Who may take an action: the applicant's side, agency staff, or the platform itself. */
export type ActionParty = 'applicant' | 'second-party' | 'staff' | 'system';

export type ActionRule = Readonly<{
  /** The statuses the action may follow. */
  from: readonly ApplicationStatus[];
  /** Where it leads; undefined: the status does not change (an assignment, a confirmation). */
  to?: ApplicationStatus;
  party: ActionParty;
}>;

const beforeDecision: readonly ApplicationStatus[] = [
  'submitted', 'awaiting-payment', 'paid', 'in-review', 'returned', 'resubmitted',
];

/** The one transition table. 'start' is the first action of every log and only there. */
export const applicationTransitions: Readonly<Record<ApplicationActionKind, ActionRule>> = {
  start: { from: [], to: 'draft', party: 'applicant' },
  // A second party confirms the answers in force: before submitting, and again after a return.
  'request-confirmation': { from: ['draft', 'returned'], party: 'applicant' },
  confirm: { from: ['draft', 'returned'], party: 'second-party' },
  submit: { from: ['draft'], to: 'submitted', party: 'applicant' },
  invoice: { from: ['submitted'], to: 'awaiting-payment', party: 'system' },
  // A new bill for one that expired unpaid (the status stays awaiting-payment).
  reissue: { from: ['awaiting-payment'], party: 'applicant' },
  pay: { from: ['submitted', 'awaiting-payment'], to: 'paid', party: 'system' },
  'start-review': { from: ['paid', 'resubmitted'], to: 'in-review', party: 'staff' },
  return: { from: ['in-review'], to: 'returned', party: 'staff' },
  resubmit: { from: ['returned'], to: 'resubmitted', party: 'applicant' },
  approve: { from: ['in-review'], to: 'approved', party: 'staff' },
  reject: { from: ['in-review'], to: 'rejected', party: 'staff' },
  issue: { from: ['approved'], to: 'issued', party: 'staff' },
  cancel: { from: ['draft', 'submitted', 'awaiting-payment'], to: 'cancelled', party: 'applicant' },
  assign: { from: [...beforeDecision, 'approved'], party: 'staff' },
  escalate: { from: [...beforeDecision, 'approved'], party: 'system' },
};

/** Statuses nothing follows. */
export const finalStatuses: readonly ApplicationStatus[] = ['issued', 'rejected', 'cancelled'];

/** Statuses in which the agency owes the applicant something (the SLA clock runs). */
export const agencyOwesStatuses: readonly ApplicationStatus[] = [
  'paid', 'in-review', 'resubmitted', 'approved',
];

/** Statuses in which the applicant may change their answers. */
export const editableStatuses: readonly ApplicationStatus[] = ['draft', 'returned'];

export type TransitionRefusal = Readonly<{ status: ApplicationStatus | undefined;
  kind: ApplicationActionKind }>;

/**
 * The status after `kind`, from `status` (undefined: before the first action).
 * @returns the new status, or a refusal when the table has no such transition.
 */
export function nextStatus(
  status: ApplicationStatus | undefined,
  kind: ApplicationActionKind,
): { ok: true; status: ApplicationStatus } | { ok: false; refusal: TransitionRefusal } {
  const rule = applicationTransitions[kind];
  if (status === undefined) {
    return kind === 'start' ? { ok: true, status: 'draft' }
      : { ok: false, refusal: { status, kind } };
  }
  if (!rule.from.includes(status)) return { ok: false, refusal: { status, kind } };
  return { ok: true, status: rule.to ?? status };
}

/** The actions that may follow a status (for the pages: which buttons to show). */
export function allowedActions(status: ApplicationStatus): ApplicationActionKind[] {
  return applicationActionKinds.filter((kind) =>
    applicationTransitions[kind].from.includes(status));
}

/**
 * The status an action log implies: the log folded through the transition table.
 * @returns undefined for an empty log; throws for a log the table does not allow (a log is
 *   only ever written through the table, so that is corruption, which `ledger check` reports).
 */
export function deriveApplicationStatus(
  kinds: readonly ApplicationActionKind[],
): ApplicationStatus | undefined {
  let status: ApplicationStatus | undefined;
  for (const [index, kind] of kinds.entries()) {
    const next = nextStatus(status, kind);
    if (!next.ok) {
      throw new Error(`action ${index + 1} (${kind}) cannot follow ${status ?? 'nothing'}`);
    }
    status = next.status;
  }
  return status;
}

export function isApplicationStatus(value: string): value is ApplicationStatus {
  return (applicationStatuses as readonly string[]).includes(value);
}
