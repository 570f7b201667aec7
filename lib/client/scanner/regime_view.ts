/** The regime band's drawing: runs of equal states become one rectangle each. */

export const REGIME_COLORS: Record<string, string> = {
  "calm uptrend": "#10b981",
  "volatile uptrend": "#eab308",
  correction: "#f97316",
  crisis: "#ef4444",
};

/** A colour for a state name (numbered repeats share their base name's colour). */
export function regimeColor(name: string): string {
  return REGIME_COLORS[name.replace(/ \d+$/, "")] ?? "#64748b";
}

export interface BandRun {
  state: number;
  from: string;
  to: string;
  x: number;
  width: number;
}

/** Consecutive days in one state merged, laid out over `width`. */
export function bandRuns(history: { date: string; state: number }[], width: number): BandRun[] {
  const step = history.length ? width / history.length : 0;
  const runs: BandRun[] = [];
  history.forEach((h, i) => {
    const last = runs.at(-1);
    if (last && last.state === h.state) {
      last.to = h.date;
      last.width += step;
    } else runs.push({ state: h.state, from: h.date, to: h.date, x: i * step, width: step });
  });
  return runs;
}
