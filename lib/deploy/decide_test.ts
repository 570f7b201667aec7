import assert from "node:assert/strict";
import { compile } from "../backtest/compile.ts";
import { panelOf, rulesOf } from "../backtest/testing.ts";
import type { RulesInput } from "../strategy/schema.ts";
import { type Book, bookOf } from "./book.ts";
import { decide, type DecisionInput } from "./decide.ts";

const close = { type: "price", field: "close" } as const;
const above = (v: number) => ({
  left: close,
  op: ">" as const,
  right: { type: "const" as const, value: v },
});
const below = (v: number) => ({
  left: close,
  op: "<" as const,
  right: { type: "const" as const, value: v },
});

/** Three symbols over four bars: AAA rises through 10, BBB stays at 20, CCC falls. */
const PANEL = panelOf({
  AAA: { open: [9, 9, 11, 12], close: [9, 11, 12, 13] },
  BBB: { open: [20, 20, 20, 20], close: [20, 20, 20, 20] },
  CCC: { open: [30, 25, 8, 7], close: [30, 25, 8, 7] },
});

function input(
  doc: Partial<RulesInput>,
  t: number,
  book: Book,
  extra: Partial<DecisionInput> = {},
) {
  const rules = rulesOf({ universe: { type: "symbols", symbols: ["AAA", "BBB", "CCC"] }, ...doc });
  const compiled = compile(rules);
  return {
    rules,
    symbols: PANEL.symbols,
    series: PANEL.symbols.map((_, s) => compiled.signals(PANEL, s)),
    dates: PANEL.dates,
    close: PANEL.close,
    bars: PANEL.symbols.map((_, s) => ({
      open: PANEL.open[s],
      high: PANEL.high[s],
      low: PANEL.low[s],
    })),
    t,
    t0: 0,
    book,
    equity: book.capital,
    busy: new Set<string>(),
    limits: { maxPositions: null, maxOrderValue: null },
    ...extra,
  } satisfies DecisionInput;
}

Deno.test("decide: entries sized by the rules, within room, symbol order", () => {
  const doc = {
    entry: above(10),
    sizing: { method: "percent_equity", percent: 10 },
    constraints: { maxPositions: 2 },
  } as Partial<RulesInput>;
  const { intents, skipped } = decide(input(doc, 1, bookOf(10_000, [])));
  // AAA (11) and BBB (20) are above 10 at bar 1, CCC (25) too but there is room for two.
  assert.deepEqual(intents.map((i) => [i.symbol, i.side, i.qty, i.kind]), [
    ["AAA", "buy", 90, "entry"], // floor(1000 / 11)
    ["BBB", "buy", 50, "entry"],
  ]);
  assert.deepEqual(skipped.map((s) => s.symbol), ["CCC"]);
  // The deployment's own limits: one position, 500 USD an order.
  const capped = decide(
    input(doc, 1, bookOf(10_000, []), { limits: { maxPositions: 1, maxOrderValue: 500 } }),
  );
  assert.deepEqual(capped.intents.map((i) => [i.symbol, i.qty]), [["AAA", 45]]);
  assert.match(capped.intents[0].why, /capped at the deployment's 500 USD/);
  // A symbol with a proposal pending is left alone; the free cash caps a buy.
  const busy = decide(input(doc, 1, bookOf(1_000, []), { busy: new Set(["AAA"]), equity: 10_000 }));
  assert.deepEqual(busy.intents.map((i) => [i.symbol, i.qty]), [["BBB", 50]]);
  const poor = decide(input(doc, 1, bookOf(600, []), { equity: 10_000 }));
  // 600 USD buys 54 AAA at 11; the 6 left buy no BBB.
  assert.deepEqual(poor.intents.map((i) => [i.symbol, i.qty]), [["AAA", 54]]);
  assert.match(poor.skipped.find((s) => s.symbol === "BBB")!.why, /0 shares.*free cash/);
});

Deno.test("decide: exits on the exit signal and after max bars; held symbols are not re-entered", () => {
  const held = bookOf(10_000, [
    { symbol: "CCC", side: "buy", filledQty: 10, avgPrice: 30, session: PANEL.dates[0] },
    { symbol: "AAA", side: "buy", filledQty: 5, avgPrice: 11, session: PANEL.dates[1] },
  ]);
  const doc = {
    entry: above(10),
    exit: below(10),
    sizing: { method: "fixed_shares", shares: 3 },
  } as Partial<RulesInput>;
  const { intents } = decide(input(doc, 2, held));
  assert.deepEqual(intents.map((i) => [i.symbol, i.side, i.qty, i.kind]), [
    ["CCC", "sell", 10, "exit"], // 8 < 10
    ["BBB", "buy", 3, "entry"], // AAA is held
  ]);
  const timed = decide(input({ ...doc, exits: { maxBars: 2 } }, 2, held));
  assert.deepEqual(timed.intents.filter((i) => i.kind === "time_exit").map((i) => i.symbol), [
    "CCC",
  ]);
  assert.equal(timed.intents.find((i) => i.symbol === "CCC")!.kind, "time_exit");
});

Deno.test("decide: a ranked book rotates out what left the top; weekly rebalance waits", () => {
  const held = bookOf(10_000, [
    { symbol: "CCC", side: "buy", filledQty: 10, avgPrice: 30, session: PANEL.dates[0] },
  ]);
  const doc = {
    ranking: { by: close, order: "desc", top: 1 },
    sizing: { method: "equal_weight" },
  } as Partial<RulesInput>;
  const { intents } = decide(input(doc, 2, held));
  // At bar 2 BBB (20) ranks first: CCC (8) rotates out, BBB comes in at 10,000 / 1 / 20 = 500
  // shares, capped by the free cash: 9,700 left plus CCC's 80 of proceeds → 489.
  assert.deepEqual(intents.map((i) => [i.symbol, i.side, i.qty, i.kind]), [
    ["CCC", "sell", 10, "rotation"],
    ["BBB", "buy", 489, "entry"],
  ]);
  // Weekly: 2020-01-01..06 are Wed, Thu, Fri, Mon; bar 2 (Fri) is mid-week, bar 3 a new week.
  const weekly = { ...doc, timing: { rebalance: "weekly" } } as Partial<RulesInput>;
  const mid = decide(input(weekly, 2, bookOf(10_000, [])));
  assert.deepEqual(mid.intents, []);
  const monday = decide(input(weekly, 3, bookOf(10_000, [])));
  assert.deepEqual(monday.intents.map((i) => i.symbol), ["BBB"]);
});
