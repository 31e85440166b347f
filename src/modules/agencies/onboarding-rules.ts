/**
 * Onboarding's pure rules (no I/O; the bank account's rules are settlement's): reading the
 * new-agency, service and fee-change forms into checked values (each wrong field named by the
 * locale key of its message), slugs, and the decisions of going live and of approving a fee
 * change (two different people).
 */
import { settlementAccountProblems, type SettlementAccount } from '#modules/settlement/index.ts';
import { isUuid } from '#platform/ids/index.ts';
import { isCurrency, parseMajor, type Money } from '#platform/money/index.ts';

/** Field name -> locale key of the message saying what is wrong. */
export type FieldProblems = Record<string, string>;
export type Read<T> = Readonly<{ ok: true; value: T } | { ok: false; fields: FieldProblems }>;

export const nameLengthMax = 200;
export const descriptionLengthMax = 2000;
export const requirementsMax = 20;
export const requirementLengthMax = 300;
export const gazetteReferenceLengthMax = 200;
export const slaDaysMax = 3650;
export const slugLengthMax = 60;

export const deliveryModes = ['online', 'collect_in_person', 'courier', 'mixed'] as const;
export const accountTypes = ['citizen', 'resident', 'foreigner', 'business'] as const;
export type DeliveryModeChoice = (typeof deliveryModes)[number];
export type AccountTypeChoice = (typeof accountTypes)[number];

const fieldKey = (name: string): string => `agencies.onboarding.field.${name}`;

/** "Kenya Film Classification Board" -> "kenya-film-classification-board". */
export function slugify(text: string): string {
  const slug = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, slugLengthMax).replace(/-+$/, '') || 'agency';
}

/** A Kenyan mobile number as +2547xxxxxxxx / +2541xxxxxxxx, or undefined. */
export function normalisePhone(text: string): string | undefined {
  const digits = text.replace(/[\s-]/g, '');
  const match = /^(?:\+?254|0)([17]\d{8})$/.exec(digits);
  return match?.[1] === undefined ? undefined : `+254${match[1]}`;
}

function text(fields: Readonly<Record<string, string>>, name: string): string {
  return (fields[name] ?? '').trim();
}

function required(fields: Readonly<Record<string, string>>, name: string, max: number,
  problems: FieldProblems): string {
  const value = text(fields, name);
  if (value === '' || value.length > max) problems[name] = fieldKey(name);
  return value;
}

export type AgencyForm = Readonly<{
  nameEn: string;
  nameSw: string;
  ministryId: string;
  departmentId: string | null;
  contact: Readonly<{ name: string; email: string; phone: string }>;
  bank: SettlementAccount;
}>;

export const agencyFormFields = ['nameEn', 'nameSw', 'ministryId', 'departmentId',
  'contactName', 'contactEmail', 'contactPhone', 'bankName', 'bankCode', 'branch',
  'accountNumber', 'accountName'] as const;

/** The new-agency form; the bank fields follow settlement_profile's rules. */
export function readAgencyForm(fields: Readonly<Record<string, string>>): Read<AgencyForm> {
  const problems: FieldProblems = {};
  const nameEn = required(fields, 'nameEn', nameLengthMax, problems);
  const nameSw = required(fields, 'nameSw', nameLengthMax, problems);
  const ministryId = text(fields, 'ministryId');
  if (!isUuid(ministryId)) problems.ministryId = fieldKey('ministryId');
  const departmentId = text(fields, 'departmentId');
  if (departmentId !== '' && !isUuid(departmentId)) {
    problems.departmentId = fieldKey('departmentId');
  }
  const contactName = required(fields, 'contactName', 120, problems);
  const contactEmail = text(fields, 'contactEmail').toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contactEmail) || contactEmail.length > 254) {
    problems.contactEmail = fieldKey('contactEmail');
  }
  const phone = normalisePhone(text(fields, 'contactPhone'));
  if (phone === undefined) problems.contactPhone = fieldKey('contactPhone');
  const bank = {
    bankName: text(fields, 'bankName'), bankCode: text(fields, 'bankCode').toUpperCase(),
    branch: text(fields, 'branch'), accountName: text(fields, 'accountName'),
    accountNumber: text(fields, 'accountNumber').toUpperCase().replace(/\s/g, ''),
  };
  for (const name of settlementAccountProblems(bank)) problems[name] = fieldKey(name);
  if (Object.keys(problems).length > 0 || phone === undefined) {
    return { ok: false, fields: problems };
  }
  return { ok: true, value: { nameEn, nameSw, ministryId,
    departmentId: departmentId === '' ? null : departmentId,
    contact: { name: contactName, email: contactEmail, phone }, bank } };
}

export type ServiceForm = Readonly<{
  nameEn: string;
  nameSw: string;
  descriptionEn: string;
  descriptionSw: string;
  requirementsEn: readonly string[];
  requirementsSw: readonly string[];
  slaDays: number;
  deliveryMode: DeliveryModeChoice;
  eligibleAccountTypes: readonly AccountTypeChoice[];
  /** The form definition's JSON text as typed ('' for none); checked by the service layer. */
  formSchemaText: string;
}>;

function lines(value: string, name: string, problems: FieldProblems): string[] {
  const list = value.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  if (list.length > requirementsMax || list.some((line) => line.length > requirementLengthMax)) {
    problems[name] = fieldKey(name);
  }
  return list;
}

