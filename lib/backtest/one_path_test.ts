/**
 * The one-symbol path of the engine (one_path.ts `runOne`) against the general loop: random rules
 * it takes (signal-driven, no stops), on random walks and on the shipped history, with random
 * costs, sizes and date ranges, must give the general loop's every figure to the last bit.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { compile } from "./compile.ts";
import { releaseRun, runBacktest, type RunResult } from "./engine.ts";
import { onePathFits } from "./one_path.ts";
import type { Panel } from "./data.ts";
import { computeMetrics } from "./metrics.ts";
import { Targets } from "./targets.ts";
import { panelOf, rulesOf, walk } from "./testing.ts";
import { resolveParams, type Rules, type RulesInput } from "../strategy/schema.ts";
import { mulberry32 } from "../market/replay/intraday.ts";

type Doc = Partial<RulesInput>;
type Cond = NonNullable<RulesInput["entry"]>;

const close = { type: "price", field: "close" } as const;
const sma = (period: number) => ({ type: "indicator", name: "sma", period }) as const;
const rsi = (period: number) => ({ type: "indicator", name: "rsi", period }) as const;
const c = (value: number) => ({ type: "const", value }) as const;

/** A random condition: crosses of two SMAs, the close against an SMA, an RSI band, a mix. */
function condition(rand: () => number, up: boolean): Cond {
  const pick = Math.floor(rand() * 5);
  const f = 2 + Math.floor(rand() * 8);
  const s = f + 1 + Math.floor(rand() * 20);
  switch (pick) {
    case 0:
      return { left: sma(f), op: up ? "crosses_above" : "crosses_below", right: sma(s) };
    case 1:
      return { left: close, op: up ? ">" : "<", right: sma(s) };
    case 2:
      return { left: rsi(f + 2), op: up ? "<" : ">", right: c(up ? 35 + 10 * rand() : 55) };
    case 3:
      return {
        any: [
          { left: close, op: up ? "crosses_above" : "crosses_below", right: sma(s) },
          { left: rsi(5), op: up ? "<" : ">", right: c(up ? 20 : 80) },
        ],
      };
    default:
      return {
        all: [
          { left: sma(f), op: up ? ">" : "<", right: sma(s) },
          { not: { left: close, op: up ? "<" : ">", right: sma(f) } },
        ],
      };
  }
}

/** A random document the one-symbol path takes (no stops, no ranking, no resizing). */
function docOf(rand: () => number, symbol: string): Doc {
  const short = rand() < 0.4;
  const sizings: NonNullable<RulesInput["sizing"]>[] = [
    { method: "fixed_shares", shares: 1 + Math.floor(rand() * 3000) },
    { method: "fixed_cash", amount: 1000 + rand() * 200_000 },
    { method: "percent_equity", percent: 5 + rand() * 120 },
    { method: "atr", riskPercent: 0.5 + rand() * 2, multiple: 1 + rand() * 3, period: 14 },
    { method: "volatility_target", targetPercent: 5 + rand() * 30, period: 20 },
    { method: "equal_weight" },
    { method: "inverse_volatility", period: 10 + Math.floor(rand() * 20) },
  ];
  const sizing = sizings[Math.floor(rand() * sizings.length)];
  // A drift threshold only where it resizes nothing (fixed sizes), so the rules stay on the path.
  const fixed = sizing.method === "fixed_shares" || sizing.method === "fixed_cash";
  const commissions: NonNullable<RulesInput["costs"]>["commission"][] = [
    { type: "none" },
    { type: "per_share", perShare: rand() * 0.05, minimum: rand() * 5 },
    { type: "percent", percent: rand() * 0.5 },
  ];
  return {
    universe: { type: "symbols", symbols: [symbol] },
    entry: condition(rand, true),
    ...(rand() < 0.85 ? { exit: condition(rand, false) } : {}),
    ...(short
      ? {
        shortEntry: condition(rand, false),
        ...(rand() < 0.85 ? { shortExit: condition(rand, true) } : {}),
      }
      : {}),
    timing: {
      signal: "close",
      fill: "next_open",
      rebalance: fixed && rand() < 0.3 ? { driftPercent: 5 } : "daily",
    },
    constraints: {
      maxPositions: 1 + Math.floor(rand() * 3),
      maxWeightPercent: rand() < 0.5 ? 100 : 10 + rand() * 90,
      ...(rand() < 0.3 ? { sectorCapPercent: 5 + rand() * 60 } : {}),
      direction: short ? "long_short" : "long",
    },
    sizing,
    costs: {
      commission: commissions[Math.floor(rand() * commissions.length)],
      slippageBps: rand() < 0.5 ? 0 : rand() * 50,
      spread: rand() < 0.5 ? "paper_broker" : "none",
    },
    startingCash: rand() < 0.3 ? 1000 + rand() * 5000 : 100_000,
  };
}

