/**
 * Where a backtest's daily bars come from: the shipped history (`source: "replay"`, the default)
 * or Tradier's `/markets/history` through the MarketData seam (`source: "tradier"`, when Tradier
 * is the configured market data; lib/backtest/tradier_bars.ts). `loadPanel` (data.ts) aligns
 * either on its exchange calendar the same way, and every run records and shows which it used.
 *
 * ```ts
 * const bars = openBarSource(config, services.market, () => history);
 * const report = await backtest(bars, { rules, start, end }); // report.data.source
 * ```
 *
 * @module
 */
import type { Config } from "../config.ts";
import { type DailySeries, History } from "../market/replay/history.ts";
import type { MarketData } from "../market/types.ts";
import { tradierBars } from "./tradier_bars.ts";

/** What a stored run and the page say the bars were: the shipped history, or Tradier's. */
export type DataSource = "replay" | "tradier";

export type Adjustment = "split" | "total_return";

export interface BarSource {
  readonly source: DataSource;
  /** Price adjustments this source can give; `total_return` needs an adjusted close. */
  readonly adjustments: readonly Adjustment[];
  /** The dates a run may cover. */
  range(): Promise<{ first: string; last: string }>;
  /**
   * The benchmark for the rules' `benchmark` (the S&P 500, `SPX`, unless the rules say
   * otherwise): a source without index history names the instrument it uses instead.
   */
  benchmark(requested: string): string;
  /**
   * The exchange calendar: trading days through `end`, starting at least `warmup` trading days
   * before `start` where the history reaches that far.
   */
  calendar(start: string, end: string, warmup: number): Promise<string[]>;
  /** One symbol's daily bars covering `from`..`to` (it may hold more). */
  series(symbol: string, from: string, to: string): Promise<DailySeries>;
  /** The symbol's GICS sector when known (for sector caps), else null. */
  sector(symbol: string): string | null;
  /** The symbols among `symbols` this source has no history for (empty when all are known). */
  unknown(symbols: string[]): Promise<string[]>;
  /** The survivorship note shown with every run on this source. */
  survivorship(): string;
  /** What the prices are, for the bias panel. */
  adjustmentNote(adjustment: Adjustment): string;
}

export const SURVIVORSHIP_WARNING =
  "Survivorship bias: the shipped universe is 107 large caps chosen in 2021, so it holds only " +
  "companies that survived and grew; results on it flatter any strategy that buys stocks.";

/** The shipped history (data/market/) as a bar source; `history` is read on first use. */
export function shippedBars(get: () => History): BarSource {
  return {
    source: "replay",
    adjustments: ["split", "total_return"],
    async range() {
      const days = await get().tradingDays();
      return { first: days[0], last: days[days.length - 1] };
    },
    benchmark: (requested) => requested,
    // The whole shipped calendar: loadPanel cuts the range and its warm-up out of it.
    calendar: () => get().tradingDays(),
    series: (symbol) => get().series(symbol),
    sector: (symbol) => get().resolve(symbol)?.sector ?? null,
    unknown: (symbols) =>
      Promise.resolve(symbols.filter((s) => get().resolve(s)?.type !== "stock")),
    survivorship: () => SURVIVORSHIP_WARNING,
    adjustmentNote: (adjustment) =>
      adjustment === "split"
        ? "Split-adjusted prices; dividends are not included (choose total return to include them)."
        : "Total-return prices: OHLC scaled by adj_close / close, dividends reinvested.",
  };
}

const shipped = new WeakMap<History, BarSource>();

/** A bar source as given, or the shipped history's (callers that hold a `History` pass it). */
export function barsOf(data: History | BarSource): BarSource {
  if (!(data instanceof History)) return data;
  let bars = shipped.get(data);
  if (!bars) shipped.set(data, bars = shippedBars(() => data));
  return bars;
}

/**
 * The bars backtests read in this configuration: Tradier's history when Tradier is the market
 * data (TRADIER_TOKEN, as lib/market/mod.ts decides), otherwise the shipped history. `market` is
 * the cached seam (Services.market), so Tradier's bars also go through the KV cache.
 */
export function openBarSource(
  config: Pick<Config, "TRADIER_TOKEN">,
  market: MarketData,
  history: () => History,
): BarSource {
  return config.TRADIER_TOKEN ? tradierBars(market, { history }) : shippedBars(history);
}
