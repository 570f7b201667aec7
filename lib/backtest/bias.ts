/**
 * Bias checks that run with every backtest and are shown beside its results.
 *
 * Look-ahead: the rules are compiled again on the data cut at several points (as it was known
 * at each of those closes); every signal and every operand value up to the cut must be
 * identical to the full run's. A rule that reads one bar ahead differs at the cut bar itself
 * (its value there is unknown on cut data), so it fails on every cut, visibly.
 *
 * @module
 */
import type { Compiled, SymbolSignals } from "./compile.ts";
import { cutPanel, type Panel } from "./data.ts";

export interface LookAheadCut {
  date: string;
  identical: boolean;
  /** The first difference found: symbol, date and what differed. */
  firstDifference?: { symbol: string; date: string; what: string };
}

export interface LookAheadCheck {
  passed: boolean;
  cuts: LookAheadCut[];
}

function sameBits(a: Uint8Array | null, b: Uint8Array | null, upto: number): number {
  if (!a || !b) return a === b ? -1 : 0;
  for (let i = 0; i <= upto; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function sameValues(a: Float64Array, b: Float64Array, upto: number): number {
  for (let i = 0; i <= upto; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && !(x !== x && y !== y)) return i;
  }
  return -1;
}

/** The cut points: `count` bars spread evenly over the traded range, the last bar excluded. */
export function cutPoints(panel: Panel, count = 6): number[] {
  const from = panel.startIndex;
  const to = panel.dates.length - 2;
  if (to <= from) return [];
  const out = new Set<number>();
  for (let k = 1; k <= count; k++) out.add(from + Math.floor(((to - from) * k) / (count + 1)));
  return [...out];
}

export function lookAheadCheck(
  compiled: Compiled,
  panel: Panel,
  full: SymbolSignals[],
  count = 6,
): LookAheadCheck {
  const cuts: LookAheadCut[] = [];
  for (const at of cutPoints(panel, count)) {
    const cut = cutPanel(panel, at);
    let diff: LookAheadCut["firstDifference"];
    for (let s = 0; s < panel.symbols.length && !diff; s++) {
      const a = full[s];
      const b = compiled.signals(cut, s);
      const checks: [string, number][] = [
        ["entry signal", sameBits(a.entry, b.entry, at)],
        ["exit signal", sameBits(a.exit, b.exit, at)],
        ["short entry signal", sameBits(a.shortEntry, b.shortEntry, at)],
        ["short exit signal", sameBits(a.shortExit, b.shortExit, at)],
        ["ranking value", a.rank && b.rank ? sameValues(a.rank, b.rank, at) : -1],
      ];
      for (let k = 0; k < a.operands.length; k++) {
        checks.push([`operand ${k + 1} value`, sameValues(a.operands[k], b.operands[k], at)]);
      }
      const bad = checks.find(([, i]) => i >= 0);
      if (bad) {
        diff = { symbol: panel.symbols[s], date: panel.dates[bad[1]], what: bad[0] };
      }
    }
    cuts.push({
      date: panel.dates[at],
      identical: !diff,
      ...(diff ? { firstDifference: diff } : {}),
    });
  }
  return { passed: cuts.every((c) => c.identical), cuts };
}

export interface BiasReport {
  lookAhead: LookAheadCheck;
  warmup: { barsNeeded: number; barsAvailable: number; note: string };
  survivorship: string;
  adjustment: string;
  fewTrades: string | null;
}

export function biasReport(
  compiled: Compiled,
  panel: Panel,
  full: SymbolSignals[],
  trades: number,
): BiasReport {
  const need = compiled.lookback;
  const have = panel.startIndex;
  return {
    lookAhead: lookAheadCheck(compiled, panel, full),
    warmup: {
      barsNeeded: need,
      barsAvailable: have,
      note: have >= need
        ? `Indicators warmed up on ${have} bars before the start; no trade uses a partial window.`
        : `Only ${have} of the ${need} warm-up bars exist before the start: the first ${
          need - have
        } traded bars give no signal (warm-up bars are excluded, never traded on).`,
    },
    survivorship: panel.notes.survivorship,
    adjustment: panel.notes.adjustment,
    fewTrades: trades < 30
      ? `Only ${trades} closed trade${trades === 1 ? "" : "s"}: too few to judge (under 30).`
      : null,
  };
}
