-- Issue 16: a user's saved scans. `spec` is the scan as the API takes it (conditions, sector,
-- floors, sort, limit), checked by lib/scanner/spec.ts before it is stored and again when read.
create table saved_scans (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 64),
  spec jsonb not null,
  created_at timestamptz not null default now(),
  unique (user_id, name)
);
