-- Issue 13: backtest runs are jobs. A run is queued (a KV queue message wakes whichever app
-- instance takes it), claimed by moving it to `running`, and ends done, failed or cancelled.
-- The stored run says exactly what was run: the rule document and its version, the parameter
-- values, the data range and source; and what came out: metrics, equity curve, trades, the
-- bias checks and the rest of the report (`result`).
create table backtest_runs (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  kind text not null default 'single' check (kind in ('single', 'sweep')),
  status text not null default 'queued'
    check (status in ('queued', 'running', 'done', 'failed', 'cancelled')),
  progress real not null default 0 check (progress between 0 and 1),
  name text not null check (length(name) between 1 and 100),
  template text,
  rule_version integer not null,
  rules jsonb not null,
  parameters jsonb not null default '{}',
  request jsonb not null,
  data_source text not null default 'replay',
  start_date date not null,
  end_date date not null,
  metrics jsonb,
  equity jsonb,
  trades jsonb,
  result jsonb,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index backtest_runs_user_id_idx on backtest_runs (user_id, id desc);
create index backtest_runs_active_idx on backtest_runs (user_id) where status in ('queued', 'running');
