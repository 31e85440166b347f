-- A bill lapses 30 days after it is issued; an application awaiting payment whose bill expired
-- unpaid gets a new one ('reissue', src/modules/applications/application-status.ts) instead of
-- being stuck with nothing to pay.
alter table application_action drop constraint application_action_kind_check;
alter table application_action add constraint application_action_kind_check check (kind in (
  'start', 'request-confirmation', 'confirm', 'submit', 'invoice', 'reissue', 'pay',
  'start-review', 'return', 'resubmit', 'approve', 'reject', 'issue', 'cancel', 'assign',
  'escalate'));
