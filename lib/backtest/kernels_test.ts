/**
 * The ratio kernels against naive loops written here, and the new operands through the
 * compiler: no value at bar t reads a bar after t (the look-ahead check on cut data), and a
 * breakout compares with the highest high of the bars *before*.
 */
import assert from "node:assert/strict";
import { lookAheadCheck } from "./bias.ts";
import { compile } from "./compile.ts";
import * as k from "./kernels.ts";
import { atrPct, gapPct, sma, volumeRatio } from "./kernels.ts";
import { panelOf, rulesOf, walk } from "./testing.ts";

function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = seeded(7);
const N = 160;
const LEAD = 5; // NaN bars before the symbol's first day, as a panel has them.
const w = walk(N, rand, 50);
const volume = Array.from({ length: N }, () => (rand() < 0.1 ? 4e6 : 1e6) * (0.5 + rand()));
volume[40] = 0; // a day without volume inside the history
const pad = (xs: number[]) => Float64Array.from([...Array(LEAD).fill(NaN), ...xs]);
const [O, H, L, C, V] = [w.open, w.high!, w.low!, w.close, volume].map(pad);

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
function sameSeries(got: Float64Array, want: (i: number) => number, what: string) {
  for (let i = 0; i < got.length; i++) {
    const e = want(i);
    if (Number.isNaN(e)) assert.ok(Number.isNaN(got[i]), `${what}[${i}] should be NaN`);
    else assert.ok(close(got[i], e), `${what}[${i}]: ${got[i]} vs ${e}`);
  }
}

Deno.test("volume_ratio: the volume over the mean of the n bars before", () => {
  for (const p of [1, 5, 20]) {
    sameSeries(volumeRatio(V, p), (i) => {
      const k = i - LEAD;
      if (k < p) return NaN;
      let s = 0;
      for (let j = i - p; j < i; j++) s += V[j];
      return s > 0 ? V[i] / (s / p) : NaN;
    }, `volume_ratio(${p})`);
  }
  // A spike does not raise its own average.
  const flat = Float64Array.from([1, 1, 1, 1, 5]);
  assert.equal(volumeRatio(flat, 4)[4], 5);
});

Deno.test("atr_pct: Wilder's ATR over the close, in %", () => {
  const p = 14;
  const tr = (i: number) =>
    Math.max(H[i] - L[i], Math.abs(H[i] - C[i - 1]), Math.abs(L[i] - C[i - 1]));
  const want = new Array(C.length).fill(NaN);
  // Seeded with the mean true range of bars 1..p of the symbol, then smoothed.
  let a = 0;
  for (let i = LEAD + 1; i <= LEAD + p; i++) a += tr(i) / p;
  want[LEAD + p] = a;
  for (let i = LEAD + p + 1; i < C.length; i++) want[i] = a = (a * (p - 1) + tr(i)) / p;
  sameSeries(atrPct(H, L, C, p), (i) => (want[i] / C[i]) * 100, "atr_pct(14)");
});

Deno.test("gap_pct: the open over the previous close, in %", () => {
  sameSeries(
    gapPct(O, C),
    (i) => (i === 0 || Number.isNaN(C[i - 1]) ? NaN : 100 * (O[i] / C[i - 1] - 1)),
    "gap",
  );
});

