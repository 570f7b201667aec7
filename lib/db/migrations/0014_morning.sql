-- Issue 12, the morning routine: one brief per user per market date. The row is the claim: the
-- morning job and "Run now" insert it with `on conflict (user_id, market_date)`, so however many
-- app instances run the job, one of them builds a user's brief for a day (lib/morning/store.ts).
-- `brief` holds the finished brief (every figure with its source and as-of time).
create table morning_briefs (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  market_date date not null,
  status text not null check (status in ('running', 'done', 'failed')),
  trigger text not null check (trigger in ('job', 'manual')),
  -- 0-100 while running, with the step in words.
  progress integer not null default 0 check (progress between 0 and 100),
  step text,
  brief jsonb,
  error text,
  -- How many times the row was claimed (a stale or failed build may be claimed again).
  attempts integer not null default 1,
  claimed_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (user_id, market_date)
);
create index morning_briefs_user_date_idx on morning_briefs (user_id, market_date desc);

-- The checklist the user ticks on a brief: one row per ticked (or unticked) item.
create table morning_checklist (
  brief_id bigint not null references morning_briefs (id) on delete cascade,
  item text not null check (length(item) between 1 and 32),
  done boolean not null,
  updated_at timestamptz not null default now(),
  primary key (brief_id, item)
);
