/**
 * The market half of the morning brief: the S&P 500 and the VIX, the universe's breadth
 * (advancers, decliners, new 52-week highs and lows), the biggest movers and the GICS sectors,
 * all on the last trading day completed before the brief's day (in replay, the day before the
 * replayed one: the replayed day's close has not happened yet before the open).
 *
 * `overview` is pure (series in, figures out); `gatherMarket` reads the series through the
 * scanner's universe (lib/scanner/mod.ts) and the indexes through `MarketData`.
 *
 * Rules:
 * - a stock's move is its close on `asOf` against its previous close, in percent;
 * - an advancer moved up, a decliner down, unchanged is neither (stocks without a bar on `asOf`
 *   or the day before are left out of the universe count);
 * - a new 52-week high: the close is above the highest close of the previous 252 trading days
 *   (a low: below the lowest), as the news events define it (lib/news/events.ts);
 * - a sector's move is the equal-weighted mean of its members' moves;
 * - the regime is the shipped regime model's state (lib/ml/mod.ts `regimeNow`, the one the
 *   recommendations read through lib/signals) on the last completed day, or null when it cannot
 *   be computed (too little S&P 500 or VIX history).
 *
 * @module
 */
import type { MarketData } from "../market/types.ts";
import { universeNow } from "../scanner/mod.ts";
import type { ScanSeries } from "../scanner/series.ts";
import type {
  Figure,
  IndexLine,
  MarketOverview,
  MarketRegime,
  Mover,
  SectorLine,
} from "../shared/morning.ts";
import { regimeNow } from "../ml/mod.ts";

export const YEAR_WINDOW = 252;
export const MOVERS = 5;

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export function figure(
  value: number,
  unit: Figure["unit"],
  source: string,
  asOf: string,
  digits = 2,
): Figure {
  return { value: unit === "count" ? value : round(value, digits), unit, source, asOf };
}

/** One index's last two closes through `asOf` (from daily bars). */
export interface IndexCloses {
  symbol: string;
  label: string;
  close: number;
  prevClose: number;
}

interface Move {
  s: ScanSeries;
  close: number;
  pct: number;
  high: boolean;
  low: boolean;
}

function moveOf(s: ScanSeries, asOf: string): Move | null {
  // The last row is usually asOf; search back only when it is not.
  let row = s.dates.length - 1;
  while (row >= 0 && s.dates[row] > asOf) row--;
  if (row < 1 || s.dates[row] !== asOf) return null;
  const close = s.close[row];
  const prev = s.close[row - 1];
  if (!(close > 0) || !(prev > 0)) return null;
  let high = false;
  let low = false;
  if (row >= YEAR_WINDOW) {
    let max = -Infinity;
    let min = Infinity;
    for (let i = row - YEAR_WINDOW; i < row; i++) {
      if (s.close[i] > max) max = s.close[i];
      if (s.close[i] < min) min = s.close[i];
    }
    high = close > max;
    low = close < min;
  }
  return { s, close, pct: (close / prev - 1) * 100, high, low };
}

/** The overview of `series` on `asOf` (pure). */
export function overview(
  series: readonly ScanSeries[],
  asOf: string,
  source: string,
  indexes: readonly IndexCloses[],
): MarketOverview {
  const f = (v: number, unit: Figure["unit"]) => figure(v, unit, source, asOf);
  const moves = series.map((s) => moveOf(s, asOf)).filter((m): m is Move => m !== null);
  const count = (p: (m: Move) => boolean) => f(moves.filter(p).length, "count");
  const mover = (m: Move): Mover => ({
    symbol: m.s.symbol,
    name: m.s.name,
    sector: m.s.sector,
    close: f(m.close, "USD"),
    changePercent: f(m.pct, "%"),
  });
  const sorted = [...moves].sort((a, b) => b.pct - a.pct || a.s.symbol.localeCompare(b.s.symbol));
  const bySector = new Map<string, Move[]>();
  for (const m of moves) {
    if (!m.s.sector) continue;
    const list = bySector.get(m.s.sector) ?? [];
    list.push(m);
    bySector.set(m.s.sector, list);
  }
  const sectors: SectorLine[] = [...bySector].map(([sector, list]) => ({
    sector,
    members: f(list.length, "count"),
    advancers: f(list.filter((m) => m.pct > 0).length, "count"),
    changePercent: f(list.reduce((a, m) => a + m.pct, 0) / list.length, "%"),
  })).sort((a, b) => b.changePercent.value - a.changePercent.value);
  const indexLines: IndexLine[] = indexes.map((i) => ({
    symbol: i.symbol,
    label: i.label,
    close: f(i.close, "points"),
    change: f(i.close - i.prevClose, "points"),
    changePercent: f((i.close / i.prevClose - 1) * 100, "%"),
  }));
  return {
    asOf,
    source,
    indexes: indexLines,
    breadth: {
      universe: f(moves.length, "count"),
      advancers: count((m) => m.pct > 0),
      decliners: count((m) => m.pct < 0),
      unchanged: count((m) => m.pct === 0),
      newHighs: count((m) => m.high),
      newLows: count((m) => m.low),
    },
    gainers: sorted.filter((m) => m.pct > 0).slice(0, MOVERS).map(mover),
    losers: sorted.filter((m) => m.pct < 0).reverse().slice(0, MOVERS).map(mover),
    sectors,
  };
}

export const INDEXES = [
  { symbol: "SPX", label: "S&P 500" },
  { symbol: "VIX", label: "VIX" },
] as const;

const DAY_MS = 86_400_000;

/** The two closes of `symbol` through `asOf`, from the market's daily bars. */
async function indexCloses(
  market: MarketData,
  symbol: string,
  label: string,
  asOf: string,
): Promise<IndexCloses | null> {
  const end = Date.parse(`${asOf}T00:00:00Z`);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const { bars } = await market.bars(symbol, {
    interval: "daily",
    start: iso(end - 14 * DAY_MS),
    end: asOf,
  });
  const through = bars.filter((b) => b.time.slice(0, 10) <= asOf);
  const last = through.at(-1);
  const prev = through.at(-2);
  if (!last || !prev || last.time.slice(0, 10) !== asOf) return null;
  return { symbol, label, close: last.close, prevClose: prev.close };
}

/** The regime model's state on the last completed day; null when it cannot be computed. */
export async function marketRegime(market: MarketData): Promise<MarketRegime | null> {
  try {
    const r = await regimeNow(market, 1);
    const source = `regime model (k-means on S&P 500 and VIX), prices ${market.source}`;
    return {
      name: r.current.name,
      source,
      asOf: r.asOf,
      spxReturn20: figure(r.current.features.return20, "%", market.source, r.asOf),
      vix: figure(r.current.features.vix, "points", market.source, r.asOf),
    };
  } catch {
    return null;
  }
}

/** The market overview now: the universe, the indexes and the regime on the last completed day. */
export async function gatherMarket(market: MarketData): Promise<MarketOverview> {
  const { asOf, source, series } = await universeNow(market);
  const [indexes, regime] = await Promise.all([
    Promise.all(
      INDEXES.map((i) => indexCloses(market, i.symbol, i.label, asOf).catch(() => null)),
    ),
    marketRegime(market),
  ]);
  return {
    ...overview(series, asOf, source, indexes.filter((i): i is IndexCloses => i !== null)),
    regime,
  };
}
