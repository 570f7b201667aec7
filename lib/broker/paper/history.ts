/**
 * The paper account's equity curve: its snapshots over the range, thinned to at most
 * `MAX_POINTS` (the last snapshot of each time bucket), ending with the equity right now.
 *
 * @module
 */
import type { Queryable } from "../../db/database.ts";
import type { Account, HistoryPoint, HistoryRange, PortfolioHistory } from "../types.ts";

export const MAX_POINTS = 400;

const DAY = 86_400_000;
export const RANGE_MS: Record<HistoryRange, number | null> = {
  "1D": DAY,
  "1W": 7 * DAY,
  "1M": 31 * DAY,
  "3M": 92 * DAY,
  "1Y": 366 * DAY,
  "ALL": null,
};

export async function historyFromSnapshots(
  q: Queryable,
  userId: number,
  range: HistoryRange,
  now: Account,
  nowMs: number,
): Promise<PortfolioHistory> {
  const span = RANGE_MS[range];
  const from = span === null ? new Date(0) : new Date(nowMs - span);
  // The last snapshot before the range is its base: what the curve's P&L is measured from.
  const [base] = await q.query<{ equity: string }>(
    `select equity from equity_snapshots where user_id = $1 and at <= $2
     order by at desc limit 1`,
    [userId, from],
  );
  const rows = await q.query<{ at: Date; equity: string }>(
    `select at, equity from equity_snapshots where user_id = $1 and at > $2 and at <= $3
     order by at`,
    [userId, from, new Date(nowMs)],
  );
  const first = rows[0];
  const baseValue = Number(base?.equity ?? first?.equity ?? now.startingCash ?? now.equity);
  const samples = thin(
    rows.map((r) => ({ ms: r.at.getTime(), equity: Number(r.equity) })),
    from.getTime(),
    nowMs,
  );
  samples.push({ ms: nowMs, equity: now.equity });
  const points: HistoryPoint[] = samples.map((s) => ({
    time: new Date(s.ms).toISOString(),
    equity: s.equity,
    profitLoss: Math.round((s.equity - baseValue) * 100) / 100,
    profitLossPercent: baseValue > 0 ? Math.round((s.equity / baseValue - 1) * 1e6) / 1e6 : null,
  }));
  return { range, baseValue, points, source: "paper", prices: now.prices };
}

/** Keeps the last sample of each of MAX_POINTS equal time buckets. */
function thin(samples: { ms: number; equity: number }[], fromMs: number, toMs: number) {
  if (samples.length <= MAX_POINTS) return samples;
  const start = Math.max(fromMs, samples[0].ms);
  const width = Math.max(1, (toMs - start) / MAX_POINTS);
  const out: typeof samples = [];
  let bucket = -1;
  for (const s of samples) {
    const b = Math.floor((s.ms - start) / width);
    if (b === bucket) out[out.length - 1] = s;
    else out.push(s);
    bucket = b;
  }
  return out;
}
