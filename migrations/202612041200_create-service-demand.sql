-- How many people started using each service each day (an application submitted, a fee-only
-- bill issued), so the home page can list the services people actually use rather than an
-- alphabetical few. One row per service and Kenyan calendar day, counted up in the transaction
-- of the use it counts; no personal data.
create table service_demand (
  service_id uuid not null constraint service_demand_service_fkey references service (id),
  day date not null,
  count integer not null constraint service_demand_count_check check (count > 0),
  constraint service_demand_pkey primary key (service_id, day)
);
comment on table service_demand is 'Uses of a service per Kenyan calendar day (applications submitted, fee-only bills issued), for ordering the home page''s popular services. Upserted (+1) in the transaction of the use.';
comment on column service_demand.service_id is 'The service used.';
comment on column service_demand.day is 'The calendar day in Africa/Nairobi on which it was used.';
comment on column service_demand.count is 'How many uses that day (at least 1: a row exists only once counted).';
-- The home page sums the last days across services.
create index service_demand_day_idx on service_demand (day, service_id);

grant select, insert, update, delete on service_demand to huduma_app;
