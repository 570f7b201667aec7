/**
 * The track record: each recommendation is scored once its horizon has ended, against the real
 * daily bars that followed its `asOf` day (in replay the following days of the shipped history,
 * with Tradier its daily bars), through the market seam and its cache.
 *
 * Over the first `horizonDays` trading days after `asOf`, day by day:
 * - a day that opens through the stop or the target exits at the open (a gap);
 * - otherwise a day whose low (high, for a bearish call) reaches the stop exits at the stop, and
 *   one whose high (low) reaches the target exits at the target; a day that reaches both counts
 *   as the stop (daily bars cannot say which came first, so the record takes the worse);
 * - neither within the horizon exits at the last day's close.
 *
 * The return is measured from the entry in the call's direction (a bearish call gains when the
 * price falls). The benchmark is the S&P 500's close-to-close return from `asOf` to the exit
 * day, and the excess return is the return less the benchmark taken in the same direction: a
 * bullish call must beat the index, a bearish one must lag it.
 *
 * @module
 */
import type { Database } from "../db/database.ts";
import type { Logger } from "../log.ts";
import type { Bar, MarketData } from "../market/types.ts";
import { isBullish } from "./schema.ts";
import type { Action } from "./schema.ts";
import { unscored, writeOutcome } from "./repo.ts";
import type { Outcome } from "./repo.ts";

export interface Call {
  action: Action;
  entry: number;
  stop: number;
  target: number;
  horizonDays: number;
  asOf: string;
}

export type Scored = Omit<Outcome, "scoredAt">;

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * The outcome of `call` on `bars` (daily, ascending, any range) against `index` (the S&P 500's
 * daily bars); null while fewer than `horizonDays` bars follow `asOf`, or without an index close
 * on `asOf` and the exit day.
 */
export function scoreCall(call: Call, bars: readonly Bar[], index: readonly Bar[]): Scored | null {
  const after = bars.filter((b) => b.time.slice(0, 10) > call.asOf).slice(0, call.horizonDays);
  if (after.length < call.horizonDays) return null;
  const bull = isBullish(call.action);
  let outcome: Scored["outcome"] = "neither";
  let exit = after.at(-1)!;
  let exitPrice = exit.close;
  for (const b of after) {
    const throughStop = bull ? b.open <= call.stop : b.open >= call.stop;
    const throughTarget = bull ? b.open >= call.target : b.open <= call.target;
    const reachesStop = bull ? b.low <= call.stop : b.high >= call.stop;
    const reachesTarget = bull ? b.high >= call.target : b.low <= call.target;
    if (throughStop || throughTarget) {
      outcome = throughStop ? "stop" : "target";
      exitPrice = b.open;
    } else if (reachesStop) (outcome = "stop", exitPrice = call.stop);
    else if (reachesTarget) (outcome = "target", exitPrice = call.target);
    else continue;
    exit = b;
    break;
  }
  const exitDate = exit.time.slice(0, 10);
  const close = (d: string) => index.find((b) => b.time.slice(0, 10) === d)?.close;
  const i0 = close(call.asOf);
  const i1 = close(exitDate);
  if (i0 === undefined || i1 === undefined) return null;
  const move = (exitPrice / call.entry - 1) * 100;
  const returnPct = bull ? move : -move;
  const benchmark = (i1 / i0 - 1) * 100;
  return {
    outcome,
    exitDate,
    exitPrice,
    returnPct: round4(returnPct),
    benchmarkReturnPct: round4(benchmark),
    excessReturnPct: round4(returnPct - (bull ? benchmark : -benchmark)),
  };
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface ScoreReport {
  checked: number;
  scored: number;
  pending: number;
  failed: number;
}

/**
 * Scores every recommendation (all users) whose horizon has ended by the market's last completed
 * day. Each outcome is written once (`scored_at is null` guards it), so two instances running
 * the job at once score each recommendation once. Unscored ones are read oldest first a page at
 * a time, so calls that cannot be scored yet (or ever: a symbol without bars) never keep newer
 * ones from their turn.
 */
export async function scoreMatured(
  services: { db: Database; market: MarketData; log?: Logger },
  pageSize = 1000,
): Promise<ScoreReport> {
  const report: ScoreReport = { checked: 0, scored: 0, pending: 0, failed: 0 };
  let after: { asOf: string; id: number } | null = null;
  for (;;) {
    const calls = await unscored(services.db, pageSize, after);
    if (!calls.length) return report;
    await scorePage(services, calls, report);
    if (calls.length < pageSize) return report;
    const last = calls[calls.length - 1];
    after = { asOf: last.asOf, id: last.id };
  }
}

async function scorePage(
  services: { db: Database; market: MarketData; log?: Logger },
  calls: Awaited<ReturnType<typeof unscored>>,
  report: ScoreReport,
): Promise<void> {
  const { db, market } = services;
  report.checked += calls.length;
  const clock = await market.clock();
  // Through the day before the market's date: the bars of completed sessions only.
  const end = iso(Date.parse(`${clock.date}T00:00:00Z`) - DAY_MS);
  const start = calls.reduce((d, c) => (c.asOf < d ? c.asOf : d), calls[0].asOf);
  const read = async (symbol: string) =>
    (await market.bars(symbol, { interval: "daily", start, end })).bars;
  let index: Bar[];
  try {
    index = await read("SPX");
  } catch (err) {
    services.log?.warn("recommendation scoring: no S&P 500 bars", { error: String(err) });
    report.failed += calls.length;
    return;
  }
  const bySymbol = new Map<string, typeof calls>();
  for (const c of calls) bySymbol.set(c.symbol, [...(bySymbol.get(c.symbol) ?? []), c]);
  for (const [symbol, list] of bySymbol) {
    let bars: Bar[];
    try {
      bars = await read(symbol);
    } catch {
      report.failed += list.length;
      continue;
    }
    for (const c of list) {
      const s = scoreCall(c, bars, index);
      if (!s) report.pending++;
      else if (await writeOutcome(db, c.id, s)) report.scored++;
    }
  }
}
