/**
 * Recommendations in Postgres (the seed's `ai_recommendations`, extended by migration 0013),
 * always scoped by user: another user's row is indistinguishable from a missing one.
 *
 * Statuses: `live` (shown), `dismissed` and `snoozed` (until a time, then live again) by the
 * user, `expired` when a newer refresh replaced it, `scored` once its horizon ended and the
 * scoring job wrote its outcome. Every recommendation is scored, whatever its status, so the
 * track record covers all of them.
 *
 * @module
 */
import type { Database, Queryable } from "../db/database.ts";
import type { Action, Evidence, RecommendationDraft } from "./schema.ts";
import type { SuggestedSize } from "./sizing.ts";

export type Status = "live" | "dismissed" | "snoozed" | "expired" | "scored";

export interface Outcome {
  outcome: "target" | "stop" | "neither";
  exitDate: string;
  exitPrice: number;
  returnPct: number;
  benchmarkReturnPct: number;
  excessReturnPct: number;
  scoredAt: string;
}

export interface Recommendation {
  id: number;
  symbol: string;
  action: Action;
  confidence: number;
  confidenceBasis: string | null;
  entry: number;
  stop: number;
  target: number;
  suggestedShares: number;
  size: SuggestedSize | null;
  horizonDays: number;
  reasoning: string;
  evidence: Evidence[];
  asOf: string;
  source: string;
  analyst: string;
  model: string;
  status: Status;
  snoozedUntil: string | null;
  createdAt: string;
  outcome: Outcome | null;
}

export interface NewRecommendation extends RecommendationDraft {
  size: SuggestedSize;
}

interface Row {
  id: number;
  symbol: string;
  action: Action;
  confidence: string;
  confidence_basis: string | null;
  entry: string;
  stop: string;
  target: string;
  suggested_qty: string | null;
  size: SuggestedSize | null;
  horizon_days: number;
  reasoning: string | null;
  evidence: Evidence[];
  as_of: string;
  source: string;
  analyst: string;
  model: string;
  status: Status;
  snoozed_until: Date | null;
  created_at: Date;
  outcome: Outcome["outcome"] | null;
  exit_date: string | null;
  exit_price: string | null;
  return_pct: number | null;
  benchmark_return_pct: number | null;
  excess_return_pct: number | null;
  scored_at: Date | null;
}

function toRecommendation(r: Row): Recommendation {
  return {
    id: Number(r.id),
    symbol: r.symbol,
    action: r.action,
    confidence: Number(r.confidence),
    confidenceBasis: r.confidence_basis,
    entry: Number(r.entry),
    stop: Number(r.stop),
    target: Number(r.target),
    suggestedShares: Number(r.suggested_qty ?? 0),
    size: r.size,
    horizonDays: r.horizon_days,
    reasoning: r.reasoning ?? "",
    evidence: r.evidence,
    asOf: r.as_of,
    source: r.source,
    analyst: r.analyst,
    model: r.model,
    status: r.status,
    snoozedUntil: r.snoozed_until?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    outcome: r.scored_at && r.outcome
      ? {
        outcome: r.outcome,
        exitDate: r.exit_date!,
        exitPrice: Number(r.exit_price),
        returnPct: r.return_pct!,
        benchmarkReturnPct: r.benchmark_return_pct!,
        excessReturnPct: r.excess_return_pct!,
        scoredAt: r.scored_at.toISOString(),
      }
      : null,
  };
}

/**
 * Stores one refresh's recommendations and retires the user's earlier open ones, live or
 * snoozed (`expired`),
 * in one transaction under a per-user lock, so two refreshes at once leave one set live.
 */
export async function saveBatch(
  db: Database,
  userId: number,
  recs: readonly NewRecommendation[],
  meta: { asOf: string; source: string; analyst: string; model: string },
): Promise<Recommendation[]> {
  return await db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(1213, $1::int)", [userId]);
    await tx.query(
      `update ai_recommendations set status = 'expired'
        where user_id = $1 and status in ('live', 'snoozed')`,
      [userId],
    );
    const out: Recommendation[] = [];
    for (const r of recs) {
      const [row] = await tx.query<Row>(
        `insert into ai_recommendations
           (user_id, symbol, action, confidence, confidence_basis, entry, stop, target,
            suggested_qty, size, horizon_days, reasoning, evidence, as_of, source, analyst, model)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         returning *`,
        [
          userId,
          r.symbol,
          r.action,
          Math.round(r.confidence * 100) / 100,
          r.confidenceBasis,
          r.entry,
          r.stop,
          r.target,
          r.size.shares,
          r.size,
          r.horizonDays,
          r.reasoning,
          r.evidence,
          meta.asOf,
          meta.source,
          meta.analyst,
          meta.model,
        ],
      );
      out.push(toRecommendation(row));
    }
    return out;
  });
}

/** The user's live recommendations (a snooze that has run out counts as live), best first. */
export async function listLive(db: Queryable, userId: number): Promise<Recommendation[]> {
  const rows = await db.query<Row>(
    `select * from ai_recommendations
      where user_id = $1 and as_of is not null
        and (status = 'live' or (status = 'snoozed' and snoozed_until <= now()))
      order by confidence desc, id`,
    [userId],
  );
  return rows.map(toRecommendation);
}

export async function getRecommendation(
  db: Queryable,
  userId: number,
  id: number,
): Promise<Recommendation | null> {
  const [row] = await db.query<Row>(
    "select * from ai_recommendations where id = $1 and user_id = $2",
    [id, userId],
  );
  return row ? toRecommendation(row) : null;
}

