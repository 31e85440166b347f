-- Statement imports take turns with reconciliation_copy (an advisory lock held from the COPY
-- until the run's lines are staged), so the scratch table only ever holds one run's rows: it is
-- emptied by TRUNCATE (at once, whatever the size) instead of a DELETE of every row, and the
-- COPY into the freshly emptied table writes its rows frozen (COPY ... FREEZE: nothing to set
-- on the pages when they are first read).
grant truncate on reconciliation_copy to huduma_app;
comment on table reconciliation_copy is 'Statement files as COPY reads them (columns in file order, n in file order), one run at a time (imports take turns under an advisory lock), emptied once its lines are staged. Unlogged scratch space.';
