-- Issue 14: strategies are versioned. `strategies` stays the one row per strategy (its owner,
-- and the latest version's name and rules in `config`, so older readers keep working); every
-- save adds an immutable row to `strategy_versions`, which backtest runs (and, later, paper
-- deployments: `strategy_deployments (strategy_id, version) references strategy_versions`) point
-- at, so what ran is always the exact rule document that was saved.
alter table strategies
  add column description text not null default '' check (length(description) <= 2000),
  add column templates text[] not null default '{}',
  add column version integer not null default 1 check (version >= 1);

create table strategy_versions (
  strategy_id bigint not null references strategies (id) on delete cascade,
  version integer not null check (version >= 1),
  name text not null check (length(name) between 1 and 100),
  description text not null default '' check (length(description) <= 2000),
  templates text[] not null default '{}',
  rules jsonb not null,
  created_at timestamptz not null default now(),
  primary key (strategy_id, version)
);

-- Strategies saved before versions existed become their own version 1.
insert into strategy_versions (strategy_id, version, name, rules, created_at)
  select id, 1, name, config, created_at from strategies;

-- A backtest of a saved strategy names the version it ran; deleting the strategy keeps the run
-- (its own copy of the rules stays in `rules`).
alter table backtest_runs
  add column strategy_id bigint references strategies (id) on delete set null,
  add column strategy_version integer;
create index backtest_runs_strategy_idx on backtest_runs (strategy_id, id desc)
  where strategy_id is not null;
