/**
 * Parity of a deployment's sizes with the backtest loop's over replayed history: the loop runs a
 * strategy over the shipped bars; then, at every close, a deployment holding what the loop held
 * (its book built from the loop's fills, marked at the loop's equity) decides what to propose.
 * Each proposal's target (the shares held once it fills) must be the loop's target for that
 * symbol at that close, read from the loop's fills at the next open: entries, exits and, on
 * rebalance days, held positions resized by the difference. With a sector cap, the entries the
 * deployment proposes are the loop's, and those it leaves out say the cap is why.
 *
 * The strategies keep cash to spare (percent of equity, a weight limit), so the loop's fills are
 * its decisions: neither side is cut short by cash at the open.
 */
import assert from "node:assert/strict";
import { runBacktest } from "../backtest/engine.ts";
import { prepare } from "../backtest/run.ts";
import { History } from "../market/replay/history.ts";
import { ruleSchema, type RulesInput } from "../strategy/schema.ts";
import { bookOf, markBook } from "./book.ts";
import { decide } from "./decide.ts";

const history = new History();
const close = { type: "price", field: "close" } as const;
const sma = (period: number) => ({ type: "indicator", name: "sma", period }) as const;
const MIXED = ["AAPL", "MSFT", "JPM", "XOM", "KO", "PG", "HD", "UNH", "CAT", "NEE"];

interface Parity {
  /** `date symbol target` the loop decided at each close (from its fills at the next open). */
  loop: string[];
  /** The same, from the deployment's proposals. */
  deployed: string[];
  kinds: Record<string, number>;
  /** Why the deployment left signals unacted on. */
  skipped: string[];
}

async function parity(doc: RulesInput, start: string, end: string): Promise<Parity> {
  const rules = ruleSchema.parse(doc);
  const { compiled, panel } = await prepare(history, { rules, start, end });
  const run = runBacktest(compiled, panel);
  const t0 = panel.startIndex;
  const T = panel.dates.length;
  const held = new Map<string, number>();
  const fillsAt = (t: number) => run.fills.filter((f) => f.bar + t0 === t);
  const loop: string[] = [];
  const deployed: string[] = [];
  const kinds: Record<string, number> = {};
  const skipped: string[] = [];
  for (let t = t0; t < T - 1; t++) {
    for (const f of fillsAt(t)) held.set(f.symbol, (held.get(f.symbol) ?? 0) + f.qty);
    const date = panel.dates[t];
    const next = new Map<string, number>();
    for (const f of fillsAt(t + 1)) {
      next.set(f.symbol, (next.get(f.symbol) ?? held.get(f.symbol) ?? 0) + f.qty);
    }
    for (const [sym, q] of next) loop.push(`${date} ${sym} ${q}`);

    const book = bookOf(
      rules.startingCash,
      run.fills.filter((f) => f.bar + t0 <= t).map((f) => ({
        symbol: f.symbol,
        side: f.qty > 0 ? "buy" as const : "sell" as const,
        filledQty: Math.abs(f.qty),
        avgPrice: f.price,
        session: panel.dates[f.bar + t0],
      })),
    );
    const equity = run.equity[t - t0];
    const own = markBook(book, (sym) => panel.close[panel.symbols.indexOf(sym)][t]).equity;
    assert.ok(
      Math.abs(own - equity) < 0.01,
      `${date}: the book marks at ${own}, the loop ${equity}`,
    );
    const { intents, skipped: left } = decide({
      rules: compiled.rules,
      symbols: panel.symbols,
      series: run.signals,
      dates: panel.dates,
      close: panel.close,
      sectors: panel.sectors,
      bars: panel.symbols.map((_, s) => ({
        open: panel.open[s],
        high: panel.high[s],
        low: panel.low[s],
      })),
      t,
      t0,
      book,
      equity,
      busy: new Map(),
      limits: { maxPositions: null, maxOrderValue: null },
    });
    for (const it of intents) {
      const signed = it.side === "buy" ? it.qty : -it.qty;
      deployed.push(`${date} ${it.symbol} ${(book.holdings.get(it.symbol)?.qty ?? 0) + signed}`);
      kinds[it.kind] = (kinds[it.kind] ?? 0) + 1;
    }
    for (const s of left) skipped.push(`${date} ${s.symbol}: ${s.why}`);
  }
  return { loop: loop.sort(), deployed: deployed.sort(), kinds, skipped };
}

