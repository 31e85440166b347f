-- The balance proof reads only the lines where the ledger posted something other than the
-- statement's own Paid In less Withdrawn (and those where the statement's Balance does not
-- follow from the line before, which the reader lists): between them the difference between
-- the ledger and the statement cannot change. Most lines are matched at their own amount and
-- are not in this index.
create index reconciliation_line_ledger_step_idx on reconciliation_line (run_id, line_number)
  where ledger_minor is distinct from paid_in_minor - withdrawn_minor;
