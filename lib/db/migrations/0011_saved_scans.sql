-- Issue 16: a user's saved scans. `spec` is the scan as the API takes it (conditions, sector,
-- floors, sort, limit), checked by lib/scanner/spec.ts before it is stored and again when read.
-- A scheduled scan is run by the weekday-morning job (jobs/scans.ts), its hits sent to the owner
-- as a "brief" notification.
create table saved_scans (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 64),
  spec jsonb not null,
  scheduled boolean not null default false,
  created_at timestamptz not null default now(),
  unique (user_id, name)
);
create index saved_scans_scheduled_idx on saved_scans (id) where scheduled;
