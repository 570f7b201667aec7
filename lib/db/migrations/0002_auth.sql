-- Accounts and security (issue 3): refresh-token rotation with reuse detection, API tokens and
-- per-user settings.

-- One user_sessions row per refresh token. Rotation marks the row `rotated_at` and inserts its
-- successor in the same family; a rotated token presented again revokes the whole family.
alter table user_sessions
  add column family_id uuid not null default gen_random_uuid(),
  -- Rotation can never move this: it is copied from the family's first row. The default only
  -- covers rows written without it (the app always sets it).
  add column absolute_expires_at timestamptz not null default (now() + interval '30 days'),
  add column rotated_at timestamptz,
  add column revoked_at timestamptz,
  add column revoked_reason text check (length(revoked_reason) <= 40),
  add column user_agent text check (length(user_agent) <= 300),
  add column ip text check (length(ip) <= 64),
  add column family_created_at timestamptz not null default now();

update user_sessions set absolute_expires_at = expires_at;

create index user_sessions_family_id_idx on user_sessions (family_id);

-- Scripts and services: `paiid_` + random; only the hash is stored, the prefix helps people
-- recognise which token is which.
create table api_tokens (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  token_hash text not null,
  token_prefix text not null check (length(token_prefix) <= 20),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);

create unique index api_tokens_token_hash_key on api_tokens (token_hash);
create index api_tokens_user_id_idx on api_tokens (user_id);

-- Settings are validated by one zod schema (lib/auth/settings.ts) on the way in and out, so a
-- new setting needs no migration.
create table user_settings (
  user_id bigint primary key references users (id) on delete cascade,
  settings jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now()
);

alter table users add column password_changed_at timestamptz;
