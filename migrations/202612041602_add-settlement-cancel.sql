-- A prepared settlement batch can be cancelled (say, a provider reversal after preparation left
-- a payee owed less than its line): its entries are freed for a later batch, its rows kept.
alter table settlement_batch drop constraint settlement_batch_state_check;
alter table settlement_batch add constraint settlement_batch_state_check
  check (state in ('prepared', 'released', 'settled', 'cancelled'));
alter table settlement_batch add column cancelled_at timestamptz;
alter table settlement_batch add column cancelled_by text;
alter table settlement_line drop constraint settlement_line_state_check;
alter table settlement_line add constraint settlement_line_state_check
  check (state in ('prepared', 'released', 'settled', 'returned', 'cancelled'));
