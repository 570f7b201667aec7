/**
 * Scans against the app's market data, as the API runs them.
 *
 * Replay: the shipped stocks on the last trading day completed before the replayed one
 * (universe.ts says why). Tradier: `symbols` (by default the shipped stocks, the only list with
 * sectors we ship) with daily bars through the market's cache, on the last day completed before
 * the market's date.
 *
 * ```ts
 * const result = await scanMarket(services.market, presetById("oversold")!.spec);
 * result.asOf; // "2020-03-13"
 * ```
 *
 * @module
 */
import type { MarketData } from "../market/types.ts";
import type { ScanResult, ScanSpec } from "../shared/scan.ts";
import { runScan } from "./engine.ts";
import type { ScanSeries } from "./series.ts";
import { lastCompletedDay, marketUniverse, replayUniverse, sharedHistory } from "./universe.ts";

export class NoScanDayError extends Error {}

/** The universe's series and the day a scan reads (see the module comment). */
export async function universeNow(
  market: MarketData,
  opts: { symbols?: readonly string[] } = {},
): Promise<{ asOf: string; source: ScanResult["source"]; series: ScanSeries[] }> {
  const clock = await market.clock();
  const history = sharedHistory();
  if (market.source === "replay") {
    const asOf = await lastCompletedDay(history, clock.date);
    if (!asOf) throw new NoScanDayError(`No trading day in the history before ${clock.date}.`);
    return { asOf, source: "replay", series: await replayUniverse(history) };
  }
  const symbols = opts.symbols ??
    history.list().filter((i) => i.type === "stock").map((i) => i.symbol);
  const { series } = await marketUniverse(market, symbols, clock.date);
  const sectors = new Map(history.list().map((i) => [i.symbol, i]));
  for (const s of series) {
    const info = sectors.get(s.symbol);
    if (info) Object.assign(s, { name: info.name, sector: info.sector });
  }
  const asOf = series.reduce((d, s) => (s.dates.at(-1)! > d ? s.dates.at(-1)! : d), "");
  if (!asOf) throw new NoScanDayError("No daily bars for the scan universe.");
  return { asOf, source: market.source, series };
}

export async function scanMarket(
  market: MarketData,
  spec: ScanSpec,
  opts: { symbols?: readonly string[] } = {},
): Promise<ScanResult> {
  const { asOf, source, series } = await universeNow(market, opts);
  const { scanned, hits } = runScan(series, asOf, spec);
  return { asOf, source, scanned, hits };
}
