-- Issue 18: the kill switch. A halt refuses new orders for one account, or for every account
-- when an admin sets it (user_id null). At most one active halt per scope; resuming keeps the
-- row, so the table is the halt's history.
create table trading_halts (
  id bigint generated always as identity primary key,
  user_id bigint references users (id) on delete cascade,
  reason text not null check (length(reason) between 1 and 300),
  halted_by bigint references users (id) on delete set null,
  halted_at timestamptz not null default now(),
  resumed_by bigint references users (id) on delete set null,
  resumed_at timestamptz
);
create unique index trading_halts_one_active_idx
  on trading_halts ((coalesce(user_id, 0))) where resumed_at is null;

-- What was done to an account and by whom, for the user and for operators: halts, resumes,
-- and later proposal approvals and automation switches.
create table audit_events (
  id bigint generated always as identity primary key,
  user_id bigint references users (id) on delete cascade,
  actor_id bigint references users (id) on delete set null,
  action text not null check (length(action) between 1 and 60),
  detail jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index audit_events_user_id_created_at_idx on audit_events (user_id, created_at desc);
