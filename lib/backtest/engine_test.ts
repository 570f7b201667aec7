import assert from "node:assert/strict";
import fc from "fast-check";
import { compile } from "./compile.ts";
import { nextBusy, releaseRun, runBacktest, type RunResult } from "./engine.ts";
import { Arena } from "./arena.ts";
import type { Panel } from "./data.ts";
import { computeMetrics } from "./metrics.ts";
import { lookAheadCheck } from "./bias.ts";
import { panelOf, rulesOf, walk } from "./testing.ts";
import { resolveParams, type Rules } from "../strategy/schema.ts";
import { paperFillPrice } from "../broker/fill_price.ts";

const close = { type: "price", field: "close" } as const;
const c = (value: number) => ({ type: "const", value }) as const;

Deno.test("a hand-calculated run: next-open fills, slippage, per-share commission, metrics", () => {
  const panel = panelOf({
    AAA: {
      open: [10, 9.5, 10.5, 11.5, 12.5, 12, 8.5, 9],
      close: [10, 9, 11, 12, 13, 9, 8, 10],
    },
  });
  const rules = rulesOf({
    entry: { left: close, op: ">", right: c(10.5) },
    exit: { left: close, op: "<", right: c(10) },
    sizing: { method: "fixed_shares", shares: 100 },
    startingCash: 10_000,
    costs: {
      commission: { type: "per_share", perShare: 0.01, minimum: 1 },
      slippageBps: 10,
      spread: "none",
    },
  });
  const run = runBacktest(compile(rules), panel);
  // Signal at the close of bar 2 (11 > 10.5), bought at bar 3's open 11.5 + 10 bps = 11.5115,
  // commission max($1, 100 × $0.01) = $1: cash 10,000 − 1,151.15 − 1 = 8,847.85.
  // Exit signal at bar 5's close (9 < 10), sold at bar 6's open 8.5 − 10 bps = 8.4915, $1.
  const expected = [10_000, 10_000, 10_000, 10_047.85, 10_147.85, 9_747.85, 9_696, 9_696];
  assert.deepEqual(Array.from(run.equity, (x) => Math.round(x * 100) / 100), expected);
  assert.equal(run.trades.length, 1);
  const t = run.trades[0];
  assert.equal(t.entryDate, panel.dates[3]);
  assert.equal(t.exitDate, panel.dates[6]);
  assert.equal(t.entryPrice, 11.5115);
  assert.equal(t.exitPrice, 8.4915);
  assert.equal(t.qty, 100);
  assert.equal(t.pnl, -304); // (8.4915 − 11.5115) × 100 − 2
  assert.equal(t.bars, 3);
  assert.equal(t.reason, "signal");
  const m = computeMetrics({ ...run, buyHold: null });
  assert.equal(m.totalReturnPct, -3.04);
  assert.equal(m.trades, 1);
  assert.equal(m.winRatePct, 0);
  assert.equal(m.exposurePct, 37.5);
  assert.equal(m.maxDrawdownPct, Math.round(1e4 * 100 * (1 - 9696 / 10147.85)) / 1e4);
  assert.ok(Math.abs(m.worstTradePct! - (-304 / 1151.15) * 100) < 1e-3);
});

Deno.test("a stop gapped through fills at the open (worse), one inside the bar at the stop", () => {
  const bars = (open2: number, low2: number) =>
    panelOf({
      AAA: {
        open: [100, 100, open2, 95],
        high: [101, 101, Math.max(open2, 96) + 1, 96],
        low: [99, 99, low2, 94],
        close: [100, 100, 95, 95],
      },
    });
  const rules = rulesOf({
    entry: { left: c(1), op: ">", right: c(0) },
    sizing: { method: "fixed_shares", shares: 10 },
    exits: { stopLossPercent: 10 },
  });
  const gap = runBacktest(compile(rules), bars(85, 84));
  assert.equal(gap.trades[0].exitPrice, 85, "gap below the 90 stop: the open, not the stop");
  assert.equal(gap.trades[0].reason, "stop");
  const inside = runBacktest(compile(rules), bars(95, 88));
  assert.equal(inside.trades[0].exitPrice, 90, "the bar's low reached the stop: filled at it");
});

