/**
 * A user's signals: the market's universe (the shipped stocks, through the scanner's
 * `universeNow`), their watchlists and their positions, on the last completed trading day, plus
 * the market regime from lib/ml when it can be computed.
 *
 * ```ts
 * const s = await userSignals(services, userId);
 * s.asOf;                 // "2020-03-13": the day whose completed bars were read
 * s.symbols[0].signals;   // [{ kind: "trend", name: "Price vs SMA 50", value: -12.3, ... }]
 * ```
 *
 * In replay the universe is the shipped stocks; a watched symbol without shipped history (an
 * ETF such as SPY) is listed in `unavailable`. With Tradier the watched and held symbols join
 * the universe and their bars come through the market's cache.
 *
 * @module
 */
import type { Services } from "../services.ts";
import { universeNow } from "../scanner/mod.ts";
import { listWatchlists } from "../watchlists/repo.ts";
import { regimeNow } from "../ml/mod.ts";
import { computeSignals, type Signal, type SymbolSignals } from "./compute.ts";

export type { Direction, Signal, SignalKind, SymbolSignals } from "./compute.ts";
export { computeSignals } from "./compute.ts";

export type Origin = "position" | "watchlist" | "universe";

export interface CandidateSignals extends SymbolSignals {
  origins: Origin[];
}

export interface UserSignals {
  asOf: string;
  source: string;
  /** The market regime on `asOf` (a signal of kind `regime`), or null when it cannot be said. */
  regime: Signal | null;
  symbols: CandidateSignals[];
  /** Watched or held symbols without daily bars to compute from. */
  unavailable: string[];
  held: string[];
  watched: string[];
}

export async function userSignals(
  services: Pick<Services, "market" | "db" | "broker">,
  userId: number,
): Promise<UserSignals> {
  const { market, db, broker } = services;
  const [lists, positions] = await Promise.all([
    listWatchlists(db, userId),
    broker.positions(userId).catch(() => []),
  ]);
  const held = [...new Set(positions.map((p) => p.symbol))];
  const watched = [...new Set(lists.flatMap((l) => l.symbols))];
  const shipped = market.source === "replay" ? undefined : [...new Set([...held, ...watched])];
  const base = await universeNow(market);
  let series = base.series;
  if (shipped) {
    // Tradier: add the user's own symbols that the default universe lacks.
    const have = new Set(series.map((s) => s.symbol));
    const extra = shipped.filter((s) => !have.has(s));
    if (extra.length) {
      series = [...series, ...(await universeNow(market, { symbols: extra })).series];
    }
  }
  const computed = computeSignals(series, base.asOf, { source: base.source });
  const heldSet = new Set(held);
  const watchedSet = new Set(watched);
  const symbols = computed.map((s): CandidateSignals => ({
    ...s,
    origins: [
      ...(heldSet.has(s.symbol) ? ["position" as const] : []),
      ...(watchedSet.has(s.symbol) ? ["watchlist" as const] : []),
      "universe" as const,
    ],
  }));
  const have = new Set(symbols.map((s) => s.symbol));
  return {
    asOf: base.asOf,
    source: base.source,
    regime: await regimeSignal(services.market),
    symbols,
    unavailable: [...new Set([...held, ...watched])].filter((s) => !have.has(s)),
    held,
    watched,
  };
}

/** The regime model's state for the last completed day as a signal; null if it cannot run. */
async function regimeSignal(market: Services["market"]): Promise<Signal | null> {
  try {
    const r = await regimeNow(market, 1);
    const name = r.current.name;
    // lib/ml/regime.ts names rising states "… uptrend", falling ones "correction" or "crisis".
    const direction = /uptrend/.test(name)
      ? "bullish"
      : /correction|crisis/.test(name)
      ? "bearish"
      : "neutral";
    const f = r.current.features;
    return {
      kind: "regime",
      name: "Market regime",
      value: name,
      unit: "",
      direction,
      strength: 0,
      detail: `The regime model (k-means on S&P 500 and VIX) puts ${r.asOf} in “${name}”: ` +
        `S&P 500 20-day return ${f.return20.toFixed(2)} %, VIX ${f.vix.toFixed(2)}.`,
      source: market.source,
      asOf: r.asOf,
    };
  } catch {
    return null;
  }
}
