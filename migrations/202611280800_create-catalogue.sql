-- The national service catalogue: ministry -> department -> agency -> service, with versioned
-- fee schedules and the gazetted access-fee tiers (data, not code).
create extension if not exists pg_trgm;
create extension if not exists unaccent;

create table ministry (
  id uuid primary key,
  source_id text constraint ministry_source_id_key unique,
  slug text not null constraint ministry_slug_key unique,
  name_en text not null,
  name_sw text,
  description_en text,
  description_sw text,
  url text,
  origin text not null constraint ministry_origin_check check (origin in ('demo', 'ecitizen', 'synthetic')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table ministry is 'A ministry or independent office: the top of the catalogue.';
comment on column ministry.source_id is 'Id in the source dataset (eCitizen 12-hex id, demo or synthetic key); re-imports match on it.';
comment on column ministry.origin is 'Where the row came from: the demo catalogue, the eCitizen dataset (CC BY 4.0) or the synthetic generator.';

create table department (
  id uuid primary key,
  source_id text constraint department_source_id_key unique,
  ministry_id uuid not null constraint department_ministry_fkey references ministry (id),
  slug text not null constraint department_slug_key unique,
  name_en text not null,
  name_sw text,
  url text,
  origin text not null constraint department_origin_check check (origin in ('demo', 'ecitizen', 'synthetic')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table department is 'A state department within a ministry.';
create index department_ministry_id_idx on department (ministry_id);

create table agency (
  id uuid primary key,
  source_id text constraint agency_source_id_key unique,
  ministry_id uuid not null constraint agency_ministry_fkey references ministry (id),
  department_id uuid constraint agency_department_fkey references department (id),
  slug text not null constraint agency_slug_key unique,
  name_en text not null,
  name_sw text,
  description_en text,
  description_sw text,
  url text,
  origin text not null constraint agency_origin_check check (origin in ('demo', 'ecitizen', 'synthetic')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table agency is 'A government agency that offers services and is paid for them.';
create index agency_ministry_id_idx on agency (ministry_id);
create index agency_department_id_idx on agency (department_id);

create table service (
  id uuid primary key,
  source_id text constraint service_source_id_key unique,
  agency_id uuid not null constraint service_agency_fkey references agency (id),
  slug text not null constraint service_slug_key unique,
  name_en text not null,
  name_sw text,
  description_en text,
  description_sw text,
  requirements_en text[] not null default '{}',
  requirements_sw text[] not null default '{}',
  service_url text,
  onboarding_status text not null default 'not_started'
    constraint service_onboarding_status_check
    check (onboarding_status in ('live', 'in_progress', 'not_started', 'exempt')),
  sla_days integer constraint service_sla_days_check check (sla_days is null or sla_days between 0 and 3650),
  delivery_mode text not null default 'online'
    constraint service_delivery_mode_check
    check (delivery_mode in ('online', 'collect_in_person', 'courier', 'mixed')),
  eligible_account_types text[] not null default '{citizen,resident,foreigner,business}',
  form_schema jsonb,
  origin text not null constraint service_origin_check check (origin in ('demo', 'ecitizen', 'synthetic')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint service_eligible_account_types_check check (
    eligible_account_types <@ array['citizen', 'resident', 'foreigner', 'business']::text[])
);
comment on table service is 'A government service a person or business can apply and pay for.';
comment on column service.sla_days is 'Days the agency commits to deliver in, from payment.';
comment on column service.form_schema is 'JSON Schema of the application form (later issues).';
create index service_agency_id_idx on service (agency_id);

create table fee_schedule_version (
  id uuid primary key,
  service_id uuid not null constraint fee_schedule_version_service_fkey references service (id),
  version integer not null constraint fee_schedule_version_version_check check (version > 0),
  amount_minor bigint not null constraint fee_schedule_version_amount_check check (amount_minor >= 0),
  currency text not null constraint fee_schedule_version_currency_check check (currency in ('KES', 'USD')),
  effective_from date not null,
  effective_to date,
  gazette_reference text,
  created_at timestamptz not null default now(),
  constraint fee_schedule_version_service_version_key unique (service_id, version),
  constraint fee_schedule_version_dates_check check (effective_to is null or effective_to > effective_from)
);
comment on table fee_schedule_version is 'A version of a service''s fee: amount in minor units, in force from effective_from until (not including) effective_to. Invoices snapshot the version they used.';
create index fee_schedule_version_service_idx on fee_schedule_version (service_id, effective_from desc);

create table access_fee_schedule (
  id uuid primary key,
  version integer not null constraint access_fee_schedule_version_key unique,
  effective_from date not null,
  effective_to date,
  gazette_reference text not null,
  created_at timestamptz not null default now()
);
comment on table access_fee_schedule is 'A gazetted version of the access (convenience) fee tiers.';

create table access_fee_tier (
  schedule_id uuid not null constraint access_fee_tier_schedule_fkey references access_fee_schedule (id),
  currency text not null constraint access_fee_tier_currency_check check (currency in ('KES', 'USD')),
  from_minor bigint not null constraint access_fee_tier_from_check check (from_minor >= 0),
  below_minor bigint,
  fee_minor bigint not null constraint access_fee_tier_fee_check check (fee_minor >= 0),
  constraint access_fee_tier_pkey primary key (schedule_id, currency, from_minor),
  constraint access_fee_tier_range_check check (below_minor is null or below_minor > from_minor)
);
comment on table access_fee_tier is 'One tier: a service fee from from_minor up to (not including) below_minor pays fee_minor as access fee.';

insert into access_fee_schedule (id, version, effective_from, gazette_reference)
values ('01930000-0000-7000-8000-000000000001', 1, '2023-07-01', 'Access fee tiers as gazetted for the eCitizen platform, 2023');

insert into access_fee_tier (schedule_id, currency, from_minor, below_minor, fee_minor) values
  ('01930000-0000-7000-8000-000000000001', 'KES', 0, 20000, 500),
  ('01930000-0000-7000-8000-000000000001', 'KES', 20000, 30000, 1000),
  ('01930000-0000-7000-8000-000000000001', 'KES', 30000, 50000, 1500),
  ('01930000-0000-7000-8000-000000000001', 'KES', 50000, 70000, 2000),
  ('01930000-0000-7000-8000-000000000001', 'KES', 70000, 100000, 2500),
  ('01930000-0000-7000-8000-000000000001', 'KES', 100000, null, 5000),
  ('01930000-0000-7000-8000-000000000001', 'USD', 0, null, 100);
