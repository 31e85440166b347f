-- A counter that moves whenever the searchable catalogue changes (ministry, agency, service),
-- so the in-process search index can tell in one cheap query that it must rebuild
-- (docs/decisions/0001-search-engine.md). Statement-level triggers: one bump per statement,
-- not per row, so a bulk import costs one update of one row per statement.
create table catalogue_version (
  id boolean primary key default true constraint catalogue_version_single_row_check check (id),
  version bigint not null default 0 constraint catalogue_version_version_check check (version >= 0),
  changed_at timestamptz not null default now()
);
comment on table catalogue_version is 'One row: a counter bumped by every statement that changes ministry, agency or service; the search index rebuilds when it moves.';

insert into catalogue_version (id, version) values (true, 0);

create function catalogue_version_bump() returns trigger language plpgsql as $$
begin
  update catalogue_version set version = version + 1, changed_at = now() where id;
  return null;
end
$$;
comment on function catalogue_version_bump() is 'Bumps catalogue_version; run after each statement that changes the searchable catalogue.';

create trigger ministry_catalogue_version_bump
  after insert or update or delete or truncate on ministry
  for each statement execute function catalogue_version_bump();
create trigger agency_catalogue_version_bump
  after insert or update or delete or truncate on agency
  for each statement execute function catalogue_version_bump();
create trigger service_catalogue_version_bump
  after insert or update or delete or truncate on service
  for each statement execute function catalogue_version_bump();
