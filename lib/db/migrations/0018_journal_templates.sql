-- Issue 18: the trading journal and order templates, both per user.

-- A journal entry is about an order, a fill (a trades row), a position (its symbol) or nothing in
-- particular. A fill's entry also records the fill's order and symbol, and an order's entry its
-- symbol, so "notes on AAPL" or "notes on this order" find every entry that concerns them. When
-- an order or fill row goes away (an Alpaca intent that never reached Alpaca is deleted) the
-- note stays and loses only that link. The rules on the text (lengths, the emotion set, tags as
-- lowercase words) are lib/journal/schemas.ts's; the checks here are the last line.
create table journal_entries (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  symbol text check (length(symbol) between 1 and 32),
  order_id uuid references orders (id) on delete set null,
  trade_id bigint references trades (id) on delete set null,
  why text not null default '' check (length(why) <= 4000),
  plan text not null default '' check (length(plan) <= 4000),
  lesson text not null default '' check (length(lesson) <= 4000),
  emotion text check (emotion in (
    'calm', 'confident', 'anxious', 'fearful', 'greedy', 'frustrated', 'neutral'
  )),
  tags text[] not null default '{}' check (cardinality(tags) <= 10),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- Newest first, paged by id (keyset), is how every list reads them.
create index journal_entries_user_id_idx on journal_entries (user_id, id desc);
create index journal_entries_user_symbol_idx on journal_entries (user_id, symbol, id desc);
create index journal_entries_order_id_idx on journal_entries (order_id) where order_id is not null;
create index journal_entries_trade_id_idx on journal_entries (trade_id) where trade_id is not null;
create index journal_entries_tags_idx on journal_entries using gin (tags);

-- An order template is the shape of an order without its prices: side, type, time in force and
-- optionally a symbol and a size (shares or dollars). Limit and stop prices are not kept, since a
-- level belongs to one market moment; a trailing stop's trail is an offset, so it is kept.
create table order_templates (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 64),
  symbol text check (length(symbol) between 1 and 32),
  side text not null check (side in ('buy', 'sell')),
  type text not null check (type in ('market', 'limit', 'stop', 'stop_limit', 'trailing_stop')),
  time_in_force text not null check (time_in_force in ('day', 'gtc')),
  qty numeric(20, 8) check (qty > 0),
  notional numeric(20, 2) check (notional > 0),
  trail_price numeric(20, 6) check (trail_price > 0),
  trail_percent numeric(9, 4) check (trail_percent > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (qty is null or notional is null),
  check (trail_price is null or trail_percent is null),
  check (type = 'trailing_stop' or (trail_price is null and trail_percent is null))
);
create unique index order_templates_user_name_key on order_templates (user_id, lower(name));
