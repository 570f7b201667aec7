/**
 * Every preset against an independent reading of the shipped CSVs: the test gunzips and parses
 * the files itself and computes each preset's rule with plain loops written here (no code shared
 * with the engine), then compares symbols, order and values on fixed days.
 */
import assert from "node:assert/strict";
import { replayUniverse } from "./universe.ts";
import { runScan } from "./engine.ts";
import { PRESETS } from "./presets.ts";
import { operandLabel } from "../shared/scan.ts";

const DIR = new URL("../../data/market/", import.meta.url);

interface Csv {
  symbol: string;
  dates: string[];
  o: number[];
  h: number[];
  l: number[];
  c: number[];
  v: number[];
}

async function readCsv(file: string, symbol: string): Promise<Csv> {
  const bytes = await Deno.readFile(new URL(file, DIR));
  const text = await new Response(
    new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const [head, ...rows] = text.trim().split(/\r?\n/);
  const cols = head.split(",");
  const at = (name: string) => cols.indexOf(name);
  const out: Csv = { symbol, dates: [], o: [], h: [], l: [], c: [], v: [] };
  for (const line of rows) {
    const f = line.split(",");
    out.dates.push(f[at("date")]);
    out.o.push(Number(f[at("open")]));
    out.h.push(Number(f[at("high")]));
    out.l.push(Number(f[at("low")]));
    out.c.push(Number(f[at("close")]));
    out.v.push(Number(f[at("volume")]));
  }
  return out;
}

async function readStocks(): Promise<Csv[]> {
  const lines = (await Deno.readTextFile(new URL("universe.csv", DIR))).trim().split("\n");
  const stocks = lines.slice(1).filter((l) => l.includes(",stock,prices/stocks/"));
  return await Promise.all(stocks.map((l) => {
    const symbol = l.slice(0, l.indexOf(","));
    const file = l.match(/prices\/(stocks\/[^,]+\.csv)/)![1] + ".gz";
    return readCsv(file, symbol);
  }));
}

// Plain, slow definitions, written from the textbook formulas.
function wilderRsi(c: number[], t: number, p = 14): number {
  if (t < p) return NaN;
  let g = 0;
  let l = 0;
  for (let i = 1; i <= p; i++) {
    g += Math.max(c[i] - c[i - 1], 0);
    l += Math.max(c[i - 1] - c[i], 0);
  }
  g /= p;
  l /= p;
  for (let i = p + 1; i <= t; i++) {
    g = (g * (p - 1) + Math.max(c[i] - c[i - 1], 0)) / p;
    l = (l * (p - 1) + Math.max(c[i - 1] - c[i], 0)) / p;
  }
  return l === 0 ? 100 : 100 - 100 / (1 + g / l);
}
function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
function smaAt(c: number[], t: number, p: number): number {
  return t + 1 < p ? NaN : mean(c.slice(t - p + 1, t + 1));
}
function wilderAtr(s: Csv, t: number, p = 14): number {
  if (t + 1 < p) return NaN;
  const tr = (i: number) =>
    i === 0
      ? s.h[0] - s.l[0]
      : Math.max(s.h[i] - s.l[i], Math.abs(s.h[i] - s.c[i - 1]), Math.abs(s.l[i] - s.c[i - 1]));
  let a = 0;
  for (let i = 0; i < p; i++) a += tr(i);
  a /= p;
  for (let i = p; i <= t; i++) a = (a * (p - 1) + tr(i)) / p;
  return a;
}
const volRatio = (s: Csv, t: number) => t < 20 ? NaN : s.v[t] / mean(s.v.slice(t - 20, t));
const ret = (s: Csv, t: number, n: number) => t < n ? NaN : (s.c[t] / s.c[t - n] - 1) * 100;
const gap = (s: Csv, t: number) => (s.o[t] / s.c[t - 1] - 1) * 100;
const priorHigh = (s: Csv, t: number, n: number) => t < n ? NaN : Math.max(...s.h.slice(t - n, t));
const priorLow = (s: Csv, t: number, n: number) => t < n ? NaN : Math.min(...s.l.slice(t - n, t));

/** Expected hits: [symbol, sort key] in the preset's order. */
type Rule = (s: Csv, t: number) => number | null;
const bo = (n: number): Rule => (s, t) =>
  s.c[t] > priorHigh(s, t, n) && volRatio(s, t) >= 1.5 ? volRatio(s, t) : null;
const EXPECTED: Record<string, { rule: Rule; order: "asc" | "desc" | "symbol"; limit?: number }> = {
  momentum: { rule: (s, t) => ret(s, t, 63) > 0 ? ret(s, t, 63) : null, order: "desc", limit: 15 },
  breakout_20: { rule: bo(20), order: "desc" },
  breakout_50: { rule: bo(50), order: "desc" },
  breakout_52w: { rule: bo(252), order: "desc" },
  oversold: { rule: (s, t) => wilderRsi(s.c, t) < 30 ? wilderRsi(s.c, t) : null, order: "asc" },
  overbought: { rule: (s, t) => wilderRsi(s.c, t) > 70 ? wilderRsi(s.c, t) : null, order: "desc" },
  reversal: {
    rule: (s, t) => {
      const now = wilderRsi(s.c, t);
      return now < 30 && now > wilderRsi(s.c, t - 1) ? now : null;
    },
    order: "asc",
  },
  unusual_volume: { rule: (s, t) => volRatio(s, t) >= 2 ? volRatio(s, t) : null, order: "desc" },
  gap_up: { rule: (s, t) => gap(s, t) >= 2 ? gap(s, t) : null, order: "desc" },
  gap_down: { rule: (s, t) => gap(s, t) <= -2 ? gap(s, t) : null, order: "asc" },
  golden_cross: {
    rule: (s, t) =>
      smaAt(s.c, t - 1, 50) <= smaAt(s.c, t - 1, 200) && smaAt(s.c, t, 50) > smaAt(s.c, t, 200)
        ? 0
        : null,
    order: "symbol",
  },
  death_cross: {
    rule: (s, t) =>
      smaAt(s.c, t - 1, 50) >= smaAt(s.c, t - 1, 200) && smaAt(s.c, t, 50) < smaAt(s.c, t, 200)
        ? 0
        : null,
    order: "symbol",
  },
  near_52w_low: {
    rule: (s, t) => s.c[t] <= 1.05 * priorLow(s, t, 252) ? ret(s, t, 20) : null,
    order: "asc",
  },
  high_atr: {
    rule: (s, t) => {
      const pct = (wilderAtr(s, t) / s.c[t]) * 100;
      return pct >= 3 ? pct : null;
    },
    order: "desc",
  },
};

const DAYS = ["2019-01-09", "2019-01-14", "2019-01-31", "2019-06-03", "2020-03-16", "2020-03-24"];

Deno.test("every preset matches an independent computation from the shipped CSVs", async () => {
  const csvs = await readStocks();
  const universe = await replayUniverse();
  assert.equal(universe.length, csvs.length);
  const total: Record<string, number> = {};
  for (const day of DAYS) {
    for (const preset of PRESETS) {
      const want = EXPECTED[preset.id];
      assert.ok(want, `an independent rule for ${preset.id}`);
      const found: [string, number][] = [];
      for (const s of csvs) {
        const t = s.dates.indexOf(day);
        if (t < 1) continue;
        const key = want.rule(s, t);
        if (key !== null && !Number.isNaN(key)) found.push([s.symbol, key]);
      }
      found.sort((a, b) =>
        want.order === "symbol"
          ? a[0].localeCompare(b[0])
          : (want.order === "asc" ? a[1] - b[1] : b[1] - a[1]) || a[0].localeCompare(b[0])
      );
      const expected = found.slice(0, want.limit ?? 50);
      const got = runScan(universe, day, preset.spec).hits;
      assert.deepEqual(
        got.map((h) => h.symbol),
        expected.map(([sym]) => sym),
        `${preset.id} on ${day}`,
      );
      if (preset.spec.sort) {
        const label = operandLabel(preset.spec.sort.by);
        got.forEach((h, i) => {
          assert.ok(Math.abs(h.values[label] - expected[i][1]) < 1e-3, `${preset.id} ${h.symbol}`);
        });
      }
      total[preset.id] = (total[preset.id] ?? 0) + got.length;
    }
  }
  for (const p of PRESETS) assert.ok(total[p.id] > 0, `${p.id} matched something on the test days`);
});

Deno.test("a hit says why with its values", async () => {
  const universe = await replayUniverse();
  const reversal = PRESETS.find((p) => p.id === "reversal")!;
  const [hit] = runScan(universe, "2020-03-24", reversal.spec).hits;
  assert.ok(hit, "a reversal on 2020-03-24");
  assert.match(hit.reasons[0], /^RSI\(14\) \d+\.\d < 30$/);
  assert.match(hit.reasons[1], /^RSI\(14\) \d+\.\d, up from \d+\.\d$/);
  assert.equal(hit.spark.length, 30);
  assert.equal(hit.spark.at(-1), hit.close);
});