/**
 * Dismisses or snoozes one of the user's recommendations that is still live or snoozed; null
 * when it is not theirs or no longer open (expired, scored).
 */
export async function setUserStatus(
  db: Queryable,
  userId: number,
  id: number,
  change: { status: "dismissed" } | { status: "snoozed"; until: Date },
): Promise<Recommendation | null | "closed"> {
  const [row] = await db.query<Row>(
    `update ai_recommendations set status = $3, snoozed_until = $4
      where id = $1 and user_id = $2 and status in ('live', 'snoozed') returning *`,
    [id, userId, change.status, change.status === "snoozed" ? change.until : null],
  );
  if (row) return toRecommendation(row);
  return (await getRecommendation(db, userId, id)) ? "closed" : null;
}

/** Rows whose outcome is not written yet (every user's), oldest first. */
export async function unscored(
  db: Queryable,
  limit = 1000,
  after: { asOf: string; id: number } | null = null,
): Promise<
  {
    id: number;
    symbol: string;
    action: Action;
    entry: number;
    stop: number;
    target: number;
    horizonDays: number;
    asOf: string;
  }[]
> {
  const rows = await db.query<Row>(
    `select * from ai_recommendations where scored_at is null and as_of is not null
        and ($2::date is null or (as_of, id) > ($2::date, $3::bigint))
      order by as_of, id limit $1`,
    [limit, after?.asOf ?? null, after?.id ?? 0],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    symbol: r.symbol,
    action: r.action,
    entry: Number(r.entry),
    stop: Number(r.stop),
    target: Number(r.target),
    horizonDays: r.horizon_days,
    asOf: r.as_of,
  }));
}

/** Writes an outcome once (a second writer finds it scored and changes nothing). */
export async function writeOutcome(
  db: Queryable,
  id: number,
  o: Omit<Outcome, "scoredAt">,
): Promise<boolean> {
  const rows = await db.query(
    `update ai_recommendations
        set outcome = $2, exit_date = $3, exit_price = $4, return_pct = $5,
            benchmark_return_pct = $6, excess_return_pct = $7, scored_at = now(),
            status = 'scored'
      where id = $1 and scored_at is null returning id`,
    [
      id,
      o.outcome,
      o.exitDate,
      o.exitPrice,
      o.returnPct,
      o.benchmarkReturnPct,
      o.excessReturnPct,
    ],
  );
  return rows.length > 0;
}

export interface CalibrationBucket {
  /** Confidence range, inclusive: `60–79`. */
  bucket: string;
  from: number;
  to: number;
  count: number;
  hits: number;
  /** hits ÷ count, %; null when the bucket is empty. */
  hitRate: number | null;
}

export interface TrackRecord {
  /** Every recommendation the user was ever given. */
  total: number;
  /** Waiting for their horizon to end. */
  pending: number;
  scored: number;
  hits: number;
  stops: number;
  neither: number;
  /** hits ÷ scored, %; null before the first is scored. */
  hitRate: number | null;
  avgReturnPct: number | null;
  avgExcessReturnPct: number | null;
  calibration: CalibrationBucket[];
  /** What the numbers are over, in words, for the screen. */
  basis: string;
}

const BUCKETS = [[0, 19], [20, 39], [40, 59], [60, 79], [80, 100]] as const;

/** The user's track record over all their scored recommendations, whatever their status. */
export async function trackRecord(db: Queryable, userId: number): Promise<TrackRecord> {
  const rows = await db.query<{
    confidence: string;
    outcome: Outcome["outcome"] | null;
    return_pct: number | null;
    excess_return_pct: number | null;
    scored_at: Date | null;
  }>(
    `select confidence, outcome, return_pct, excess_return_pct, scored_at
       from ai_recommendations where user_id = $1 and as_of is not null`,
    [userId],
  );
  const scored = rows.filter((r) => r.scored_at !== null);
  const hits = scored.filter((r) => r.outcome === "target").length;
  const avg = (xs: number[]) =>
    xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null;
  const pct = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : null);
  return {
    total: rows.length,
    pending: rows.length - scored.length,
    scored: scored.length,
    hits,
    stops: scored.filter((r) => r.outcome === "stop").length,
    neither: scored.filter((r) => r.outcome === "neither").length,
    hitRate: pct(hits, scored.length),
    avgReturnPct: avg(scored.map((r) => r.return_pct!)),
    avgExcessReturnPct: avg(scored.map((r) => r.excess_return_pct!)),
    calibration: BUCKETS.map(([from, to]) => {
      const inBucket = scored.filter((r) => {
        const c = Number(r.confidence);
        return c >= from && (to === 100 ? c <= 100 : c < to + 1);
      });
      const h = inBucket.filter((r) => r.outcome === "target").length;
      return {
        bucket: `${from}–${to}`,
        from,
        to,
        count: inBucket.length,
        hits: h,
        hitRate: pct(h, inBucket.length),
      };
    }),
    basis: "All of your recommendations whose horizon has ended, dismissed and replaced ones " +
      "included; a hit is the target reached before the stop.",
  };
}

/** The user's most recently scored recommendations, for the track record's table. */
export async function recentlyScored(
  db: Queryable,
  userId: number,
  limit: number,
): Promise<Recommendation[]> {
  const rows = await db.query<Row>(
    `select * from ai_recommendations where user_id = $1 and scored_at is not null
      order by scored_at desc, id desc limit $2`,
    [userId, limit],
  );
  return rows.map(toRecommendation);
}
