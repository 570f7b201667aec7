-- Issue 20: price alerts and the notification centre.

-- Everything PaiiD has to tell a user. `dedupe_key` makes an event a notification exactly once,
-- however many instances see it (an alert's firing, an order's fill). Kept 90 days (jobs/).
create table notifications (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  kind text not null check (kind in ('alert', 'order', 'proposal', 'brief', 'backtest', 'halt')),
  title text not null check (length(title) between 1 and 200),
  body text not null default '' check (length(body) <= 2000),
  -- Where "open" goes: a path of this app, never another site.
  link text check (link is null or (link like '/%' and link not like '//%' and length(link) <= 300)),
  dedupe_key text check (length(dedupe_key) <= 200),
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create unique index notifications_user_dedupe_key on notifications (user_id, dedupe_key)
  where dedupe_key is not null;
create index notifications_user_id_idx on notifications (user_id, id desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;
create index notifications_created_at_idx on notifications (created_at);

-- An alert on one symbol. `armed` is the crossing state: an alert fires only while armed and
-- disarms as it fires; it re-arms when the value moves back past the margin, or at the next
-- session. `version` moves on every change of state, so an instance fires or re-arms only the
-- state it saw: with several instances exactly one wins.
create table price_alerts (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  symbol text not null check (length(symbol) between 1 and 32),
  condition text not null check (condition in (
    'price_above', 'price_below', 'change_above', 'change_below', 'volume_above',
    'rsi_below', 'rsi_above', 'price_above_sma', 'price_below_sma'
  )),
  threshold numeric(20, 6) not null,
  -- RSI or SMA period, or the days of the average volume.
  period int check (period between 2 and 400),
  rearm text not null default 'margin' check (rearm in ('margin', 'session')),
  rearm_margin numeric(8, 4) not null default 0.5 check (rearm_margin >= 0 and rearm_margin <= 50),
  status text not null default 'active' check (status in ('active', 'paused', 'expired')),
  armed boolean not null default true,
  version int not null default 0,
  fired_count int not null default 0,
  last_fired_at timestamptz,
  last_fired_value numeric(20, 6),
  -- The time of the quote that fired it: an older quote (a cache, a stream's first value after
  -- a restart) says nothing about whether the price has gone back since.
  fired_quote_at timestamptz,
  -- The exchange day of the last firing, for re-arming at the next session.
  fired_session date,
  expires_at timestamptz,
  note text check (length(note) <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index price_alerts_user_id_idx on price_alerts (user_id, id);
create index price_alerts_active_idx on price_alerts (symbol) where status = 'active';

-- An order that reaches an end (filled, cancelled, expired, rejected) becomes a notification in
-- the same transaction, whichever broker, job or instance moved it there.
create function notify_order_end() returns trigger language plpgsql as $$
declare
  qty text := trim_scale(coalesce(nullif(new.filled_qty, 0), new.qty))::text;
  what text := new.side || ' ' || coalesce(qty || ' ', '') || new.symbol;
  title text;
begin
  if new.status not in ('filled', 'canceled', 'expired', 'rejected') then
    return null;
  end if;
  if tg_op = 'UPDATE' and old.status = new.status then
    return null;
  end if;
  title := case new.status
    when 'filled' then 'Filled: ' || what || ' at '
      || coalesce(trim_scale(new.filled_avg_price)::text || ' USD', 'an unknown price')
    when 'canceled' then 'Cancelled: ' || what
    when 'expired' then 'Expired: ' || what
    else 'Rejected: ' || what
  end;
  insert into notifications (user_id, kind, title, body, link, dedupe_key)
  values (new.user_id, 'order', left(title, 200), left(coalesce(new.reason, ''), 2000),
          '/execute', 'order:' || new.id::text || ':' || new.status)
  on conflict do nothing;
  return null;
end;
$$;

create trigger orders_notify_end after insert or update of status on orders
  for each row execute function notify_order_end();

-- A halt tells the account it stops (every account, for a global halt).
create function notify_halt() returns trigger language plpgsql as $$
begin
  insert into notifications (user_id, kind, title, body, link, dedupe_key)
  select u.id, 'halt', 'Trading halted', left(new.reason, 2000), '/trading/halt',
         'halt:' || new.id::text
    from users u
   where new.user_id is null or u.id = new.user_id
  on conflict do nothing;
  return null;
end;
$$;

create trigger trading_halts_notify after insert on trading_halts
  for each row execute function notify_halt();