/** The service form (names, descriptions, requirements one a line, SLA, delivery, who). */
export function readServiceForm(fields: Readonly<Record<string, string>>,
  chosenAccountTypes: readonly string[]): Read<ServiceForm> {
  const problems: FieldProblems = {};
  const nameEn = required(fields, 'nameEn', nameLengthMax, problems);
  const nameSw = required(fields, 'nameSw', nameLengthMax, problems);
  const descriptionEn = required(fields, 'descriptionEn', descriptionLengthMax, problems);
  const descriptionSw = required(fields, 'descriptionSw', descriptionLengthMax, problems);
  const requirementsEn = lines(text(fields, 'requirementsEn'), 'requirementsEn', problems);
  const requirementsSw = lines(text(fields, 'requirementsSw'), 'requirementsSw', problems);
  const slaText = text(fields, 'slaDays');
  const slaDays = /^\d{1,4}$/.test(slaText) ? Number.parseInt(slaText, 10) : -1;
  if (slaDays < 0 || slaDays > slaDaysMax) problems.slaDays = fieldKey('slaDays');
  const mode = deliveryModes.find((candidate) => candidate === text(fields, 'deliveryMode'));
  if (mode === undefined) problems.deliveryMode = fieldKey('deliveryMode');
  const eligible = accountTypes.filter((type) => chosenAccountTypes.includes(type));
  if (eligible.length === 0) problems.eligibleAccountTypes = fieldKey('eligibleAccountTypes');
  if (Object.keys(problems).length > 0 || mode === undefined) {
    return { ok: false, fields: problems };
  }
  return { ok: true, value: { nameEn, nameSw, descriptionEn, descriptionSw, requirementsEn,
    requirementsSw, slaDays, deliveryMode: mode, eligibleAccountTypes: eligible,
    formSchemaText: text(fields, 'formSchema') } };
}

export type FeeChangeForm = Readonly<{
  fee: Money;
  effectiveFrom: string;
  gazetteReference: string;
}>;

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/**
 * The fee-change form: the amount as typed in shillings or dollars ("1,050.00") parsed exactly
 * (never through a float), a gazette reference, an effective date on or after `today` (Kenya).
 */
export function readFeeChangeForm(fields: Readonly<Record<string, string>>, today: string):
Read<FeeChangeForm> {
  const problems: FieldProblems = {};
  const currency = text(fields, 'currency');
  const fee = isCurrency(currency) ? parseMajor(text(fields, 'amount'), currency) : undefined;
  if (!isCurrency(currency)) problems.currency = fieldKey('currency');
  else if (fee === undefined) problems.amount = fieldKey('amount');
  const gazetteReference = required(fields, 'gazetteReference', gazetteReferenceLengthMax,
    problems);
  const effectiveFrom = text(fields, 'effectiveFrom');
  if (!isCalendarDate(effectiveFrom)) problems.effectiveFrom = fieldKey('effectiveFrom');
  else if (effectiveFrom < today) problems.effectiveFrom = fieldKey('effectiveFromPast');
  if (Object.keys(problems).length > 0 || fee === undefined) return { ok: false, fields: problems };
  return { ok: true, value: { fee, effectiveFrom, gazetteReference } };
}

export type FeeDecisionRefusal = 'AGENCY_FEE_CHANGE_NOT_PENDING' |
  'AGENCY_FEE_CHANGE_SAME_PERSON' | 'AGENCY_FEE_CHANGE_DATE_PASSED';

/**
 * Whether `deciderStaffId` may decide this change now: it must be pending, decided by someone
 * other than its proposer (maker-checker), and an approval must not start in the past.
 */
export function decideFeeChange(change: Readonly<{ status: string; proposedByStaffId: string;
  effectiveFrom: string }>, decision: Readonly<{ deciderStaffId: string; approve: boolean;
  today: string }>): FeeDecisionRefusal | undefined {
  if (change.status !== 'pending') return 'AGENCY_FEE_CHANGE_NOT_PENDING';
  if (change.proposedByStaffId === decision.deciderStaffId) {
    return 'AGENCY_FEE_CHANGE_SAME_PERSON';
  }
  if (decision.approve && change.effectiveFrom < decision.today) {
    return 'AGENCY_FEE_CHANGE_DATE_PASSED';
  }
  return undefined;
}

export type GoLiveRefusal = 'AGENCY_ONBOARDING_NOT_SANDBOX' |
  'AGENCY_ONBOARDING_LIVE_NEEDS_FEE' | 'AGENCY_ONBOARDING_LIVE_NEEDS_FORM';

/** A sandbox service goes live with a fee in force today (0: free) and an application form. */
export function decideGoLive(service: Readonly<{ onboardingStatus: string;
  formSchema: unknown }>, hasFeeInForce: boolean): GoLiveRefusal | undefined {
  if (service.onboardingStatus !== 'sandbox') return 'AGENCY_ONBOARDING_NOT_SANDBOX';
  if (!hasFeeInForce) return 'AGENCY_ONBOARDING_LIVE_NEEDS_FEE';
  if (service.formSchema === null || service.formSchema === undefined) {
    return 'AGENCY_ONBOARDING_LIVE_NEEDS_FORM';
  }
  return undefined;
}
