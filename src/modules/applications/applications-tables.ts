/**
 * Row types of the applications tables (migrations/202612040901_create-application.sql).
 */
import type { ColumnType } from 'kysely';
import type { CatalogueTables } from '#modules/catalogue/index.ts';
import type { IdentityTables } from '#modules/identity/index.ts';
import type { PaymentsTables } from '#modules/payments/index.ts';
import type { ApplicationActionKind, ApplicationStatus } from './application-status.ts';

/** A jsonb column: read as parsed JSON, written as a JSON string. */
type JsonColumn = ColumnType<unknown, string, string>;

export type ApplicationTable = {
  id: string;
  reference: string;
  service_id: string;
  agency_id: string;
  applicant_account_id: string;
  started_by_account_id: string;
  form: JsonColumn;
  created_at: Date;
};

export type ApplicationAnswersTable = {
  application_id: string;
  version: number;
  answers: JsonColumn;
  saved_at: Date;
  saved_by_account_id: string;
};

export type ActionActorKind = 'account' | 'staff' | 'system';

export type ApplicationActionTable = {
  id: string;
  application_id: string;
  seq: number;
  client_action_id: string;
  kind: ApplicationActionKind;
  actor_kind: ActionActorKind;
  actor_id: string | null;
  comment: string | null;
  detail: ColumnType<unknown, string | null, string | null>;
  at: Date;
};

export type ApplicationStateTable = {
  application_id: string;
  status: ApplicationStatus;
  last_seq: number;
  answers_version: number;
  service_id: string;
  agency_id: string;
  applicant_account_id: string;
  second_party_account_id: string | null;
  invoice_id: string | null;
  document_id: string | null;
  assigned_staff_id: string | null;
  submitted_at: Date | null;
  paid_at: Date | null;
  sla_due_at: Date | null;
  escalated_at: Date | null;
  updated_at: Date;
};

export type ApplicationRatingTable = {
  application_id: string;
  rating: number;
  comment: string | null;
  service_id: string;
  agency_id: string;
  rated_at: Date;
};

export type ApplicationsTables = {
  application: ApplicationTable;
  application_answers: ApplicationAnswersTable;
  application_action: ApplicationActionTable;
  application_state: ApplicationStateTable;
  application_rating: ApplicationRatingTable;
  service: CatalogueTables['service'];
  agency: CatalogueTables['agency'];
  account: IdentityTables['account'];
  staff_member: IdentityTables['staff_member'];
  account_representative: IdentityTables['account_representative'];
  invoice: PaymentsTables['invoice'];
};
