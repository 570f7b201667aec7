-- Trading (issue 5): orders with their idempotency keys, the built-in paper broker's accounts and
-- positions, and equity snapshots for the portfolio history. Money is exact `numeric`.

-- One row per order, for both brokers. `client_order_id` is the caller's key: unique per user,
-- so a retried submission finds the first one instead of making a second order. For Alpaca the
-- row is written before the order is sent (status pending_new) and settled from its answer.
create table orders (
  id uuid primary key default gen_random_uuid(),
  user_id bigint not null references users (id) on delete cascade,
  broker text not null check (broker in ('paper', 'alpaca')),
  client_order_id text not null check (length(client_order_id) between 1 and 128),
  broker_order_id text check (length(broker_order_id) <= 64),
  symbol text not null check (length(symbol) between 1 and 32),
  side text not null check (side in ('buy', 'sell')),
  type text not null check (type in ('market', 'limit', 'stop', 'stop_limit', 'trailing_stop')),
  time_in_force text not null check (time_in_force in ('day', 'gtc')),
  qty numeric(20, 8) check (qty > 0),
  notional numeric(20, 2) check (notional > 0),
  limit_price numeric(20, 6) check (limit_price > 0),
  stop_price numeric(20, 6) check (stop_price > 0),
  trail_price numeric(20, 6) check (trail_price > 0),
  trail_percent numeric(9, 4) check (trail_percent > 0),
  hwm numeric(20, 6),
  -- A stop-limit whose stop was crossed works as a limit order from then on.
  triggered_at timestamptz,
  status text not null check (status in (
    'pending_new', 'accepted', 'new', 'partially_filled', 'filled', 'canceled', 'expired',
    'replaced', 'rejected', 'pending_cancel', 'pending_replace'
  )),
  filled_qty numeric(20, 8) not null default 0,
  filled_avg_price numeric(20, 6),
  reason text check (length(reason) <= 500),
  -- Day orders: the exchange date whose close ends them.
  expires_session date,
  prices text check (prices in ('replay', 'tradier', 'alpaca')),
  submitted_at timestamptz,
  filled_at timestamptz,
  canceled_at timestamptz,
  expired_at timestamptz,
  replaced_at timestamptz,
  replaces uuid references orders (id) on delete set null,
  replaced_by uuid references orders (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((qty is null) <> (notional is null))
);

create unique index orders_user_client_order_id_key on orders (user_id, client_order_id);
create unique index orders_broker_order_id_key on orders (broker, broker_order_id)
  where broker_order_id is not null;
create index orders_user_created_at_idx on orders (user_id, created_at desc);
-- The matcher and the reconcile job look only at orders that can still change.
create index orders_open_idx on orders (broker, symbol)
  where status in ('pending_new', 'accepted', 'new', 'partially_filled', 'pending_cancel',
    'pending_replace');

-- The built-in paper broker: one account per user, opened on first use with the starting cash
-- from the user's settings.
create table paper_accounts (
  user_id bigint primary key references users (id) on delete cascade,
  starting_cash numeric(20, 2) not null check (starting_cash > 0),
  cash numeric(20, 2) not null,
  realized_pl numeric(20, 2) not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Signed quantity (negative = short) and signed cost basis (what opening it cost, or raised).
-- A position that reaches zero is deleted.
create table paper_positions (
  user_id bigint not null references users (id) on delete cascade,
  symbol text not null check (length(symbol) between 1 and 32),
  qty numeric(20, 8) not null check (qty <> 0),
  cost_basis numeric(20, 2) not null,
  realized_pl numeric(20, 2) not null default 0,
  opened_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, symbol)
);

-- Every fill is a trade: what moved in cash (`notional`, rounded to the cent) and what it
-- realized. Alpaca fills carry their activity id, so the reconcile job never books one twice.
alter table trades
  add column order_id uuid references orders (id) on delete set null,
  add column broker text not null default 'paper' check (broker in ('paper', 'alpaca')),
  add column notional numeric(20, 2),
  add column realized_pl numeric(20, 2),
  add column broker_fill_id text check (length(broker_fill_id) <= 128);

create unique index trades_broker_fill_id_key on trades (broker, broker_fill_id);
create index trades_user_id_executed_at_idx on trades (user_id, executed_at desc);
create index trades_order_id_idx on trades (order_id);

-- Equity over time for the portfolio history: written on every fill and by a cron job.
create table equity_snapshots (
  user_id bigint not null references users (id) on delete cascade,
  at timestamptz not null,
  equity numeric(20, 2) not null,
  cash numeric(20, 2) not null,
  primary key (user_id, at)
);
