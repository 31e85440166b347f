/** Row types of the identity tables (migrations/202611281100_create-identity.sql). */
import type { ColumnType, Generated } from 'kysely';
import type { StaffRole } from '#modules/authorisation/index.ts';
import type { CatalogueTables } from '#modules/catalogue/index.ts';
import type { DocumentType } from './register/index.ts';

export type AccountKind = 'citizen' | 'resident' | 'foreigner' | 'business';
export type AccountDocumentType = DocumentType | 'business_registration';
export type CodeChannel = 'sms' | 'email';

/** A `date` column: read as a Date, written as 'YYYY-MM-DD'. */
type DateColumn = ColumnType<Date, string, string>;

export type AccountTable = {
  id: string;
  kind: AccountKind;
  document_type: AccountDocumentType;
  document_number: string;
  first_name: string | null;
  middle_name: string | null;
  last_name: string | null;
  birth_date: DateColumn | null;
  business_name: string | null;
  password_hash: string | null;
  phone: string | null;
  email: string | null;
  code_channel: Generated<CodeChannel>;
  language: Generated<'en' | 'sw'>;
  created_at: Date;
  updated_at: Date;
};

export type AccountRepresentativeTable = {
  represented_account_id: string;
  representative_account_id: string;
  relationship: 'guardian' | 'director';
  confirmed_at: Date;
};

export type StaffStatus = 'active' | 'deactivated';

export type StaffMemberTable = {
  id: string;
  email: string;
  display_name: string;
  role: StaffRole;
  agency_id: string | null;
  /** Null until the person has enrolled (set their own password and authenticator). */
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: bigint | null;
  enrolment_token_hash: string | null;
  enrolment_expires_at: Date | null;
  status: Generated<StaffStatus>;
  created_by_staff_id: string | null;
  created_at: Date;
  updated_at: Date;
};

export type SessionEndReason =
  'signed-out' | 'ended-by-holder' | 'password-reset' | 'role-changed' | 'deactivated';

export type SessionTable = {
  id: string;
  token_hash: string;
  account_id: string | null;
  staff_id: string | null;
  on_behalf_of_account_id: string | null;
  device_label: Generated<string>;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: SessionEndReason | null;
};

export type ChallengePurpose = 'sign-in' | 'password-reset' | 'contact-change';

export type VerificationChallengeTable = {
  id: string;
  token_hash: string;
  purpose: ChallengePurpose;
  account_id: string | null;
  code_hash: string;
  channel: CodeChannel;
  destination: string;
  attempts: Generated<number>;
  created_at: Date;
  expires_at: Date;
  consumed_at: Date | null;
  locked_at: Date | null;
};

export type RateLimitCounterTable = {
  bucket: string;
  window_started_at: Date;
  hits: number;
};

export type IdentitySecretTable = {
  name: string;
  secret: string;
  created_at: Date;
};

export type IdentityTables = {
  /** Read only: staff of an agency reference it. */
  agency: CatalogueTables['agency'];
  account: AccountTable;
  account_representative: AccountRepresentativeTable;
  staff_member: StaffMemberTable;
  session: SessionTable;
  verification_challenge: VerificationChallengeTable;
  rate_limit_counter: RateLimitCounterTable;
  identity_secret: IdentitySecretTable;
};
