-- Issue 14 ("Trading on paper"): a saved strategy version deployed to the paper account with a
-- capital allocation and limits, and one evaluation per deployment per session.
--
-- A deployment points at the exact `strategy_versions` row it trades, so editing the strategy
-- later never changes what runs. `started_on` is the market date it was deployed on: its bars
-- (and the backtest it is compared with) start there, with the warm-up the rules need before.
create table strategy_deployments (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  strategy_id bigint not null,
  strategy_version integer not null,
  capital numeric(20, 2) not null check (capital > 0),
  -- null: no limit beyond the strategy's own constraints.
  max_positions integer check (max_positions between 1 and 500),
  max_order_value numeric(20, 2) check (max_order_value > 0),
  status text not null default 'active' check (status in ('active', 'paused', 'stopped')),
  started_on date not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  stopped_at timestamptz,
  foreign key (strategy_id, strategy_version)
    references strategy_versions (strategy_id, version) on delete cascade
);
create index strategy_deployments_user_idx on strategy_deployments (user_id, id desc);
create index strategy_deployments_active_idx on strategy_deployments (id) where status = 'active';

-- The row for (deployment, session) is the claim: whoever inserts it evaluates, so several app
-- instances running the job at one close evaluate each deployment once. `session_no` is the
-- market clock's monotonic session number (the replay's dates jump back when it wraps).
create table strategy_evaluations (
  id bigint generated always as identity primary key,
  deployment_id bigint not null references strategy_deployments (id) on delete cascade,
  session date not null,
  session_no integer,
  status text not null default 'running'
    check (status in ('running', 'done', 'halted', 'failed')),
  -- Per symbol: the entry/exit flags (and rank) of the compiled rules at this session's bar.
  signals jsonb,
  -- What the evaluation did: the proposals made (id, order, auto-approval outcome), skipped ones.
  actions jsonb not null default '[]',
  proposals_made integer not null default 0,
  orders_placed integer not null default 0,
  -- The deployment's book marked at this session's close (capital + P&L of its fills), USD.
  equity numeric(20, 2),
  error text check (length(error) <= 2000),
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (deployment_id, session)
);
create index strategy_evaluations_deployment_idx on strategy_evaluations (deployment_id, session desc);
