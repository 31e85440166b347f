/**
 * What the catalogue hands out: plain, read-only objects with camelCase fields, names in both
 * languages (Swahili may be missing, then show English), and Money for every amount.
 */
import type { Money } from '#platform/money/index.ts';
import type { AccountType, DeliveryMode, OnboardingStatus, Origin } from './catalogue-tables.ts';

export type { AccountType, DeliveryMode, OnboardingStatus, Origin } from './catalogue-tables.ts';

/** A calendar date in Kenya, 'YYYY-MM-DD'. */
export type CalendarDate = string;

/** Enough of a ministry, agency or department to name and link it. */
export type CatalogueReference = Readonly<{
  id: string;
  slug: string;
  nameEn: string;
  nameSw: string | null;
}>;

export type Ministry = CatalogueReference & Readonly<{
  descriptionEn: string | null;
  descriptionSw: string | null;
  url: string | null;
  origin: Origin;
}>;

export type MinistrySummary = Ministry & Readonly<{ agencyCount: number; serviceCount: number }>;

export type Agency = CatalogueReference & Readonly<{
  descriptionEn: string | null;
  descriptionSw: string | null;
  url: string | null;
  origin: Origin;
  ministry: CatalogueReference;
  department: CatalogueReference | null;
}>;

export type AgencySummary = Agency & Readonly<{ serviceCount: number }>;

/** A service in a list: enough for a link and a line of text. */
export type ServiceSummary = CatalogueReference & Readonly<{
  descriptionEn: string | null;
  descriptionSw: string | null;
  onboardingStatus: OnboardingStatus;
  origin: Origin;
}>;

export type Service = ServiceSummary & Readonly<{
  requirementsEn: readonly string[];
  requirementsSw: readonly string[];
  serviceUrl: string | null;
  slaDays: number | null;
  deliveryMode: DeliveryMode;
  eligibleAccountTypes: readonly AccountType[];
  agency: CatalogueReference;
  ministry: CatalogueReference;
  department: CatalogueReference | null;
  /** The service has an application form: paying is a step of applying, not a bare fee. */
  hasApplicationForm: boolean;
  /** What the payer does after paying (receipts, payment messages); null: a general line. */
  nextStepEn: string | null;
  nextStepSw: string | null;
}>;

/** A version of a service's fee, in force from effectiveFrom until (not including) effectiveTo. */
export type FeeVersion = Readonly<{
  id: string;
  serviceId: string;
  version: number;
  fee: Money;
  effectiveFrom: CalendarDate;
  effectiveTo: CalendarDate | null;
  gazetteReference: string | null;
}>;

/** Which gazetted access-fee schedule priced an access fee. */
export type AccessFeeScheduleRef = Readonly<{
  id: string;
  version: number;
  gazetteReference: string;
}>;

/** What a person pays for a service on a date: the service fee, the access fee, their total. */
export type ServiceQuote = Readonly<{
  serviceFee: Money;
  accessFee: Money;
  total: Money;
  feeVersion: FeeVersion;
  accessFeeSchedule: AccessFeeScheduleRef;
}>;

export type PageRequest = Readonly<{
  /** 1-based. */
  page: number;
  pageSize: number;
}>;

export type Page<T> = Readonly<{
  items: readonly T[];
  total: number;
  page: number;
  pageSize: number;
}>;
