-- Issue 18 ("Operations"): the record of every cron job run, and the browser's usage events.
--
-- job_runs: one row per run of a job registered in jobs/mod.ts, written by the one wrapper
-- there (lib/scheduler/). A row with finished_at null is a run in progress; the partial unique
-- index lets one run per job be in progress across every app instance, so a manual run and a
-- cron tick (here or on another instance) never overlap: the second insert finds the first.
-- A run whose instance died is closed as abandoned by the next claim (lib/scheduler/runs.ts).
create table job_runs (
  id bigint generated always as identity primary key,
  name text not null check (length(name) between 1 and 100),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  duration_ms integer check (duration_ms >= 0),
  ok boolean,
  -- The first error the run threw or logged, cut to 500 characters.
  error text check (length(error) <= 500),
  -- Which process ran it (host:pid, or the Deno Deploy region and deployment).
  instance text not null check (length(instance) <= 200),
  trigger text not null default 'cron' check (trigger in ('cron', 'manual')),
  check ((finished_at is null) = (ok is null)),
  check (ok is not false or error is not null)
);
create index job_runs_name_started_idx on job_runs (name, started_at desc);
create unique index job_runs_one_running_idx on job_runs (name) where finished_at is null;

-- telemetry_events: what the browser reports when the user's `telemetry` setting is on. No user
-- id, session, address or free text beyond a scrubbed error message: only which page, which kind
-- of command, and client errors without digits, e-mail addresses or URLs (lib/telemetry/).
-- Rows older than 30 days are deleted by the "ops retention" job.
create table telemetry_events (
  id bigint generated always as identity primary key,
  received_at timestamptz not null default now(),
  name text not null check (name in ('stage_opened', 'command_used', 'client_error')),
  page text check (length(page) <= 40),
  command text check (length(command) <= 40),
  message text check (length(message) <= 200)
);
create index telemetry_events_received_idx on telemetry_events (received_at);
