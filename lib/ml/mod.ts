/**
 * ML signals as the API serves them. The regime model is the one `deno task train` fitted on
 * the whole shipped history (lib/ml/regime_model.json); today's features come from the market's
 * completed daily bars of the S&P 500 and the VIX, through the day before the market's date.
 *
 * @module
 */
import type { MarketData } from "../market/types.ts";
import shipped from "./regime_model.json" with { type: "json" };
import record from "./pattern_record.json" with { type: "json" };
import {
  detectPatterns,
  type Level,
  levels,
  PATTERN_INFO,
  type PatternEvent,
  type PatternRecord,
} from "./patterns.ts";
import { rowOnOrBefore, type ScanSeries } from "../scanner/series.ts";
import { classify, type Feature, FEATURES, regimeFeatures, type RegimeModel } from "./regime.ts";

export const REGIME_MODEL = shipped as RegimeModel;

/** What the screens must say with the model's numbers. */
export const REGIME_NOTE = "Clusters fitted once on the whole shipped history " +
  `(${REGIME_MODEL.trainedFrom} to ${REGIME_MODEL.trainedThrough}, which includes days after ` +
  "a replayed one); the forward returns are what the S&P 500 did over the next 20 trading days " +
  "after the days in each state, not a forecast.";

export interface RegimeAnswer {
  asOf: string;
  current: { state: number; name: string; features: Record<Feature, number> };
  history: { date: string; state: number }[];
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class NotEnoughHistoryError extends Error {}

/** The regime of each of the last `days` completed days before the market's date. */
export async function regimeNow(market: MarketData, days: number): Promise<RegimeAnswer> {
  const clock = await market.clock();
  const day = Date.parse(`${clock.date}T00:00:00Z`);
  // Calendar days for `days` trading days plus the 25 the features look back, with room.
  const q = {
    interval: "daily" as const,
    start: iso(day - Math.ceil((days + 40) * 1.5) * DAY_MS),
    end: iso(day - DAY_MS),
  };
  const [spx, vix] = await Promise.all([market.bars("SPX", q), market.bars("VIX", q)]);
  const cols = (bars: typeof spx.bars) => ({
    dates: bars.map((b) => b.time.slice(0, 10)),
    close: bars.map((b) => b.close),
  });
  const rows = regimeFeatures(cols(spx.bars), cols(vix.bars));
  if (rows.length === 0) throw new NotEnoughHistoryError("Not enough S&P 500 and VIX history.");
  const history = rows.slice(-days).map((r) => ({
    date: r.date,
    state: classify(REGIME_MODEL, r.x),
  }));
  const last = rows.at(-1)!;
  const state = history.at(-1)!.state;
  return {
    asOf: last.date,
    current: {
      state,
      name: REGIME_MODEL.states[state].name,
      features: Object.fromEntries(FEATURES.map((f, j) => [f, last.x[j]])) as Record<
        Feature,
        number
      >,
    },
    history,
  };
}

/** Each pattern's record over the shipped history (`deno task train`). */
export const PATTERN_RECORD = record as {
  patterns: PatternRecord[];
  baseline: { forwardDays: number; n: number; meanForward: number; upRate: number };
};

// Detection is causal (patterns_test.ts), so one pass per series serves every day.
const detected = new WeakMap<ScanSeries, PatternEvent[]>();
function eventsOf(s: ScanSeries): PatternEvent[] {
  let e = detected.get(s);
  if (!e) detected.set(s, e = detectPatterns(s));
  return e;
}

export interface PatternHit {
  symbol: string;
  name: string;
  type: PatternEvent["type"];
  pattern: string;
  direction: "bullish" | "bearish";
  date: string;
  level: number;
  points: { date: string; price: number }[];
}

/**
 * Patterns completed in the last `days` trading days through `asOf` in `series`, newest first,
 * and (for one symbol) its support and resistance on `asOf`.
 */
export function patternsAsOf(
  series: readonly ScanSeries[],
  asOf: string,
  days: number,
): { hits: PatternHit[]; levels: Level[] | null } {
  const hits: PatternHit[] = [];
  let lv: Level[] | null = null;
  for (const s of series) {
    const row = rowOnOrBefore(s, asOf);
    if (row < 0 || s.dates[row] !== asOf) continue;
    if (series.length === 1) lv = levels(s, row);
    for (const e of eventsOf(s)) {
      if (e.row > row || e.row <= row - days) continue;
      hits.push({
        symbol: s.symbol,
        name: s.name,
        type: e.type,
        pattern: PATTERN_INFO[e.type].name,
        direction: PATTERN_INFO[e.type].direction,
        date: s.dates[e.row],
        level: e.level,
        points: e.points.map((p) => ({ date: s.dates[p.row], price: p.price })),
      });
    }
  }
  hits.sort((a, b) => b.date.localeCompare(a.date) || a.symbol.localeCompare(b.symbol));
  return { hits, levels: lv };
}
