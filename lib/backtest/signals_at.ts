/**
 * The signals for one bar, as a deployed strategy reads them at a session's close: the compiled
 * kernels run over the panel cut at bar `t` (nothing after it exists), and bar `t` of each
 * series is read. The backtest loop reads the same kernels over the whole panel; since every
 * kernel at bar i reads bars ≤ i only, the two agree bar for bar (tests/deployments_test.ts
 * checks it on replayed history).
 *
 * @module
 */
import type { Compiled, SymbolSignals } from "./compile.ts";
import { cutPanel, type Panel } from "./data.ts";

/** One symbol's flags at one bar (null: the rules have no such condition). */
export interface BarSignal {
  entry: 0 | 1 | null;
  exit: 0 | 1 | null;
  shortEntry: 0 | 1 | null;
  shortExit: 0 | 1 | null;
  /** The ranking expression's value; null when the rules rank nothing or it is undefined. */
  rank: number | null;
}

const flag = (a: Uint8Array | null, t: number): 0 | 1 | null => a === null ? null : a[t] ? 1 : 0;

/** Bar `t` of one symbol's signal series. */
export function barSignal(sig: SymbolSignals, t: number): BarSignal {
  const rank = sig.rank ? sig.rank[t] : NaN;
  return {
    entry: flag(sig.entry, t),
    exit: flag(sig.exit, t),
    shortEntry: flag(sig.shortEntry, t),
    shortExit: flag(sig.shortExit, t),
    rank: rank === rank ? rank : null,
  };
}

/**
 * Every symbol's signal series over the panel as known at the close of bar `t` (series of
 * length t + 1: the sizing reads their ATR and volatility at `t`), and bar `t`'s flags by symbol.
 */
export function signalsAt(
  compiled: Compiled,
  panel: Panel,
  t: number,
): { series: SymbolSignals[]; bySymbol: Record<string, BarSignal> } {
  if (t < 0 || t >= panel.dates.length) throw new RangeError(`No bar ${t} in the panel.`);
  const cut = cutPanel(panel, t);
  const series = panel.symbols.map((_, s) => compiled.signals(cut, s));
  const bySymbol: Record<string, BarSignal> = {};
  panel.symbols.forEach((sym, s) => bySymbol[sym] = barSignal(series[s], t));
  return { series, bySymbol };
}
