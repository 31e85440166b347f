-- Statement files are now read in Node (csv-records.ts, statement-csv.ts: one reader for both
-- databases) and their checked lines streamed by COPY, already typed, into this scratch table;
-- the classifying INSERT ... SELECT then reads numbers and times instead of checking and
-- converting text in SQL (decision 0018). Imports take turns with it (an advisory lock from the
-- COPY until the lines are staged), so it holds one run's lines and has no run column.
drop table reconciliation_copy;
create unlogged table reconciliation_scratch (
  n integer not null,
  r text not null,
  t_ms bigint not null,
  i bigint not null,
  w bigint not null,
  b bigint,
  s text not null,
  y text not null,
  k text not null,
  a text not null,
  x text not null
);
comment on table reconciliation_scratch is 'The checked lines of the statement being imported (line number, receipt, completion time in ms since 1970, paid in, withdrawn, balance in cents, status, reason type, linked receipt, account reference, the line verbatim), one import at a time (an advisory lock), emptied once its lines are staged. Unlogged scratch space.';
grant select, insert, truncate on reconciliation_scratch to huduma_app;
