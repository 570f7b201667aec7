-- Issue 15: money put into or taken out of an account (cash added, a reset to new starting cash).
-- P&L analytics must tell these apart from gains and losses: the time-weighted return steps over
-- them and the money-weighted return counts them. `amount` is signed (in: positive), and
-- `equity_before` is the account's equity just before the flow, so the return of the part of the
-- day before it is exact. A reset books one row: new starting cash minus the equity it replaces.
create table cash_flows (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  at timestamptz not null default now(),
  kind text not null check (kind in ('deposit', 'withdrawal', 'reset')),
  amount numeric(20, 2) not null,
  equity_before numeric(20, 2),
  check ((kind = 'deposit' and amount > 0) or (kind = 'withdrawal' and amount < 0)
    or kind = 'reset')
);
create index cash_flows_user_id_at_idx on cash_flows (user_id, at);
