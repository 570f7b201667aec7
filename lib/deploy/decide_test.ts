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
    sectors: PANEL.sectors,
    bars: PANEL.symbols.map((_, s) => ({
      open: PANEL.open[s],
      high: PANEL.high[s],
      low: PANEL.low[s],
    })),
    t,
    t0: 0,
    book,
    equity: book.capital,
    busy: new Map<string, number>(),
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
  const busy = decide(
    input(doc, 1, bookOf(1_000, []), { busy: new Map([["AAA", 90]]), equity: 10_000 }),
  );
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

Deno.test("decide: a rebalance day resizes held positions within the sector cap", () => {
  // Bar 3 (Monday 2020-01-06) opens a new week. AAA and BBB are Tech, CCC Energy.
  const sectors = ["Tech", "Tech", "Energy"];
  const doc = {
    entry: above(0),
    timing: { rebalance: "weekly" },
    sizing: { method: "percent_equity", percent: 20 },
    constraints: { sectorCapPercent: 30 },
  } as Partial<RulesInput>;
  const held = bookOf(10_000, [
    { symbol: "AAA", side: "buy", filledQty: 100, avgPrice: 9, session: PANEL.dates[1] },
    { symbol: "BBB", side: "buy", filledQty: 50, avgPrice: 20, session: PANEL.dates[1] },
  ]);
  // Cash 8,100 + AAA 100 × 13 + BBB 50 × 20 = 10,400; 20 % is 2,080.
  const at = (t: number, extra: Partial<DecisionInput> = {}, d = doc) =>
    decide(input(d, t, held, { sectors, equity: 10_400, ...extra }));
  const rows = (r: ReturnType<typeof decide>) =>
    r.intents.map((i) => [i.symbol, i.side, i.qty, i.kind]);
  // AAA (12.5 %) goes to 2,080 / 13 = 160 shares. BBB's 20 % would take Tech past 30 %: Tech
  // then holds 20 % (AAA) + 9.6 % (BBB), so BBB may grow to 10 %, 52 shares. CCC enters.
  const monday = at(3);
  assert.deepEqual(rows(monday), [
    ["AAA", "buy", 60, "rebalance"],
    ["BBB", "buy", 2, "rebalance"],
    ["CCC", "buy", 297, "entry"],
  ]);
  assert.match(monday.intents[0].why, /100 → 160 shares at about 13 USD/);
  assert.match(monday.intents[1].why, /the rules' 30 % cap on the Tech sector/);
  // Mid-week nothing is resized or entered.
  assert.deepEqual(at(2).intents, []);
  // 40 BBB still to come count toward Tech: AAA may only reach 30 % − (50 + 40) × 20 / 10,400.
  const pending = at(3, { busy: new Map([["BBB", 40]]) });
  assert.deepEqual(rows(pending), [["AAA", "buy", 1, "rebalance"], ["CCC", "buy", 297, "entry"]]);
  // An 8 % drift band (checked every session) and no sector cap: AAA would move 7.5 % and stays,
  // BBB moves 10.4 % to 2,080 / 20 = 104 shares.
  const drift = at(3, {}, {
    ...doc,
    timing: { rebalance: { driftPercent: 8 } },
    constraints: {},
  } as Partial<RulesInput>);
  assert.deepEqual(rows(drift).filter((r) => r[3] === "rebalance"), [
    ["BBB", "buy", 54, "rebalance"],
  ]);
  // Over target, the difference is sold; the deployment's order limit caps a resize too.
  const heavy = bookOf(10_000, [
    { symbol: "AAA", side: "buy", filledQty: 200, avgPrice: 9, session: PANEL.dates[1] },
  ]);
  const sell = decide(input(doc, 3, heavy, { sectors, equity: 10_800 }));
  assert.deepEqual(rows(sell)[0], ["AAA", "sell", 34, "rebalance"]); // 2,160 / 13 = 166
  const limited = decide(
    input(doc, 3, heavy, {
      sectors,
      equity: 10_800,
      limits: { maxPositions: null, maxOrderValue: 200 },
    }),
  );
  assert.deepEqual(rows(limited)[0], ["AAA", "sell", 15, "rebalance"]);
  assert.match(limited.intents[0].why, /capped at the deployment's 200 USD per order/);
});