Deno.test("fills use the paper broker's price for the open (spread model shared)", () => {
  const rand = mulberry(7);
  const panel = panelOf({ AAA: walk(60, rand) });
  const rules = rulesOf({
    entry: { left: close, op: ">", right: { type: "indicator", name: "sma", period: 5 } },
    exit: { left: close, op: "<", right: { type: "indicator", name: "sma", period: 5 } },
    sizing: { method: "fixed_shares", shares: 10 },
    costs: { commission: { type: "none" }, slippageBps: 0, spread: "paper_broker" },
  });
  const run = runBacktest(compile(rules), panel);
  assert.ok(run.fills.length > 4);
  for (const f of run.fills) {
    const t = f.bar;
    const bar = {
      date: panel.dates[t],
      open: panel.open[0][t],
      high: panel.high[0][t],
      low: panel.low[0][t],
      close: panel.close[0][t],
      volume: panel.volume[0][t],
    };
    assert.equal(f.price, paperFillPrice(f.qty > 0 ? "buy" : "sell", "AAA", bar, bar.open));
  }
});

Deno.test("the look-ahead check catches a rule that peeks one bar ahead", () => {
  const panel = panelOf({ AAA: walk(300, mulberry(3)), BBB: walk(300, mulberry(4)) });
  const honest = rulesOf({
    universe: { type: "symbols", symbols: ["AAA", "BBB"] },
    entry: {
      left: { type: "indicator", name: "sma", period: 10 },
      op: "crosses_above",
      right: { type: "indicator", name: "sma", period: 30 },
    },
    exit: { left: close, op: "<", right: { type: "indicator", name: "ema", period: 30 } },
  });
  const full = panel.symbols.map((_, s) => compile(honest).signals(panel, s));
  assert.equal(lookAheadCheck(compile(honest), panel, full).passed, true);

  // Tomorrow's close, which the schema refuses and the compiler follows literally.
  const peeking: Rules = structuredClone(honest);
  peeking.entry = { left: { type: "price", field: "close", barsAgo: -1 }, op: ">", right: close };
  const compiled = compile(peeking);
  const sig = panel.symbols.map((_, s) => compiled.signals(panel, s));
  const check = lookAheadCheck(compiled, panel, sig);
  assert.equal(check.passed, false);
  assert.ok(check.cuts.every((c) => !c.identical), "every cut shows it");
  assert.equal(check.cuts[0].firstDifference?.date, check.cuts[0].date);
});

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seedArb = fc.integer({ min: 1, max: 1e9 });

Deno.test("property: zero costs and an always-in rule give buy and hold", () => {
  fc.assert(
    fc.property(seedArb, fc.integer({ min: 30, max: 200 }), (seed, n) => {
      const panel = panelOf({ AAA: walk(n, mulberry(seed)) });
      const rules = rulesOf({
        entry: { left: c(1), op: ">", right: c(0) },
        sizing: { method: "equal_weight" },
      });
      const run = runBacktest(compile(rules), panel);
      assert.equal(run.fills.length, 1);
      const f = run.fills[0];
      assert.equal(f.bar, 1);
      assert.equal(f.price, panel.open[0][1]);
      // Sized from the signal bar's close, capped by what the cash buys at the fill.
      const sized = Math.floor(100_000 / panel.close[0][0]);
      assert.equal(f.qty, Math.min(sized, Math.floor(100_000 / f.price)));
      for (let t = 1; t < n; t++) {
        const hold = 100_000 - f.qty * f.price + f.qty * panel.close[0][t];
        assert.ok(Math.abs(run.equity[t] - hold) < 1e-6, `bar ${t}`);
      }
      return true;
    }),
    { numRuns: 60 },
  );
});

