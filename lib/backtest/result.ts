/**
 * What a backtest run returns (its trades, fills and curves), and how its figures are written:
 * shared by the general loop (engine.ts) and the one-symbol path (one_path.ts).
 *
 * @module
 */
import type { SymbolSignals } from "./compile.ts";

export type ExitReason = "signal" | "stop" | "target" | "trailing" | "time" | "rotation" | "end";

export interface Trade {
  symbol: string;
  direction: "long" | "short";
  entryDate: string;
  entryPrice: number;
  exitDate: string;
  exitPrice: number;
  /** Largest number of shares held. */
  qty: number;
  /** Net of spread, slippage and commission, USD. */
  pnl: number;
  /** pnl / cost of the entry, %. */
  returnPct: number;
  bars: number;
  reason: ExitReason;
  commission: number;
}

/**
 * A run's result. Its curves and its signals' arrays are views into the run's arena: valid until
 * `releaseRun`, empty after it.
 */
export interface RunResult {
  /**
   * The traded bars (from the panel's start index): the panel's own array when that is 0, so
   * treat it as read-only.
   */
  dates: string[];
  equity: Float64Array;
  cash: Float64Array;
  /** Σ |shares × close| / equity per bar. */
  gross: Float64Array;
  benchmark: Float64Array;
  trades: Trade[];
  /** Trades still open at the end, marked at the last close (not in `trades`). */
  open: Trade[];
  startingCash: number;
  signals: SymbolSignals[];
  /** Every fill in order: the raw ledger the trades and the equity curve come from. */
  fills: Fill[];
}

export interface Fill {
  /** Bar index into `dates` (run-relative). */
  bar: number;
  symbol: string;
  /** Signed shares: positive bought, negative sold. */
  qty: number;
  price: number;
  commission: number;
}

/** Below this a quantity or a cost is zero (it guards the divisions of a trade's averages). */
export const EPS = 1e-9;

/** Exit reasons by the code a book keeps per symbol (`pendingReason`). */
export const REASONS: ExitReason[] = [
  "signal",
  "stop",
  "target",
  "trailing",
  "time",
  "rotation",
  "end",
];

/** A trade's prices and amounts, to the millionth. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
