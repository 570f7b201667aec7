/**
 * Golden backtests: each shipped template over 2016-2019 on the shipped history, pinned by its
 * headline metrics and a hash of its trade list (closed and open), so any change in results is
 * seen. When a change is intended, re-pin these with a note in the commit saying why.
 */
import assert from "node:assert/strict";
import { History } from "../market/replay/history.ts";
import { TEMPLATE_IDS, type TemplateId, TEMPLATES } from "../strategy/templates.ts";
import { backtest } from "./run.ts";

const GOLDEN: Record<TemplateId, {
  totalReturnPct: number;
  maxDrawdownPct: number;
  sharpe: number;
  trades: number;
  hash: string;
}> = {
  "sma-cross": {
    totalReturnPct: 97.5105,
    maxDrawdownPct: 18.966,
    sharpe: 1.0467,
    trades: 10,
    hash: "6c6b1d3a9e3be40c",
  },
  "rsi-reversion": {
    totalReturnPct: 2.4968,
    maxDrawdownPct: 1.1339,
    sharpe: 0.4927,
    trades: 4,
    hash: "f540b4035b26384c",
  },
  "donchian-breakout": {
    totalReturnPct: 73.4058,
    maxDrawdownPct: 14.4752,
    sharpe: 1.291,
    trades: 87,
    hash: "3ed033ef87e98fcb",
  },
  "momentum-rotation": {
    totalReturnPct: 266.3767,
    maxDrawdownPct: 19.1127,
    sharpe: 1.7362,
    trades: 160,
    hash: "62235664f8ded2cc",
  },
  "buy-and-hold": {
    totalReturnPct: 177.5183,
    maxDrawdownPct: 38.7263,
    sharpe: 1.1723,
    trades: 0,
    hash: "200f8486375dfb37",
  },
};

async function hash(x: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(x));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

const history = new History();

for (const id of TEMPLATE_IDS) {
  Deno.test(`golden: ${id}, 2016-01-04..2019-12-31`, async () => {
    const r = await backtest(history, {
      rules: TEMPLATES[id].rules,
      start: "2016-01-04",
      end: "2019-12-31",
    });
    const m = r.metrics;
    const g = GOLDEN[id];
    assert.deepEqual(
      {
        totalReturnPct: m.totalReturnPct,
        maxDrawdownPct: m.maxDrawdownPct,
        sharpe: m.sharpe,
        trades: m.trades,
        hash: await hash([r.trades, r.open]),
      },
      g,
    );
    assert.equal(r.bias.lookAhead.passed, true, "no template looks ahead");
    assert.equal(r.data.source, "replay");
  });
}

Deno.test("buy and hold of one symbol matches its own price change less the spread", async () => {
  const r = await backtest(history, {
    rules: TEMPLATES["buy-and-hold"].rules,
    start: "2016-01-04",
    end: "2019-12-31",
  });
  const [pos] = r.open;
  const s = await history.series("AAPL");
  const first = s.row.get(r.data.start)! + 1; // bought at the next open
  assert.equal(pos.entryDate, s.dates[first]);
  assert.ok(pos.entryPrice >= s.open[first] && pos.entryPrice < s.open[first] * 1.002);
  const last = s.close[s.row.get(r.data.end)!];
  const expected = 100_000 - pos.qty * pos.entryPrice + pos.qty * last;
  assert.ok(Math.abs(r.curve.equity.at(-1)! - expected) < 0.01);
});

Deno.test("in-sample and out-of-sample metrics side by side when a split date is set", async () => {
  const r = await backtest(history, {
    rules: TEMPLATES["donchian-breakout"].rules,
    start: "2016-01-04",
    end: "2019-12-31",
    splitDate: "2018-07-02",
  });
  assert.ok(r.split);
  assert.equal(r.split.date, "2018-07-02");
  const whole = r.curve.equity;
  const k = r.curve.dates.indexOf("2018-07-02");
  const isRet = Math.round(1e4 * 100 * (whole[k] / whole[0] - 1)) / 1e4;
  assert.ok(Math.abs(r.split.inSample.totalReturnPct - isRet) < 0.01);
  const oosRet = 100 * (whole.at(-1)! / whole[k] - 1);
  assert.ok(Math.abs(r.split.outOfSample.totalReturnPct - oosRet) < 0.01);
  assert.ok(r.split.inSample.trades + r.split.outOfSample.trades <= r.metrics.trades);
});

Deno.test("total-return prices add the dividends: buy and hold of KO earns more with them", async () => {
  const rules = { ...TEMPLATES["buy-and-hold"].rules };
  const run = (adjustment: "split" | "total_return") =>
    backtest(history, {
      rules: { ...rules, priceAdjustment: adjustment },
      symbols: ["KO"],
      start: "2013-01-02",
      end: "2019-12-31",
    });
  const [split, total] = await Promise.all([run("split"), run("total_return")]);
  assert.equal(total.data.adjustment, "total_return");
  assert.match(total.bias.adjustment, /dividends reinvested/);
  // KO paid roughly 3 % a year in dividends over these seven years.
  const extra = total.metrics.totalReturnPct - split.metrics.totalReturnPct;
  assert.ok(extra > 15 && extra < 40, `extra ${extra}`);
});
