/**
 * Test helpers: a panel from literal bars, and rule documents from partial inputs.
 *
 * @module
 */
import { type Rules, ruleSchema, type RulesInput } from "../strategy/schema.ts";
import type { Panel } from "./data.ts";
import { SURVIVORSHIP_WARNING } from "./bars.ts";

export interface Bars {
  open: number[];
  high?: number[];
  low?: number[];
  close: number[];
  volume?: number[];
}

/** A panel over consecutive weekdays from 2020-01-01; high/low default to the body ± 0.5. */
export function panelOf(
  symbols: Record<string, Bars>,
  opts: { startIndex?: number; benchmark?: number[]; sector?: (s: string) => string | null } = {},
): Panel {
  const first = Object.values(symbols)[0];
  const n = first.close.length;
  const dates: string[] = [];
  const d = new Date(Date.UTC(2020, 0, 1));
  while (dates.length < n) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) dates.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  const names = Object.keys(symbols);
  const f = (a: number[]) => Float64Array.from(a);
  return {
    dates,
    symbols: names,
    sectors: names.map((s) => opts.sector?.(s) ?? null),
    open: names.map((s) => f(symbols[s].open)),
    high: names.map((s) =>
      f(symbols[s].high ?? symbols[s].close.map((c, i) => Math.max(c, symbols[s].open[i]) + 0.5))
    ),
    low: names.map((s) =>
      f(symbols[s].low ?? symbols[s].close.map((c, i) => Math.min(c, symbols[s].open[i]) - 0.5))
    ),
    close: names.map((s) => f(symbols[s].close)),
    volume: names.map((s) => f(symbols[s].volume ?? symbols[s].close.map(() => 1e6))),
    benchmark: f(opts.benchmark ?? first.close),
    benchmarkSymbol: "SPX",
    adjustment: "split",
    startIndex: opts.startIndex ?? 0,
    source: "replay",
    notes: { survivorship: SURVIVORSHIP_WARNING, adjustment: "Split-adjusted test prices." },
  };
}

/** A parsed rule document with zero costs unless given. */
export function rulesOf(doc: Partial<RulesInput>): Rules {
  return ruleSchema.parse({
    name: "test",
    universe: { type: "symbols", symbols: ["AAA"] },
    costs: { commission: { type: "none" }, slippageBps: 0, spread: "none" },
    ...doc,
  });
}

/** A random walk of `n` bars from `start` (deterministic for a given `rand`). */
export function walk(n: number, rand: () => number, start = 100): Bars {
  const open: number[] = [];
  const high: number[] = [];
  const low: number[] = [];
  const close: number[] = [];
  let prev = start;
  for (let i = 0; i < n; i++) {
    const o = Math.max(1, prev * (1 + (rand() - 0.5) * 0.02));
    const c = Math.max(1, o * (1 + (rand() - 0.5) * 0.04));
    open.push(o);
    close.push(c);
    high.push(Math.max(o, c) * (1 + rand() * 0.01));
    low.push(Math.min(o, c) * (1 - rand() * 0.01));
    prev = c;
  }
  return { open, high, low, close };
}