Deno.test("monthly rebalance: the deployment's targets are the loop's, resizes included", async () => {
  const p = await parity(
    {
      name: "Monthly trend book",
      universe: { type: "symbols", symbols: MIXED },
      timing: { rebalance: "monthly" },
      entry: { left: close, op: ">", right: sma(50) },
      exit: { left: close, op: "<", right: sma(100) },
      sizing: { method: "percent_equity", percent: 12 },
      constraints: { maxPositions: 6 },
    },
    "2016-01-04",
    "2019-12-31",
  );
  assert.deepEqual(p.deployed, p.loop);
  assert.ok((p.kinds.rebalance ?? 0) >= 20, JSON.stringify(p.kinds));
  assert.ok((p.kinds.entry ?? 0) >= 10 && (p.kinds.exit ?? 0) >= 5, JSON.stringify(p.kinds));
});

Deno.test("drift threshold: resized only past it, on the same days as the loop", async () => {
  const p = await parity(
    {
      name: "Inverse volatility within a drift band",
      universe: { type: "symbols", symbols: MIXED },
      timing: { rebalance: { driftPercent: 2 } },
      entry: { left: close, op: ">", right: sma(50) },
      exit: { left: close, op: "<", right: sma(100) },
      sizing: { method: "inverse_volatility", period: 20 },
      constraints: { maxPositions: 8, maxWeightPercent: 11 },
    },
    "2017-01-03",
    "2020-12-31",
  );
  assert.deepEqual(p.deployed, p.loop);
  assert.ok((p.kinds.rebalance ?? 0) >= 10, JSON.stringify(p.kinds));
});

Deno.test("sector cap: the deployment enters what the loop enters, no more", async () => {
  const doc = {
    name: "Tech-heavy trend, 20 % a sector",
    universe: {
      type: "symbols",
      symbols: ["AAPL", "MSFT", "NVDA", "ADBE", "ORCL", "CSCO", "JPM", "BAC", "XOM", "CVX"],
    },
    entry: { left: close, op: ">", right: sma(20) },
    exit: { left: close, op: "<", right: sma(50) },
    sizing: { method: "percent_equity", percent: 8 },
    constraints: { maxPositions: 9, sectorCapPercent: 20 },
  } as RulesInput;
  const p = await parity(doc, "2016-01-04", "2019-12-31");
  assert.deepEqual(p.deployed, p.loop);
  assert.ok((p.kinds.entry ?? 0) >= 20, JSON.stringify(p.kinds));
  const byCap = p.skipped.filter((s) => /cap on the Information Technology sector/.test(s));
  assert.ok(byCap.length >= 10, `the cap rarely bit: ${byCap.length}`);
  // Without the cap the entries differ: the test compares something the cap decides.
  const free = await parity(
    { ...doc, constraints: { maxPositions: 9 } } as RulesInput,
    "2016-01-04",
    "2019-12-31",
  );
  assert.notDeepEqual(free.loop, p.loop);

  // Monthly with the cap: resizes and entries share each sector's room.
  const monthly = await parity(
    { ...doc, timing: { rebalance: "monthly" }, sizing: { method: "percent_equity", percent: 12 } },
    "2016-01-04",
    "2019-12-31",
  );
  assert.deepEqual(monthly.deployed, monthly.loop);
  assert.ok((monthly.kinds.rebalance ?? 0) >= 10, JSON.stringify(monthly.kinds));
});
