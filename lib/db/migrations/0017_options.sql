-- Issue 19: option orders. An order is a stock order (as before) or an option order: a single
-- contract (its OCC symbol in `symbol`, quantity in contracts) or a multi-leg `mleg` order whose
-- `symbol` is the common underlying, `qty` counts units and whose legs live in `order_legs`.
-- Existing rows keep their meaning through the defaults.

alter table orders
  add column asset_class text not null default 'us_equity'
    check (asset_class in ('us_equity', 'us_option')),
  add column order_class text not null default 'simple' check (order_class in ('simple', 'mleg')),
  add column position_intent text check (position_intent in (
    'buy_to_open', 'buy_to_close', 'sell_to_open', 'sell_to_close'
  )),
  -- A stock order has no intent and no legs; a multi-leg order is always an option order.
  add constraint orders_option_shape check (
    (asset_class = 'us_equity' and order_class = 'simple' and position_intent is null)
    or (asset_class = 'us_option')
  );

-- The legs of a multi-leg order, in the order they were given. Filled all together or not at
-- all, so `filled_qty` is the order's filled units × `ratio_qty` once the order fills.
create table order_legs (
  order_id uuid not null references orders (id) on delete cascade,
  leg smallint not null check (leg between 0 and 3),
  -- OCC symbols are 21 characters at most; the same bound as orders.symbol.
  symbol text not null check (length(symbol) between 1 and 32),
  side text not null check (side in ('buy', 'sell')),
  ratio_qty integer not null check (ratio_qty between 1 and 100),
  position_intent text not null check (position_intent in (
    'buy_to_open', 'buy_to_close', 'sell_to_open', 'sell_to_close'
  )),
  filled_qty numeric(20, 8) not null default 0 check (filled_qty >= 0),
  filled_avg_price numeric(20, 6) check (filled_avg_price >= 0),
  primary key (order_id, leg),
  unique (order_id, symbol)
);

-- Shares per unit of quantity: 1 for stock, 100 for a standard option contract. Notional and
-- cost basis are USD (qty × price × multiplier); prices stay per share.
alter table paper_positions
  add column multiplier integer not null default 1 check (multiplier between 1 and 10000);

-- Every fill says why it happened: an order's trade, or an option's settlement at expiry (an
-- exercise, an assignment, or expiring worthless at price 0), with the settlement in words.
alter table trades
  add column multiplier integer not null default 1 check (multiplier between 1 and 10000),
  add column reason text not null default 'trade'
    check (reason in ('trade', 'exercise', 'assignment', 'expired')),
  add column note text check (length(note) <= 300),
  add constraint trades_settlement_has_note check (reason = 'trade' or note is not null);

-- The expiry job looks for option positions by expiration; OCC symbols carry it, so a partial
-- index on the option rows keeps that scan off the stock positions.
create index paper_positions_options_idx on paper_positions (symbol) where multiplier <> 1;
