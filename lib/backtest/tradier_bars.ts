/**
 * Backtest bars from Tradier: daily history (`/markets/history`, through the MarketData seam and
 * so through its KV cache) for the symbols of a run, with
 *
 * - the benchmark: Tradier's history covers equities and options (contract §4.6), not the S&P 500
 *   index, so a run benchmarked on the S&P 500 (`SPX`) uses SPY, the S&P 500 ETF, and says so;
 * - the exchange calendar: the benchmark's trading days, as the shipped calendar is the S&P
 *   500's, so loadPanel aligns every symbol on it the same way;
 * - reads rounded out to whole calendar years, so runs over nearby ranges ask for (and cache)
 *   the same thing; at most `concurrency` reads at once (one run of the 107-stock universe
 *   would otherwise open 108 requests together); and the series kept in memory (at most
 *   `cacheSize`, each for the bars TTL), so a sweep or a re-run neither refetches nor re-reads
 *   KV;
 * - prices as Tradier serves them: the contract does not say whether they are split-adjusted and
 *   warns they may not be dividend-adjusted, and there is no adjusted close, so total return is
 *   not offered.
 *
 * @module
 */
import { CACHE_TTL_MS } from "../cache.ts";
import { addDays } from "../market/exchange_time.ts";
import type { DailySeries, History } from "../market/replay/history.ts";
import { type MarketData, UnknownSymbolError } from "../market/types.ts";
import type { BarSource } from "./bars.ts";

/** What a run benchmarked on the S&P 500 is compared with on Tradier. */
export const TRADIER_BENCHMARK = "SPY";

/** The earliest start PaiiD asks Tradier for; older daily coverage varies by symbol. */
export const TRADIER_FIRST_DAY = "2000-01-03";

const SP500 = new Set(["SPX", "$SPX", "^GSPC", "GSPC"]);

export interface TradierBarsOptions {
  /** The shipped universe, for the GICS sectors of its tickers (sector caps). */
  history: () => History;
  /** Most history reads in flight at once. Default 6. */
  concurrency?: number;
  /** Series kept in memory; the least recently used goes first. Default 256. */
  cacheSize?: number;
  /** How long a kept series is reused. Default the bars TTL (1 h), as the KV cache keeps it. */
  ttlMs?: number;
  /** Clock in epoch ms (tests). */
  now?: () => number;
}

interface Kept {
  symbol: string;
  from: string;
  to: string;
  at: number;
  series: Promise<DailySeries>;
}

/** Calendar days that surely hold `bars` trading days (252 a year, holidays clustered). */
function calendarDaysFor(bars: number): number {
  return Math.ceil((bars * 365) / 250) + 14;
}

export function tradierBars(market: MarketData, opts: TradierBarsOptions): BarSource {
  const limit = Math.max(1, opts.concurrency ?? 6);
  const cacheSize = Math.max(1, opts.cacheSize ?? 256);
  const ttl = opts.ttlMs ?? CACHE_TTL_MS.bars;
  const now = opts.now ?? Date.now;
  // Insertion order is recency order: a hit is moved to the end, the first entry goes first.
  const kept = new Map<string, Kept>();
  let active = 0;
  const waiting: (() => void)[] = [];

  async function limited<T>(fn: () => Promise<T>): Promise<T> {
    if (active >= limit) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  /** The last session whose close is known: today's bar is left out while the day runs. */
  async function lastDay(): Promise<string> {
    const clock = await market.clock();
    return addDays(clock.date, -1);
  }

  async function fetchSeries(symbol: string, from: string, to: string): Promise<DailySeries> {
    const got = await limited(() =>
      market.bars(symbol, { interval: "daily", start: from, end: to })
    );
    const n = got.bars.length;
    const s: DailySeries = {
      symbol,
      dates: new Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
      adjClose: null,
      row: new Map(),
    };
    got.bars.forEach((b, i) => {
      const d = b.time.slice(0, 10);
      s.dates[i] = d;
      s.open[i] = b.open;
      s.high[i] = b.high;
      s.low[i] = b.low;
      s.close[i] = b.close;
      s.volume[i] = b.volume;
      s.row.set(d, i);
    });
    return s;
  }

  function series(symbol: string, from: string, to: string): Promise<DailySeries> {
    const sym = symbol.toUpperCase();
    const t = now();
    for (const [key, k] of kept) {
      if (k.symbol !== sym || k.from > from || k.to < to) continue;
      if (t - k.at > ttl) {
        kept.delete(key);
        continue;
      }
      kept.delete(key);
      kept.set(key, k);
      return k.series;
    }
    const wide = { from: `${from.slice(0, 4)}-01-01`, to: `${to.slice(0, 4)}-12-31` };
    const key = `${sym}|${wide.from}|${wide.to}`;
    const k: Kept = { symbol: sym, ...wide, at: t, series: fetchSeries(sym, wide.from, wide.to) };
    k.series.catch(() => kept.get(key) === k && kept.delete(key));
    kept.set(key, k);
    while (kept.size > cacheSize) kept.delete(kept.keys().next().value!);
    return k.series;
  }

  return {
    source: "tradier",
    adjustments: ["split"],
    async range() {
      return { first: TRADIER_FIRST_DAY, last: await lastDay() };
    },
    benchmark: (requested) => (SP500.has(requested.toUpperCase()) ? TRADIER_BENCHMARK : requested),
    async calendar(start, end, warmup) {
      const last = await lastDay();
      const to = end < last ? end : last;
      const from = addDays(start, -calendarDaysFor(warmup));
      const b = await series(TRADIER_BENCHMARK, from, to);
      return b.dates.filter((d) => d >= from && d <= to);
    },
    series,
    sector: (symbol) => opts.history().resolve(symbol)?.sector ?? null,
    async unknown(symbols) {
      // Tradier names unknown symbols in a quote's `unmatched_symbols`; the client reports the
      // first, so ask again without it until the rest are known (one request when all are).
      const out: string[] = [];
      let left = [...new Set(symbols.map((s) => s.toUpperCase()))];
      while (left.length && out.length < 20) {
        try {
          await market.quotes(left);
          break;
        } catch (err) {
          if (!(err instanceof UnknownSymbolError) || !left.includes(err.symbol)) throw err;
          out.push(err.symbol);
          left = left.filter((s) => s !== err.symbol);
        }
      }
      return out;
    },
    survivorship: () =>
      "Survivorship bias: the symbols are today's choices (the shipped list of 107 large caps " +
      "picked in 2021, or your own), so companies that failed or were delisted are missing; " +
      "results flatter any strategy that buys stocks.",
    adjustmentNote: () =>
      "Prices as Tradier's daily history serves them: its API contract does not say whether " +
      "they are split-adjusted and warns they may not be dividend-adjusted. Total return is not " +
      "available with Tradier.",
  };
}
