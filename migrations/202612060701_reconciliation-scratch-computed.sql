-- The completion time and whether a line is completed are computed as the scratch rows are
-- COPYed (while Node reads the file, the server's COPY has time to spare) rather than in the
-- classifying query, which runs while the classified rows are written and has none
-- (decision 0019). t_ms is whole milliseconds since 1970: to_timestamp of it in seconds is
-- exact to the microsecond for any time a statement holds.
alter table reconciliation_scratch
  add column t timestamptz generated always as (to_timestamp(t_ms / 1000.0)) stored,
  add column completed boolean generated always as (lower(s) = 'completed') stored;
comment on column reconciliation_scratch.t is 'The completion time (from t_ms), computed as the row is written.';
comment on column reconciliation_scratch.completed is 'Whether the Transaction Status is Completed (any case), computed as the row is written.';
