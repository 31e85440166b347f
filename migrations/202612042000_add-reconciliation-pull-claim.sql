-- The daily Pull Transactions import is run by every worker: the first to claim a day imports
-- it; the others see the claim and skip, so one day is never imported (and its findings raised)
-- twice at once. A claim older than an hour is a worker that stopped: it may be taken again.
create table reconciliation_pull_claim (
  window_from timestamptz not null constraint reconciliation_pull_claim_pkey primary key,
  claimed_by text not null constraint reconciliation_pull_claim_claimed_by_check
    check (length(claimed_by) between 1 and 200),
  claimed_at timestamptz not null
);
comment on table reconciliation_pull_claim is 'Which worker is importing (or imported) the pulled transactions of a Kenya day, since when.';

grant select, insert, update on reconciliation_pull_claim to huduma_app;
