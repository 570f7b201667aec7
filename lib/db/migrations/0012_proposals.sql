-- Issue 12: trade proposals a person approves, and their append-only audit log.
--
-- A proposal is one concrete order waiting for a person: approving it places the order through
-- the broker pipeline with the client order id `proposal-<id>`, so however many approvals race,
-- the pipeline's idempotency key makes one order (lib/proposals/approve.ts). It expires at the
-- close of the session it was made in (`expires_session_no`, the market clock's monotonic session
-- number: the replay's dates jump backwards when it wraps, its session numbers do not).
create table proposals (
  id uuid primary key default gen_random_uuid(),
  user_id bigint not null references users (id) on delete cascade,
  status text not null default 'pending'
    check (status in ('pending', 'approved', 'rejected', 'expired')),
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
  source_kind text not null check (source_kind in ('recommendation', 'strategy', 'chat', 'manual')),
  source_ref text check (length(source_ref) <= 128),
  note text not null default '' check (length(note) <= 1000),
  created_at timestamptz not null default now(),
  -- The close of the session it was made in (null when the clock did not know it).
  expires_at timestamptz,
  expires_session date,
  expires_session_no integer,
  -- An approval in flight: reject and expiry wait for it (a lease: a crashed approval frees the
  -- proposal after two minutes; the order, if it was placed, is found by its key).
  claimed_at timestamptz,
  claim_token uuid,
  -- The last approval a check or the kill switch refused: `{ code, message, at, checks? }`.
  last_refusal jsonb,
  -- Auto-approval's reservation against the day's limit: the estimated value and its session.
  auto_value numeric(20, 2),
  auto_session integer,
  decided_at timestamptz,
  decided_by bigint references users (id) on delete set null,
  decided_via text check (decided_via in ('user', 'auto', 'system')),
  client_order_id text not null check (length(client_order_id) between 1 and 128),
  order_id uuid references orders (id) on delete set null,
  check ((qty is null) <> (notional is null)),
  check ((status = 'pending') = (decided_at is null))
);

create index proposals_user_status_idx on proposals (user_id, status, created_at desc);
create index proposals_pending_idx on proposals (expires_session_no) where status = 'pending';

-- Who created, approved, rejected or expired what, and which order resulted. Append-only: the
-- triggers below refuse UPDATE and DELETE (and TRUNCATE). The one exception is the cascade from
-- deleting the account itself (its owner row is gone by then), so deleting an account still works.
create table proposal_events (
  id bigint generated always as identity primary key,
  proposal_id uuid not null references proposals (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  event text not null check (event in (
    'created', 'approved', 'auto_approved', 'approval_refused', 'rejected', 'expired'
  )),
  actor text not null check (actor in ('user', 'analyst', 'auto', 'system')),
  actor_id bigint,
  order_id uuid,
  client_order_id text,
  detail jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index proposal_events_user_idx on proposal_events (user_id, created_at desc, id desc);
create index proposal_events_proposal_idx on proposal_events (proposal_id, id);

create function proposal_events_append_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if not exists (select 1 from users where id = old.user_id) then
      return old;
    end if;
  end if;
  raise exception 'proposal_events is append-only: % refused', tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

create trigger proposal_events_no_change
  before update or delete on proposal_events
  for each row execute function proposal_events_append_only();

create trigger proposal_events_no_truncate
  before truncate on proposal_events
  for each statement execute function proposal_events_append_only();
