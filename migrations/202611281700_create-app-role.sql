-- The app's database role. Migrations run as the owner of the tables; the app's connections run
-- as huduma_app (the `role` setting at connection start), which reads and writes the working
-- tables but may only read and append to the audit log, the ledger and the payment records: no
-- UPDATE, DELETE or TRUNCATE there (on the audit log and the ledger the triggers refuse those to
-- every role besides), and, owning no table, it cannot alter one or switch its triggers off.
-- The role is cluster-wide, so every database of the platform on one server shares it; its
-- grants are per database.
do $$
begin
  if not exists (select from pg_roles where rolname = 'huduma_app') then
    begin
      create role huduma_app nologin;
    exception when duplicate_object or unique_violation then
      null; -- another database's migration on the same server created it a moment ago
    end;
  end if;
  -- A migrating login that is not a superuser must be a member to connect as the role.
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant huduma_app to %I', current_user);
  end if;
end
$$;

grant usage on schema public to huduma_app;
grant select, insert, update, delete on all tables in schema public to huduma_app;
grant usage, select on all sequences in schema public to huduma_app;
alter default privileges in schema public
  grant select, insert, update, delete on tables to huduma_app;
alter default privileges in schema public grant usage, select on sequences to huduma_app;

-- Append-only for the app: the journal, the audit log, and the records of what happened (raw
-- callbacks as received, payment and push events, allocations, receipts, invoice lines). A
-- later migration that adds such a table revokes the same.
revoke update, delete, truncate on audit_record, ledger_account, ledger_entry, ledger_line,
  payment_callback_raw, payment_callback_outcome, payment_event, payment_allocation,
  stk_push_event, receipt, invoice_line
  from huduma_app;
-- Posting locks a guarded account (SELECT ... FOR UPDATE, or INSERT ... ON CONFLICT DO UPDATE SET
-- kind = ... WHERE false), which needs UPDATE on one column; the trigger refuses a real update.
grant update (kind) on ledger_account to huduma_app;
revoke delete, truncate on audit_chain_head from huduma_app;
revoke insert, update, delete, truncate on schema_migration from huduma_app;
