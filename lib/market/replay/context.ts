/**
 * What every replay read shares: the shipped history, the replay clock built from its trading
 * days, symbol resolution, and the simulated days. Each read module (quotes, bars, …) takes one
 * `ReplayContext` and nothing else, so it can be tested and reasoned about alone.
 *
 * @module
 */
import { UnknownSymbolError } from "../types.ts";
import { ReplayClock, type ReplayPosition } from "./clock.ts";
import { type DailySeries, History, normalizeSymbol, type SymbolInfo } from "./history.ts";
import { SimulatedDays } from "./day_cache.ts";
import type { SimulatedDay } from "./intraday.ts";

export interface ReplayContextOptions {
  /** Directory holding `universe.csv` and the gzipped price files. */
  dataDir?: URL;
  /** `YYYY-MM-DD` of replay day 0's historical day. */
  start: string;
  /** Historical trading days per real weekday. */
  speed: number;
  /** Real `YYYY-MM-DD` date of replay day 0. */
  epoch: string;
  /** Advance on real weekends too. */
  weekends: boolean;
  /** The real clock (epoch ms). */
  now: () => number;
}

/** A symbol's daily series and its row on the replay day. */
export interface LoadedSymbol {
  info: SymbolInfo;
  series: DailySeries;
  row: number;
}

export interface ReplayContext {
  readonly history: History;
  /** The replay clock, built once from the shipped trading days. */
  replayClock(): Promise<ReplayClock>;
  /** Where the replay stands now. */
  position(): Promise<ReplayPosition>;
  /** The shipped symbol; throws `UnknownSymbolError` for one without history. */
  info(symbol: string): SymbolInfo;
  /** The symbol's series and its row on `pos`'s day (throws before its first day). */
  load(symbol: string, pos: ReplayPosition): Promise<LoadedSymbol>;
  /** The simulated session of `series` row `row`. */
  simulated(symbol: string, series: DailySeries, row: number): SimulatedDay;
  /** Drops the simulated days kept in memory. */
  clear(): void;
}

/** Creates the shared state; validates what can be checked without the data now. */
export function createReplayContext(o: ReplayContextOptions): ReplayContext {
  const { start, speed, epoch, weekends, now } = o;
  new ReplayClock({ days: ["9999-12-31"], start, speed, epoch, weekends });
  const history = new History(o.dataDir);
  const days = new SimulatedDays();
  let clockP: Promise<ReplayClock> | undefined;
  const replayClock = () =>
    clockP ??= history.tradingDays().then((tradingDays) =>
      new ReplayClock({ days: tradingDays, start, speed, epoch, weekends })
    );

  function info(symbol: string): SymbolInfo {
    const i = history.resolve(symbol);
    if (!i) {
      const name = normalizeSymbol(symbol);
      throw new UnknownSymbolError(name, `No replay history for ${name}.`);
    }
    return i;
  }

  return {
    history,
    replayClock,
    position: async () => (await replayClock()).at(now()),
    info,
    async load(symbol, pos) {
      const i = info(symbol);
      const series = await history.series(i.symbol);
      const row = series.row.get(pos.date);
      if (row === undefined) {
        throw new UnknownSymbolError(
          i.symbol,
          `No replay history for ${i.symbol} on the replay day ${pos.date}.`,
        );
      }
      return { info: i, series, row };
    },
    simulated: (symbol, series, row) => days.get(symbol, series, row),
    clear: () => days.clear(),
  };
}