Deno.test("compiled: factors, breakouts on the bars before, and no look-ahead", () => {
  const panel = panelOf({
    AAA: {
      open: [...O].map((x) => (Number.isNaN(x) ? w.open[0] : x)),
      high: [...H].map((x) => (Number.isNaN(x) ? w.high![0] : x)),
      low: [...L].map((x) => (Number.isNaN(x) ? w.low![0] : x)),
      close: [...C].map((x) => (Number.isNaN(x) ? w.close[0] : x)),
      volume: [...V].map((x) => (Number.isNaN(x) ? 1e6 : x)),
    },
  });
  const h = panel.high[0];
  const c = panel.close[0];
  const rules = rulesOf({
    entry: {
      any: [
        {
          left: { type: "price", field: "close" },
          op: ">",
          right: { type: "indicator", name: "highest", input: "high", period: 10, barsAgo: 1 },
        },
        {
          left: { type: "price", field: "close" },
          op: "<=",
          right: {
            type: "indicator",
            name: "lowest",
            input: "low",
            period: 30,
            barsAgo: 1,
            times: 1.02,
          },
        },
      ],
    },
    exit: {
      all: [
        {
          left: { type: "indicator", name: "volume_ratio", period: 10 },
          op: ">=",
          right: { type: "const", value: 1.5 },
        },
        {
          left: { type: "indicator", name: "atr_pct", period: 5 },
          op: ">",
          right: { type: "indicator", name: "gap_pct", times: 0.5 },
        },
      ],
    },
  });
  const compiled = compile(rules);
  assert.equal(compiled.lookback, 31);
  const full = compiled.signals(panel, 0);
  let breakouts = 0;
  let nearLows = 0;
  for (let t = 0; t < c.length; t++) {
    let hi = -Infinity;
    let lo = Infinity;
    for (let j = t - 10; j < t; j++) hi = Math.max(hi, h[j]);
    for (let j = t - 30; j < t; j++) lo = Math.min(lo, panel.low[0][j]);
    const up = t >= 10 && c[t] > hi;
    const near = t >= 30 && c[t] <= lo * 1.02;
    breakouts += up ? 1 : 0;
    nearLows += near ? 1 : 0;
    assert.equal(full.entry![t], up || near ? 1 : 0, `entry at ${t}`);
  }
  assert.ok(breakouts > 0 && nearLows > 0, `${breakouts} breakouts, ${nearLows} near lows`);
  assert.ok(full.exit!.some((x) => x === 1), "the exit fires somewhere");
  const check = lookAheadCheck(compiled, panel, [full], 8);
  assert.ok(check.passed && check.cuts.length === 8, JSON.stringify(check));
});

