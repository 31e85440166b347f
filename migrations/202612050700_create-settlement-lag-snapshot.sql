-- The settlement lag measure as the hourly SLA check last took it (docs/settlement.md), so the
-- Treasury dashboard and the public transparency page read a few rows, not every payable
-- ledger line (BENCHMARKS.md, "Reporting"). Replaced whole by each check.
create table settlement_lag_snapshot (
  payee text not null constraint settlement_lag_snapshot_pkey primary key,
  settled_entries integer not null,
  median_hours double precision,
  max_hours double precision,
  oldest_unsettled_at timestamptz,
  schedule_days integer not null,
  sla_days integer not null,
  breached boolean not null,
  has_profile boolean not null,
  measured_at timestamptz not null
);
comment on table settlement_lag_snapshot is
  'Each payee''s settlement lag as measured by the last SLA check (measured_at).';
