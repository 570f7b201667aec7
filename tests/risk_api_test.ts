/**
 * `POST /api/risk/size` over the real replay and paper broker: sizes come from the live quote,
 * the account's equity and the shipped daily bars, and carry the checks an order would meet.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { atr, realizedVolatility } from "../lib/analytics/volatility.ts";

async function withApp(fn: (s: { t: TestApp; bearer: Record<string, string> }) => Promise<void>) {
  const t = await openTestApp({}, { market: () => openReplayForTest() });
  try {
    const me = await signUp(t.app);
    await fn({ t, bearer: me.bearer });
  } finally {
    await t.close();
  }
}

Deno.test("fixed fractional sizes from the live ask and the account's equity", async () => {
  await withApp(async (s) => {
    const quote = (await call(s, "GET", "/api/market/quote/AAPL")).body;
    const account = (await call(s, "GET", "/api/portfolio")).body;
    const equity = account.account?.equity ?? account.equity;
    const stop = Math.floor(quote.ask * 0.95 * 100) / 100;
    const res = await call(s, "POST", "/api/risk/size", {
      symbol: "AAPL",
      method: "fixed_fractional",
      stop,
      riskPercent: 0.5,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.entry, quote.ask);
    assert.equal(res.body.equity, equity);
    assert.equal(res.body.sizing.shares, Math.floor(equity * 0.005 / (quote.ask - stop) + 1e-9));
    assert.ok(res.body.sizing.lossAtStop <= equity * 0.005 + 1e-6);
    assert.ok(res.body.checks.length > 0, "the pre-trade checks a market order would meet");
    assert.equal(res.body.prices, "replay");
  });
});

Deno.test("ATR and volatility sizing use the shipped daily bars up to the replayed day", async () => {
  await withApp(async (s) => {
    const res = await call(s, "POST", "/api/risk/size", {
      symbol: "MSFT",
      method: "atr",
      entry: 100,
      atrMultiple: 2,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const through = res.body.inputs.barsThrough;
    const quote = (await call(s, "GET", "/api/market/quote/MSFT")).body;
    assert.ok(through < quote.replayDate, "only days completed before the replayed one");
    // The same window the route reads: 400 days before the replayed day, through the day before.
    const start = new Date(Date.parse(quote.replayDate) - 400 * 86_400_000).toISOString()
      .slice(0, 10);
    const bars =
      (await call(s, "GET", `/api/market/bars/MSFT?interval=daily&start=${start}&end=${through}`))
        .body.bars;
    const expected = atr(bars, 14).at(-1)!;
    assert.ok(
      Math.abs(res.body.inputs.atr - expected) < 1e-3,
      `${res.body.inputs.atr} vs ${expected}`,
    );
    assert.equal(res.body.sizing.stop, Math.round((100 - 2 * expected) * 100) / 100);

    const vol = await call(s, "POST", "/api/risk/size", {
      symbol: "MSFT",
      method: "volatility_target",
      entry: 100,
      targetVolatility: 10,
    });
    assert.equal(vol.status, 200, JSON.stringify(vol.body));
    const sigma = realizedVolatility(bars.map((b: { close: number }) => b.close), 20)! * 100;
    assert.ok(Math.abs(vol.body.inputs.volatilityPercent - sigma) < 0.01);
  });
});

Deno.test("a size past the order limit is flagged by the checks, not placed", async () => {
  await withApp(async (s) => {
    const res = await call(s, "POST", "/api/risk/size", {
      symbol: "AAPL",
      method: "kelly",
      entry: 50,
      winRate: 0.6,
      payoffRatio: 2,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    // Half Kelly of 0.4 is 20 % of $100,000: $20,000, past the default 10 % position limit.
    assert.equal(res.body.refused, true);
    assert.equal((await call(s, "GET", "/api/orders?status=all")).body.orders.length, 0);
  });
});

Deno.test("bad sizing requests get a 4xx naming the field", async () => {
  await withApp(async (s) => {
    const noStop = await call(s, "POST", "/api/risk/size", {
      symbol: "AAPL",
      method: "fixed_fractional",
    });
    assert.equal(noStop.status, 400);
    assert.match(JSON.stringify(noStop.body.error), /stop/);
    const noKelly = await call(s, "POST", "/api/risk/size", { symbol: "AAPL", method: "kelly" });
    assert.equal(noKelly.status, 400);
    assert.match(JSON.stringify(noKelly.body.error), /winRate/);
    const wrongSide = await call(s, "POST", "/api/risk/size", {
      symbol: "AAPL",
      method: "fixed_fractional",
      entry: 100,
      stop: 110,
    });
    assert.equal(wrongSide.status, 422);
    assert.equal(wrongSide.body.error.code, "cannot_size");
    const unknown = await call(s, "POST", "/api/risk/size", { symbol: "ZZZZ", method: "atr" });
    assert.equal(unknown.status, 404);
    assert.equal((await call(s, "POST", "/api/risk/size", "{")).status, 400);
  });
});
