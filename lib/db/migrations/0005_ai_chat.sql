-- Issue 11: the analyst chat's conversations and messages, and the per-request token usage the
-- per-user daily budget is counted from.

create table ai_conversations (
  id uuid primary key default gen_random_uuid(),
  user_id bigint not null references users (id) on delete cascade,
  title text not null check (length(title) between 1 and 120),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index ai_conversations_user_idx on ai_conversations (user_id, updated_at desc);

create table ai_messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references ai_conversations (id) on delete cascade,
  role text not null check (role in ('user', 'assistant')),
  content text not null check (length(content) <= 100000),
  -- Only a turn that reached its end is complete; an error or a closed tab keeps what was
  -- streamed under its own status, so it is never mistaken for a whole answer.
  status text not null default 'complete' check (status in ('complete', 'error', 'aborted')),
  analyst text check (analyst in ('claude', 'offline')),
  model text,
  tool_calls jsonb not null default '[]',
  unverified jsonb not null default '[]',
  input_tokens integer not null default 0,
  output_tokens integer not null default 0,
  created_at timestamptz not null default now()
);

create index ai_messages_conversation_idx on ai_messages (conversation_id, created_at);

-- One row per analyst request (a chat turn, a structured task), whether it succeeded or not:
-- tokens spent on a failed turn still count against the day's budget.
create table ai_usage (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  kind text not null check (length(kind) between 1 and 60),
  analyst text not null check (analyst in ('claude', 'offline')),
  model text not null,
  input_tokens integer not null default 0,
  output_tokens integer not null default 0,
  cache_read_tokens integer not null default 0,
  cache_creation_tokens integer not null default 0,
  at timestamptz not null default now()
);

create index ai_usage_user_at_idx on ai_usage (user_id, at);
