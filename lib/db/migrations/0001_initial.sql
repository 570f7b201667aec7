-- The original app's five tables, modernised: identity keys, timestamptz, owner rows that
-- cascade, case-insensitive unique logins, exact numerics for money and fractional quantities.
-- Keys are bigint; the driver returns them as JS numbers (see lib/db/database.ts).

create table users (
  id bigint generated always as identity primary key,
  username text not null check (length(username) between 1 and 50),
  email text not null check (length(email) between 3 and 255),
  password_hash text not null,
  role text not null default 'user' check (role in ('admin', 'user')),
  created_at timestamptz not null default now(),
  last_login_at timestamptz
);

-- "Alice" and "alice" are the same login, and so are two spellings of one mailbox.
create unique index users_username_lower_key on users (lower(username));
create unique index users_email_lower_key on users (lower(email));

create table user_sessions (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  -- A hash of the refresh token: a leaked table must not hand out live sessions.
  session_token text not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);

create unique index user_sessions_session_token_key on user_sessions (session_token);
create index user_sessions_user_id_idx on user_sessions (user_id);

create table strategies (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  config jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index strategies_user_id_idx on strategies (user_id);

create table trades (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  symbol text not null check (length(symbol) between 1 and 32),
  side text not null check (side in ('buy', 'sell')),
  -- Fractional shares are coming; eight places cover crypto-style lots too.
  quantity numeric(20, 8) not null check (quantity > 0),
  price numeric(20, 6) not null check (price >= 0),
  executed_at timestamptz not null default now()
);

create index trades_user_id_symbol_idx on trades (user_id, symbol);

create table ai_recommendations (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  symbol text not null check (length(symbol) between 1 and 32),
  action text not null check (length(action) between 1 and 20),
  confidence numeric(5, 2) not null check (confidence between 0 and 100),
  reasoning text,
  created_at timestamptz not null default now()
);

create index ai_recommendations_user_id_created_at_idx
  on ai_recommendations (user_id, created_at desc);
