/**
 * Simulated days kept in memory, least recently used first out: simulating a day costs a few
 * milliseconds and ~200 KB, and every read of a busy symbol would otherwise redo it.
 *
 * @module
 */
import { barOf, type DailySeries } from "./history.ts";
import { simulateDay, type SimulatedDay } from "./intraday.ts";

/** Default number of simulated days kept (one per symbol and date). */
export const DAY_CACHE_SIZE = 256;

/** An LRU of simulated days keyed by symbol and date. */
export class SimulatedDays {
  readonly #days = new Map<string, SimulatedDay>();

  constructor(readonly capacity: number = DAY_CACHE_SIZE) {
    if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
  }

  /** The simulated session of `series` row `row`, from the cache when present. */
  get(symbol: string, series: DailySeries, row: number): SimulatedDay {
    const key = `${symbol}|${series.dates[row]}`;
    let day = this.#days.get(key);
    if (day) {
      this.#days.delete(key); // re-insert below: Map order is the LRU order
    } else {
      day = simulateDay(symbol, barOf(series, row));
      if (this.#days.size >= this.capacity) this.#days.delete(this.#days.keys().next().value!);
    }
    this.#days.set(key, day);
    return day;
  }

  get size(): number {
    return this.#days.size;
  }

  clear(): void {
    this.#days.clear();
  }
}
