/**
 * The offline analyst over the real replay (its clock pinned to one moment) and the real paper
 * broker: each intent's answer carries the numbers the market and trading APIs give for the
 * same moment, every figure passes the grounding check, and nothing is ever placed.
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { call } from "./_api.ts";
import { OPEN_SESSION_MS, openReplayForTest } from "../lib/market/testing.ts";
import { checkGrounding } from "../lib/ai/grounding.ts";
import type { TurnEvent, TurnResult } from "../lib/ai/types.ts";
import { AnalystError } from "../lib/ai/types.ts";
import { rsi } from "../lib/analytics/indicators.ts";

interface Ctx {
  t: TestApp;
  bearer: Record<string, string>;
  userId: number;
  ask(message: string, symbol?: string): Promise<TurnResult & { events: TurnEvent[] }>;
}

const usd = (n: number) =>
  `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

async function withAnalyst(fn: (c: Ctx) => Promise<void>) {
  const t = await openTestApp({ RATE_LIMIT_PER_MINUTE: "100000" }, {
    market: () => openReplayForTest({ now: () => OPEN_SESSION_MS }),
  });
  try {
    const me = await signUp(t.app);
    const ask = async (message: string, symbol?: string) => {
      const events: TurnEvent[] = [];
      const result = await t.services.analyst.turn(
        { userId: me.user.id, history: [], message, context: symbol ? { symbol } : {} },
        (e) => events.push(e),
      );
      // The streamed pieces make up the answer, and every figure in it has a source.
      const streamed = events.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
      assert.equal(streamed, result.text);
      assert.deepEqual(checkGrounding(result.text, result.toolCalls, message).unverified, []);
      assert.equal(result.analyst, "offline");
      return { ...result, events };
    };
    await fn({ t, bearer: me.bearer, userId: me.user.id, ask });
  } finally {
    await t.close();
  }
}

Deno.test("price: the replayed quote the market API gives, labelled as replay", async () => {
  await withAnalyst(async (c) => {
    const quote = (await call(c, "GET", "/api/market/quote/AAPL")).body;
    const r = await c.ask("What is the price of AAPL?");
    assert.ok(r.text.includes(usd(quote.last)), r.text);
    assert.ok(r.text.includes(usd(quote.prevClose)), r.text);
    assert.match(r.text, new RegExp(`replayed prices of ${quote.replayDate}`));
    assert.deepEqual(
      r.events.filter((e) => e.type === "tool_call").map((e) => e.type === "tool_call" && e.name),
      ["quote"],
    );
    // From a symbol page the symbol comes from the context.
    const onPage = await c.ask("what's the price?", "MSFT");
    assert.match(onPage.text, /^MSFT/);
  });
});

Deno.test("portfolio and position: the broker's own figures", async () => {
  await withAnalyst(async (c) => {
    await call(c, "PATCH", "/api/settings", { maxPositionPercent: 100 });
    const placed = await call(c, "POST", "/api/orders", {
      symbol: "AAPL",
      side: "buy",
      type: "market",
      timeInForce: "day",
      qty: 10,
      clientOrderId: crypto.randomUUID(),
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const { account } = (await call(c, "GET", "/api/portfolio")).body;
    const r = await c.ask("How is my portfolio doing?");
    assert.ok(r.text.includes(usd(account.equity)), r.text);
    assert.ok(r.text.includes(usd(account.cash)), r.text);
    const p = await c.ask("What's my AAPL position?");
    const [position] = (await call(c, "GET", "/api/positions")).body.positions;
    assert.match(p.text, /long 10 shares of AAPL/);
    assert.ok(p.text.includes(usd(position.avgEntryPrice)), p.text);
    const none = await c.ask("my KO position");
    assert.match(none.text, /You hold no KO/);
  });
});

Deno.test("order questions are previewed with the checks and never placed", async () => {
  await withAnalyst(async (c) => {
    const big = await c.ask("Can I buy 100000 AAPL?");
    assert.match(big.text, /would be refused/);
    assert.match(big.text, /Refused \(max_order_value\)/);
    assert.match(big.text, /Nothing was placed/);
    const small = await c.ask("what if I buy 2 shares of MSFT?");
    assert.match(small.text, /Buying 2 shares of MSFT/);
    assert.doesNotMatch(small.text, /refused/);
    assert.equal((await call(c, "GET", "/api/orders?status=all")).body.orders.length, 0);
  });
});

Deno.test("indicators: RSI from the completed daily closes, with what it means", async () => {
  await withAnalyst(async (c) => {
    const r = await c.ask("What is the RSI of MSFT?");
    const out = r.toolCalls[0].output as { lastCloseDate: string; rsi14: number };
    const quote = (await call(c, "GET", "/api/market/quote/MSFT")).body;
    assert.ok(out.lastCloseDate < quote.replayDate, "no bar of the replayed day itself");
    const start = new Date(Date.parse(quote.replayDate) - 420 * 86_400_000).toISOString()
      .slice(0, 10);
    const bars = (await call(
      c,
      "GET",
      `/api/market/bars/MSFT?interval=daily&start=${start}&end=${out.lastCloseDate}`,
    )).body.bars as { close: number }[];
    const expected = rsi(bars.map((b) => b.close), 14).at(-1)!;
    assert.ok(Math.abs(out.rsi14 - expected) < 0.01, `${out.rsi14} vs ${expected}`);
    assert.ok(r.text.includes(`RSI(14) is ${expected.toFixed(1)}`), r.text);
    assert.match(r.text, /overbought|oversold|no extreme/);
    const all = await c.ask("technicals for KO");
    assert.match(all.text, /MACD\(12,26,9\)/);
    assert.match(all.text, /20-day volatility|volatility is/);
  });
});

Deno.test("compare, movers and the clock", async () => {
  await withAnalyst(async (c) => {
    const cmp = await c.ask("compare AAPL vs MSFT");
    assert.match(cmp.text, /^AAPL .* against MSFT/);
    const movers = await c.ask("What moved most today?");
    const data = movers.toolCalls[0].output as {
      gainers: { symbol: string; changePercent: number }[];
      losers: { symbol: string; changePercent: number }[];
    };
    assert.ok(movers.text.includes(data.gainers[0].symbol));
    assert.ok(data.gainers[0].changePercent >= data.losers[0].changePercent);
    const quotes = (await call(c, "GET", `/api/market/quotes?symbols=${data.gainers[0].symbol}`))
      .body;
    const q = Array.isArray(quotes)
      ? quotes[0]
      : quotes.quotes?.[0] ?? quotes[data.gainers[0].symbol];
    if (q) assert.equal(q.changePercent, data.gainers[0].changePercent);
    const clock = (await call(c, "GET", "/api/market/clock")).body;
    const r = await c.ask("Is the market open?");
    assert.match(r.text, new RegExp(`exchange date ${clock.date}`));
  });
});

Deno.test("anything else: what the offline analyst can do and how to turn Claude on", async () => {
  await withAnalyst(async (c) => {
    const r = await c.ask("Write me a poem about tulips.");
    assert.match(r.text, /offline analyst/);
    assert.match(r.text, /ANTHROPIC_API_KEY/);
    assert.equal(r.toolCalls.length, 0);
    const unknown = await c.ask("price of ZZZZZ please", "ZZZZZ");
    assert.match(unknown.text, /could not get that/);
  });
});

Deno.test("a stopped turn ends with an aborted error", async () => {
  await withAnalyst(async (c) => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(
      c.t.services.analyst.turn(
        { userId: c.userId, history: [], message: "price of AAPL", signal: ac.signal },
        () => {},
      ),
      (e) => e instanceof AnalystError && e.code === "aborted",
    );
  });
});