Deno.test("sma in three phases and crosses in one read per bar: the plain loops' exact values", () => {
  // The plain loops, as the kernels were written before they were made faster.
  const plainSma = (x: Float64Array, period: number) => {
    const out = new Float64Array(x.length).fill(NaN);
    let f = 0;
    while (f < x.length && Number.isNaN(x[f])) f++;
    let sum = 0;
    for (let i = f; i < x.length; i++) {
      sum += x[i];
      if (i - f >= period) sum -= x[i - period];
      if (i - f >= period - 1) out[i] = sum / period;
    }
    return out;
  };
  const same = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
    assert.equal(a.length, b.length);
    for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]`);
  };
  for (const period of [1, 2, 3, 20, 50, N + LEAD, N + LEAD + 4, 2.5]) {
    same(sma(C, period), plainSma(C, period), `sma(${period})`);
    // Written into a view that holds other values: every bar is written.
    same(
      sma(C, period, new Float64Array(C.length).fill(7)),
      plainSma(C, period),
      `into(${period})`,
    );
  }
  // Two at a time, into views holding other values, in either order, past the end too.
  for (const [p, q] of [[3, 8], [8, 3], [1, 2], [20, 50], [5, N + LEAD + 4], [2.5, 4]]) {
    const [a, b] = [new Float64Array(C.length).fill(7), new Float64Array(C.length).fill(7)];
    k.smaPair(C, p, q, a, b);
    same(a, plainSma(C, p), `pair(${p}, ${q}) ${p}`);
    same(b, plainSma(C, q), `pair(${p}, ${q}) ${q}`);
  }

  const [fast, slow] = [plainSma(C, 3), plainSma(C, 8)];
  const rules = rulesOf({
    entry: {
      left: { type: "indicator", name: "sma", period: 3 },
      op: "crosses_above",
      right: { type: "indicator", name: "sma", period: 8 },
    },
    exit: {
      left: { type: "indicator", name: "sma", period: 3 },
      op: "crosses_below",
      right: { type: "indicator", name: "sma", period: 8 },
    },
  });
  const panel = panelOf({ AAA: { open: [...O], high: [...H], low: [...L], close: [...C] } });
  const g = compile(rules).signals(panel, 0);
  const above = Uint8Array.from(
    C,
    (_, i) => i > 0 && fast[i - 1] <= slow[i - 1] && fast[i] > slow[i] ? 1 : 0,
  );
  const below = Uint8Array.from(
    C,
    (_, i) => i > 0 && fast[i - 1] >= slow[i - 1] && fast[i] < slow[i] ? 1 : 0,
  );
  // The compiled SMAs (computed as a pair) read as the plain loop's.
  same(g.operands[0], fast, "compiled sma(3)");
  same(g.operands[1], slow, "compiled sma(8)");
  same(g.entry!, above, "crosses above");
  same(g.exit!, below, "crosses below");
  assert.ok(above.includes(1) && below.includes(1), "the walk crosses both ways");
});

Deno.test("every kernel given `into` writes each of its elements (a reused arena is not cleared)", () => {
  const SENTINEL = 123456.789;
  const into = () => new Float64Array(N + LEAD).fill(SENTINEL);
  const outputs: Record<string, Float64Array> = {};
  for (const period of [1, 3, 14, 2.5]) {
    outputs[`sma ${period}`] = k.sma(C, period, into());
    outputs[`ema ${period}`] = k.ema(C, period, into());
    outputs[`rsi ${period}`] = k.rsi(C, period, into());
    outputs[`atr ${period}`] = k.atr(H, L, C, period, into());
    outputs[`atr_pct ${period}`] = k.atrPct(H, L, C, period, into());
    outputs[`stdev ${period}`] = k.stdev(C, period, into());
    outputs[`roc ${period}`] = k.roc(C, period, into());
    outputs[`highest ${period}`] = k.highest(H, period, into());
    outputs[`lowest ${period}`] = k.lowest(L, period, into());
    outputs[`annual_vol ${period}`] = k.annualVol(C, Math.max(2, period), into());
    outputs[`volume_ratio ${period}`] = k.volumeRatio(V, period, into());
  }
  // Longer than the history: all warm-up.
  outputs["sma past the end"] = k.sma(C, 500, into());
  outputs["rsi past the end"] = k.rsi(C, 500, into());
  outputs["gap_pct"] = k.gapPct(O, C, into());
  for (const [name, out] of Object.entries(outputs)) {
    assert.equal(out.indexOf(SENTINEL), -1, `${name} left an element unwritten`);
  }
});

Deno.test("crosses: the order-run skipping gives the plain two-bar test's flags", () => {
  const r = seeded(11);
  // Series with long runs on one side, ties, NaN stretches (warm-up and gaps) and infinities.
  const pick = (): number => {
    const u = r();
    return u < 0.05 ? NaN : u < 0.07 ? Infinity : u < 0.09 ? -Infinity : Math.floor(u * 6);
  };
  for (let trial = 0; trial < 300; trial++) {
    const n = Math.floor(r() * 60);
    const l = new Float64Array(n);
    const rr = new Float64Array(n);
    let bias = 0;
    for (let i = 0; i < n; i++) {
      if (r() < 0.1) bias = Math.floor(r() * 5) - 2; // runs where one side leads
      l[i] = pick() + bias;
      rr[i] = r() < 0.2 ? l[i] : pick();
    }
    const want = (above: boolean) =>
      Uint8Array.from(
        l,
        (_, i) =>
          i > 0 &&
            (above ? l[i - 1] <= rr[i - 1] && l[i] > rr[i] : l[i - 1] >= rr[i - 1] && l[i] < rr[i])
            ? 1
            : 0,
      );
    const [a, b, a2, b2] = [0, 1, 2, 3].map(() => new Uint8Array(n));
    k.crossesBoth(l, rr, a, b);
    k.crossesAbove(l, rr, a2);
    k.crossesBelow(l, rr, b2);
    for (
      const [got, w, what] of [[a, want(true), "both/above"], [b, want(false), "both/below"], [
        a2,
        want(true),
        "above",
      ], [b2, want(false), "below"]] as const
    ) {
      assert.deepEqual(Array.from(got), Array.from(w), `${what}, trial ${trial}`);
    }
  }
});