Deno.test("property: costs only ever lower equity (same trades, fixed shares)", () => {
  fc.assert(
    fc.property(
      seedArb,
      fc.integer({ min: 2, max: 8 }),
      fc.integer({ min: 9, max: 30 }),
      fc.double({ min: 0.001, max: 0.05, noNaN: true }),
      fc.integer({ min: 1, max: 50 }),
      (seed, fast, slow, perShare, bps) => {
        const panel = panelOf({ AAA: walk(200, mulberry(seed)) });
        const base = {
          entry: {
            left: { type: "indicator", name: "sma", period: fast },
            op: "crosses_above",
            right: { type: "indicator", name: "sma", period: slow },
          },
          exit: {
            left: { type: "indicator", name: "sma", period: fast },
            op: "crosses_below",
            right: { type: "indicator", name: "sma", period: slow },
          },
          sizing: { method: "fixed_shares", shares: 50 },
        } as const;
        const free = runBacktest(compile(rulesOf(base)), panel);
        const costly = runBacktest(
          compile(rulesOf({
            ...base,
            costs: {
              commission: { type: "per_share", perShare, minimum: 1 },
              slippageBps: bps,
              spread: "paper_broker",
            },
          })),
          panel,
        );
        assert.equal(costly.fills.length, free.fills.length);
        for (let t = 0; t < free.equity.length; t++) {
          assert.ok(costly.equity[t] <= free.equity[t] + 1e-9, `bar ${t}`);
        }
        if (free.fills.length > 0) assert.ok(costly.equity.at(-1)! < free.equity.at(-1)!);
        return true;
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("property: equity = cash + positions at every bar, rebuilt from the fills", () => {
  fc.assert(
    fc.property(seedArb, fc.boolean(), (seed, short) => {
      const rand = mulberry(seed);
      const names = ["AAA", "BBB", "CCC"];
      const panel = panelOf(Object.fromEntries(names.map((s) => [s, walk(150, rand)])));
      const rules = resolveParams(rulesOf({
        universe: { type: "symbols", symbols: names },
        entry: { left: close, op: ">", right: { type: "indicator", name: "sma", period: 5 } },
        exit: { left: close, op: "<", right: { type: "indicator", name: "sma", period: 10 } },
        shortEntry: short
          ? { left: close, op: "<", right: { type: "indicator", name: "sma", period: 20 } }
          : undefined,
        shortExit: short
          ? { left: close, op: ">", right: { type: "indicator", name: "sma", period: 5 } }
          : undefined,
        exits: { stopLossPercent: 3, takeProfitPercent: 4, trailingStopPercent: 5 },
        constraints: {
          maxPositions: 2,
          maxWeightPercent: 60,
          direction: short ? "long_short" : "long",
        },
        sizing: { method: "percent_equity", percent: 40 },
        costs: {
          commission: { type: "percent", percent: 0.05 },
          slippageBps: 5,
          spread: "paper_broker",
        },
      }));
      const run = runBacktest(compile(rules), panel);
      let cash = 100_000;
      const held = new Map<string, number>();
      let k = 0;
      for (let t = 0; t < run.equity.length; t++) {
        for (; k < run.fills.length && run.fills[k].bar === t; k++) {
          const f = run.fills[k];
          cash -= f.qty * f.price + f.commission;
          held.set(f.symbol, (held.get(f.symbol) ?? 0) + f.qty);
        }
        let value = 0;
        for (const [s, q] of held) value += q * panel.close[names.indexOf(s)][t];
        assert.ok(Math.abs(run.equity[t] - (cash + value)) < 1e-6, `bar ${t}`);
        assert.ok(Math.abs(run.cash[t] - cash) < 1e-6);
      }
      return true;
    }),
    { numRuns: 40 },
  );
});

Deno.test("a short on a falling stock gains, and its proceeds are held back from buying", () => {
  const down = Array.from({ length: 40 }, (_, i) => 100 - i);
  const panel = panelOf({ AAA: { open: down.map((x) => x + 0.2), close: down } });
  const rules = rulesOf({
    entry: { left: c(0), op: ">", right: c(1) }, // never long
    shortEntry: { left: close, op: "<", right: { type: "indicator", name: "sma", period: 3 } },
    constraints: { direction: "long_short", maxPositions: 1, maxWeightPercent: 50 },
    sizing: { method: "percent_equity", percent: 50 },
  });
  const run = runBacktest(compile(rules), panel);
  assert.equal(run.open.length, 1);
  assert.equal(run.open[0].direction, "short");
  assert.ok(run.open[0].pnl > 0);
  assert.ok(run.equity.at(-1)! > 100_000);
  // 50 % of equity short, never more: gross exposure stays within equity.
  for (const g of run.gross) assert.ok(g <= 1 + 1e-9);
});

Deno.test("a monthly rotation holds the top-ranked symbols and sells the ones that drop out", () => {
  const n = 90;
  const up = (rate: number, flipAt = n) =>
    Array.from({ length: n }, (_, i) => 100 * (1 + rate * (i < flipAt ? i : 2 * flipAt - i)));
  const bars = (xs: number[]) => ({ open: xs, close: xs });
  const panel = panelOf({
    AAA: bars(up(0.01, 45)), // leads, then falls from bar 45
    BBB: bars(up(0.005)),
    CCC: bars(up(-0.002)),
  });
  const rules = rulesOf({
    universe: { type: "symbols", symbols: ["AAA", "BBB", "CCC"] },
    timing: { rebalance: "monthly" },
    ranking: { by: { type: "indicator", name: "roc", period: 10 }, order: "desc", top: 1 },
    constraints: { maxPositions: 1 },
  });
  const run = runBacktest(compile(rules), panel);
  const all = [...run.trades, ...run.open];
  assert.equal(all[0].symbol, "AAA", "the leader first");
  const rotated = run.trades.find((t) => t.symbol === "AAA" && t.reason === "rotation");
  assert.ok(rotated, JSON.stringify(all));
  assert.equal(run.open[0]?.symbol, "BBB", "the new leader at the end");
  // Decisions are taken on the first bar of a month only.
  for (const f of run.fills) {
    const d = panel.dates[f.bar - 1];
    const prev = panel.dates[f.bar - 2];
    assert.ok(!prev || d.slice(0, 7) !== prev.slice(0, 7), `fill on ${panel.dates[f.bar]}`);
  }
});

Deno.test("a weekly rebalance resizes within the sector cap, counting each position once", () => {
  // 2020-01-01 is a Wednesday: bar 0 opens the first week, bar 3 (Monday) the second.
  const flat = [100, 100, 100, 100, 100, 100];
  const panel = panelOf(
    {
      AAA: { open: [100, 100, 100, 75, 75, 75], close: [100, 100, 100, 75, 75, 75] },
      BBB: { open: flat, close: flat },
      CCC: { open: flat, close: flat },
    },
    { sector: (s) => s === "CCC" ? "Energy" : "Tech" },
  );
  const rules = rulesOf({
    universe: { type: "symbols", symbols: ["AAA", "BBB", "CCC"] },
    entry: { left: close, op: ">", right: c(0) },
    timing: { rebalance: "weekly" },
    sizing: { method: "percent_equity", percent: 20 },
    constraints: { maxPositions: 10, sectorCapPercent: 40 },
  });
  const run = runBacktest(compile(rules), panel);
  const at = (bar: number) => run.fills.filter((f) => f.bar === bar).map((f) => [f.symbol, f.qty]);
  assert.deepEqual(at(1), [["AAA", 200], ["BBB", 200], ["CCC", 200]]);
  // Monday's close: AAA fell to 75, equity 40,000 + 15,000 + 20,000 + 20,000 = 95,000, and each
  // goes back toward 20 % in symbol order. Tech holds 15.8 % (AAA) + 21.1 % (BBB); AAA's own
  // 15.8 % is room for its new size (not counted twice against it), so it may grow to
  // 40 % − 21.1 % = 18.9 %: 240 shares. BBB then goes down to 190 shares (20 %), CCC too.
  assert.deepEqual(at(4), [["BBB", -10], ["CCC", -10], ["AAA", 40]]);
  const tech = (240 * 75 + 190 * 100) / run.equity[4];
  assert.ok(tech <= 0.4 + 1e-9, `Tech at ${tech}`);
});

Deno.test("property: skipping quiet bars changes no bit (the same rules deciding every bar)", () => {
  fc.assert(
    fc.property(
      seedArb,
      fc.integer({ min: 1, max: 4 }),
      fc.boolean(),
      fc.constantFrom("equal_weight", "fixed_shares", "percent_equity"),
      (seed, count, short, method) => {
        const rand = mulberry(seed);
        const names = ["AAA", "BBB", "CCC", "DDD"].slice(0, count);
        const bars = Object.fromEntries(names.map((s, k) => {
          const w = walk(200, rand);
          // A later listing: NaN before its first bar, as a panel has it.
          for (let i = 0; i < 15 * k; i++) w.open[i] = w.close[i] = NaN;
          return [s, w];
        }));
        const panel = panelOf(bars, { startIndex: 10 });
        const doc = {
          universe: { type: "symbols" as const, symbols: names },
          entry: {
            left: { type: "indicator" as const, name: "sma" as const, period: 3 },
            op: "crosses_above" as const,
            right: { type: "indicator" as const, name: "sma" as const, period: 9 },
          },
          exit: {
            left: { type: "indicator" as const, name: "sma" as const, period: 3 },
            op: "crosses_below" as const,
            right: { type: "indicator" as const, name: "sma" as const, period: 9 },
          },
          ...(short
            ? {
              shortEntry: { left: close, op: "<" as const, right: c(95) },
              shortExit: { left: close, op: ">" as const, right: c(105) },
            }
            : {}),
          constraints: {
            maxPositions: 3,
            maxWeightPercent: 50,
            direction: short ? "long_short" as const : "long" as const,
          },
          sizing: method === "fixed_shares"
            ? { method, shares: 40 }
            : method === "percent_equity"
            ? { method, percent: 30 }
            : { method },
          costs: {
            commission: { type: "per_share" as const, perShare: 0.01, minimum: 1 },
            slippageBps: 3,
            spread: "paper_broker" as const,
          },
        };
        const skipping = runBacktest(compile(resolveParams(rulesOf(doc))), panel);
        // A time exit that never comes makes the loop decide on every bar.
        const everyBar = runBacktest(
          compile(resolveParams(rulesOf({ ...doc, exits: { maxBars: 1e6 } }))),
          panel,
        );
        for (const k of ["equity", "cash", "gross"] as const) {
          skipping[k].forEach((x, i) => assert.ok(Object.is(x, everyBar[k][i]), `${k}[${i}]`));
        }
        assert.deepEqual(skipping.fills, everyBar.fills);
        assert.deepEqual(skipping.trades, everyBar.trades);
        assert.deepEqual(skipping.open, everyBar.open);
        return true;
      },
    ),
    { numRuns: 60 },
  );
});

/** A run's outputs as plain values, to compare after its arrays are released. */
function snapshot(r: RunResult) {
  const sig = r.signals.map((g) => ({
    entry: g.entry && Array.from(g.entry),
    exit: g.exit && Array.from(g.exit),
    shortEntry: g.shortEntry && Array.from(g.shortEntry),
    shortExit: g.shortExit && Array.from(g.shortExit),
    rank: g.rank && Array.from(g.rank),
    atr: g.atr && Array.from(g.atr),
    vol: g.vol && Array.from(g.vol),
    operands: g.operands.map((a) => Array.from(a)),
  }));
  return {
    equity: Array.from(r.equity),
    cash: Array.from(r.cash),
    gross: Array.from(r.gross),
    trades: r.trades,
    open: r.open,
    fills: r.fills,
    sig,
  };
}

/**
 * Runs the rules, fills the run's buffer with `junk` bytes and releases it, then runs them again
 * (the second run takes that very buffer back from the pool): its results must be the first's
 * to the last bit, so nothing the engine or the compiler reads is left over from an earlier run.
 */
function rerunOnJunk(rules: Rules, panel: Panel, junk: number): void {
  const first = runBacktest(compile(rules), panel);
  const want = snapshot(first);
  const bytes = first.equity.buffer.byteLength;
  new Uint8Array(first.equity.buffer).fill(junk);
  const before = Arena.pooled();
  releaseRun(first);
  assert.equal(first.equity.length, 0, "a released run's arrays are detached");
  assert.equal(Arena.pooled(), before + 1);
  const again = runBacktest(compile(rules), panel);
  assert.equal(Arena.pooled(), before, "the second run took the released buffer");
  assert.equal(again.equity.buffer.byteLength, bytes);
  // Object.is semantics: NaN equals NaN, -0 differs from 0.
  assert.deepStrictEqual(snapshot(again), want);
  releaseRun(again);
}

Deno.test("property: a run on a reused buffer full of junk gives the fresh run's every bit", () => {
  fc.assert(
    fc.property(
      seedArb,
      fc.integer({ min: 1, max: 4 }),
      fc.boolean(),
      fc.constantFrom("none", "stops", "rotation"),
      fc.constantFrom(0xff, 0x3f, 0x80),
      (seed, count, short, kind, junk) => {
        const rand = mulberry(seed);
        const names = ["AAA", "BBB", "CCC", "DDD"].slice(0, count);
        const bars = Object.fromEntries(names.map((s, k) => {
          const w = walk(200, rand);
          for (let i = 0; i < 15 * k; i++) w.open[i] = w.close[i] = NaN;
          return [s, w];
        }));
        const panel = panelOf(bars, { startIndex: 10, sector: (s) => s < "C" ? "Tech" : "Health" });
        const sma = (period: number) => ({
          type: "indicator" as const,
          name: "sma" as const,
          period,
        });
        const doc = {
          universe: { type: "symbols" as const, symbols: names },
          entry: { left: sma(3), op: "crosses_above" as const, right: sma(9) },
          exit: { left: sma(3), op: "crosses_below" as const, right: sma(9) },
          ...(short
            ? {
              shortEntry: { left: close, op: "<" as const, right: c(95) },
              shortExit: { left: close, op: ">" as const, right: c(105) },
            }
            : {}),
          ...(kind === "stops"
            ? { exits: { stopLossPercent: 3, takeProfitPercent: 6, trailingStopPercent: 4 } }
            : {}),
          ...(kind === "rotation"
            ? {
              ranking: {
                by: { type: "indicator" as const, name: "roc" as const, period: 5 },
                top: 2,
              },
              timing: { rebalance: "weekly" as const },
            }
            : {}),
          constraints: {
            maxPositions: 3,
            maxWeightPercent: 50,
            sectorCapPercent: 80,
            direction: short ? "long_short" as const : "long" as const,
          },
          sizing: { method: "equal_weight" as const },
          costs: {
            commission: { type: "per_share" as const, perShare: 0.01, minimum: 1 },
            slippageBps: 3,
            spread: "paper_broker" as const,
          },
        };
        rerunOnJunk(resolveParams(rulesOf(doc)), panel, junk);
        return true;
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("every template on the shipped history, rerun on a reused buffer full of junk", async () => {
  const { History } = await import("../market/replay/history.ts");
  const { TEMPLATE_IDS, TEMPLATES } = await import("../strategy/templates.ts");
  const { prepare } = await import("./run.ts");
  const history = new History();
  for (const id of TEMPLATE_IDS) {
    // The SMA cross over five stocks holds several at once: markStretch's many-symbol sums.
    const symbols = id === "sma-cross" ? ["AAPL", "MSFT", "JNJ", "PG", "KO"] : undefined;
    const { compiled, panel } = await prepare(history, {
      rules: TEMPLATES[id].rules,
      symbols,
      start: "2016-01-04",
      end: "2019-12-31",
    });
    rerunOnJunk(compiled.rules, panel, 0xff);
    rerunOnJunk(compiled.rules, panel, 0x3f);
  }
});

Deno.test("nextBusy finds the first busy bar from t on, never one before it", () => {
  fc.assert(
    fc.property(
      fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
      fc.nat(),
      (flags, at) => {
        const T = flags.length;
        const t = at % (T + 1);
        const busy = new Uint8Array(Math.ceil(T / 4) * 4);
        flags.forEach((f, i) => busy[i] = f ? 1 : 0);
        const words = new Uint32Array(busy.buffer, 0, T >> 2);
        let expected = t;
        while (expected < T && busy[expected] === 0) expected++;
        assert.equal(nextBusy(busy, words, t, T), expected);
      },
    ),
    { examples: [[[false, false, false, false, true, false, false, false, true], 9]] },
  );
});
