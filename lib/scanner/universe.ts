/**
 * Where a scan's series come from.
 *
 * Replay: the shipped stocks (not the indexes) straight from the shipped history, parsed once
 * per process and kept with their indicator columns, so a warm scan costs lookups only. The
 * scan day is the last trading day completed before the replayed one: the replayed day's own
 * close has not happened yet while it is being replayed.
 *
 * Any other `MarketData` (Tradier): a configured list of symbols whose daily bars are read
 * through the market's cache (one year back, through the day before the market's date).
 *
 * @module
 */
import { History } from "../market/replay/history.ts";
import type { MarketData } from "../market/types.ts";
import type { ScanSeries } from "./series.ts";

let shared: History | undefined;
/** The process's copy of the shipped history for scans (read-only data, safe to share). */
export function sharedHistory(): History {
  return shared ??= new History();
}

const replaySeries = new WeakMap<History, Promise<ScanSeries[]>>();

/** Every shipped stock as a scan series (loaded once per `History`). */
export function replayUniverse(history: History = sharedHistory()): Promise<ScanSeries[]> {
  let p = replaySeries.get(history);
  if (!p) {
    const stocks = history.list().filter((i) => i.type === "stock");
    p = Promise.all(stocks.map(async (info): Promise<ScanSeries> => {
      const s = await history.series(info.symbol);
      return {
        symbol: info.symbol,
        name: info.name,
        sector: info.sector,
        dates: s.dates,
        open: s.open,
        high: s.high,
        low: s.low,
        close: s.close,
        volume: s.volume,
      };
    }));
    p.catch(() => replaySeries.delete(history));
    replaySeries.set(history, p);
  }
  return p;
}

/** The last trading day strictly before `date`, from the shipped calendar; null if none. */
export async function lastCompletedDay(history: History, date: string): Promise<string | null> {
  const days = await history.tradingDays();
  let lo = 0;
  let hi = days.length - 1;
  let found: string | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid] < date) (found = days[mid], lo = mid + 1);
    else hi = mid - 1;
  }
  return found;
}

/** Sectors of the shipped stocks, for the sector filter. */
export function replaySectors(history: History = sharedHistory()): string[] {
  const set = new Set<string>();
  for (const i of history.list()) if (i.type === "stock" && i.sector) set.add(i.sector);
  return [...set].sort();
}

const DAY_MS = 86_400_000;

/**
 * Daily series for `symbols` from `market` (the KV-cached seam), `days` calendar days back
 * through the day before `date`, `batch` symbols at a time. Symbols the source does not know
 * are left out and listed.
 */
export async function marketUniverse(
  market: MarketData,
  symbols: readonly string[],
  date: string,
  { days = 400, batch = 25 }: { days?: number; batch?: number } = {},
): Promise<{ series: ScanSeries[]; missing: string[] }> {
  const day = Date.parse(`${date}T00:00:00Z`);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const series: ScanSeries[] = [];
  const missing: string[] = [];
  for (let i = 0; i < symbols.length; i += batch) {
    const chunk = symbols.slice(i, i + batch);
    const read = await Promise.allSettled(chunk.map((symbol) =>
      market.bars(symbol, {
        interval: "daily",
        start: iso(day - days * DAY_MS),
        end: iso(day - DAY_MS),
      })
    ));
    read.forEach((r, k) => {
      if (r.status === "rejected" || r.value.bars.length === 0) {
        missing.push(chunk[k]);
        return;
      }
      const bars = r.value.bars;
      series.push({
        symbol: r.value.symbol,
        name: r.value.symbol,
        sector: null,
        dates: bars.map((b) => b.time.slice(0, 10)),
        open: bars.map((b) => b.open),
        high: bars.map((b) => b.high),
        low: bars.map((b) => b.low),
        close: bars.map((b) => b.close),
        volume: bars.map((b) => b.volume),
      });
    });
  }
  return { series, missing };
}