/** A run's every output, as plain values (Object.is: NaN equals NaN, -0 differs from 0). */
function outputs(run: RunResult) {
  return {
    equity: Array.from(run.equity),
    cash: Array.from(run.cash),
    gross: Array.from(run.gross),
    fills: run.fills,
    trades: run.trades,
    open: run.open,
    metrics: computeMetrics({
      equity: run.equity,
      gross: run.gross,
      benchmark: run.benchmark,
      buyHold: null,
      trades: run.trades,
    }),
  };
}

/** Runs the rules both ways and asserts the same outputs; returns the fill count. */
function sameBothWays(rules: Rules, panel: Panel): number {
  assert.ok(onePathFits(rules, new Targets(rules, panel.sectors)), "the rules take the path");
  const one = runBacktest(compile(rules), panel);
  const general = runBacktest(compile(rules), panel, undefined, { generalLoop: true });
  const want = outputs(general);
  assert.deepStrictEqual(outputs(one), want);
  releaseRun(one);
  releaseRun(general);
  return want.fills.length;
}

Deno.test("property: the one-symbol path gives the general loop's every bit (random walks)", () => {
  let fills = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1e9 }),
      fc.integer({ min: 2, max: 600 }),
      (seed, n) => {
        const rand = mulberry32(seed);
        const w = walk(n, rand, 20 + rand() * 200);
        // A later listing (NaN before it), opens without a price (an order waiting for one
        // lapses) and, now and then, a missing close (marked at the last one; the indicators
        // over it are NaN from there on, so it is rare).
        const listed = rand() < 0.3 ? Math.floor(rand() * n * 0.3) : 0;
        for (let i = 0; i < listed; i++) w.open[i] = w.close[i] = NaN;
        for (let i = listed; i < n; i++) if (rand() < 0.02) w.open[i] = rand() < 0.5 ? NaN : 0;
        if (rand() < 0.2) w.close[listed + Math.floor(rand() * (n - listed))] = NaN;
        const panel = panelOf({ AAA: w }, {
          startIndex: Math.floor(rand() * Math.min(40, n)),
          sector: () => (rand() < 0.5 ? "Tech" : null),
        });
        const k = sameBothWays(resolveParams(rulesOf(docOf(rand, "AAA"))), panel);
        fills += k;
        return true;
      },
    ),
    { numRuns: 300 },
  );
  assert.ok(fills > 5000, `only ${fills} fills in all: the rules hardly trade`);
});

Deno.test("property: the one-symbol path gives the general loop's every bit (shipped history)", async () => {
  const { History } = await import("../market/replay/history.ts");
  const { prepare } = await import("./run.ts");
  const history = new History();
  const symbols = ["AAPL", "FB", "TSLA", "JNJ", "XOM", "KO"];
  const days = (await history.tradingDays()).filter((d) => d >= "2012-01-03");
  let fills = 0;
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 1e9 }), async (seed) => {
      const rand = mulberry32(seed);
      const symbol = symbols[Math.floor(rand() * symbols.length)];
      const a = Math.floor(rand() * (days.length - 60));
      const b = Math.min(days.length - 1, a + 20 + Math.floor(rand() * 2000));
      const rules = rulesOf(docOf(rand, symbol));
      const { compiled, panel } = await prepare(history, {
        rules,
        start: days[a],
        end: days[b],
      });
      fills += sameBothWays(compiled.rules, panel);
      return true;
    }),
    { numRuns: 60 },
  );
  assert.ok(fills > 500, `only ${fills} fills in all: the rules hardly trade`);
});
