-- Every submission of an application for one service on one day added one to the same
-- service_demand row, so concurrent submissions queued behind that row's lock until each
-- commit (bench/submit: two thirds of the database sessions waiting on it). The count is
-- spread over 64 rows per service and day (the shard is drawn at random); the home page sums
-- them, so the total is unchanged.
alter table service_demand add column shard smallint not null default 0
  constraint service_demand_shard_check check (shard between 0 and 63);
comment on column service_demand.shard is 'One of 64 counters of the service and day, drawn at random by each use so that concurrent uses rarely wait for one another; sum them for the day''s count.';
alter table service_demand drop constraint service_demand_pkey;
alter table service_demand add constraint service_demand_pkey primary key (service_id, day, shard);
