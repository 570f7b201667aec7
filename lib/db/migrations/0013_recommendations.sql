-- Issue 12: the analyst's recommendations with their track record (lib/recommendations/).
-- The seed's ai_recommendations table gains what a recommendation says (levels, size, horizon,
-- evidence), where it stands for the user (status), and how it turned out once its horizon
-- ended against the prices that followed (outcome, returns), written by jobs/recommendations.ts.
alter table ai_recommendations
  add column confidence_basis text,
  add column entry numeric(20, 6) check (entry > 0),
  add column stop numeric(20, 6) check (stop > 0),
  add column target numeric(20, 6) check (target > 0),
  add column suggested_qty numeric(20, 8) check (suggested_qty >= 0),
  add column horizon_days integer check (horizon_days between 1 and 260),
  add column evidence jsonb not null default '[]',
  add column size jsonb,
  -- The last completed trading day the signals read, and where its prices came from.
  add column as_of date,
  add column source text,
  add column analyst text,
  add column model text,
  add column status text not null default 'live'
    check (status in ('live', 'dismissed', 'snoozed', 'expired', 'scored')),
  add column snoozed_until timestamptz,
  -- Filled by the scoring job: target first, stop first, or neither within the horizon.
  add column outcome text check (outcome in ('target', 'stop', 'neither')),
  add column exit_date date,
  add column exit_price numeric(20, 6),
  add column return_pct double precision,
  add column benchmark_return_pct double precision,
  add column excess_return_pct double precision,
  add column scored_at timestamptz;

create index ai_recommendations_unscored_idx on ai_recommendations (as_of)
  where scored_at is null and as_of is not null;
