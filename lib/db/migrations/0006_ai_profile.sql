-- Onboarding (issue 11): the investor profile the setup writes, and the default watchlist it
-- creates. The watchlists are minimal on purpose: the watchlists issue extends them.

create table user_profiles (
  user_id bigint primary key references users (id) on delete cascade,
  goals text not null default '' check (length(goals) <= 500),
  experience text check (experience in ('none', 'beginner', 'intermediate', 'advanced')),
  horizon text check (horizon in ('days', 'weeks', 'months', 'years')),
  risk_tolerance text check (risk_tolerance in ('low', 'medium', 'high')),
  starting_cash numeric(20, 2) check (starting_cash > 0),
  watch_symbols jsonb not null default '[]',
  via text check (via in ('form', 'interview')),
  completed_at timestamptz,
  skipped_at timestamptz,
  updated_at timestamptz not null default now()
);

create table watchlists (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 64),
  is_default boolean not null default false,
  created_at timestamptz not null default now()
);

-- At most one default list per user.
create unique index watchlists_user_default_key on watchlists (user_id) where is_default;

create table watchlist_symbols (
  watchlist_id bigint not null references watchlists (id) on delete cascade,
  symbol text not null check (length(symbol) between 1 and 32),
  position int not null check (position >= 0),
  primary key (watchlist_id, symbol)
);
