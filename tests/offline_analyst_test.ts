/**
 * The offline analyst over the real app's seams (replay pinned to one open-session moment, the
 * real paper broker, PGlite, KV): each intent answers with the numbers the market and the broker
 * give for the same moment, and every number it writes passes the grounding checker.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { z } from "zod";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { OPEN_SESSION_MS, openReplayForTest } from "../lib/market/testing.ts";
import { checkGrounding } from "../lib/ai/grounding.ts";
import { AnalystError, type TurnEvent, type TurnResult } from "../lib/ai/types.ts";
import { previewOrder } from "../lib/broker/trading.ts";
import { rsi } from "../lib/analytics/momentum.ts";

const money = (n: number) =>
  `$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

async function withApp(fn: (t: TestApp, userId: number) => Promise<void>) {
  const t = await openTestApp({}, {
    market: () => openReplayForTest({ now: () => OPEN_SESSION_MS }),
  });
  try {
    const me = await signUp(t.app);
    await fn(t, me.user.id);
  } finally {
    await t.close();
  }
}

async function ask(
  t: TestApp,
  userId: number,
  message: string,
  context = {},
): Promise<TurnResult & { events: TurnEvent[] }> {
  const events: TurnEvent[] = [];
  const r = await t.services.analyst.turn(
    { userId, history: [], message, context },
    (e) => events.push(e),
  );
  equal(r.analyst, "offline");
  equal(r.model, "offline");
  deepEqual(r.usage, {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheCreationTokens: 0,
  });
  const streamed = events.filter((e) => e.type === "text").map((e) => e.delta);
  ok(streamed.length >= 1);
  equal(streamed.join(""), r.text);
  // Every tool call is announced, then its result, before the text.
  const calls = events.filter((e) => e.type === "tool_result");
  equal(calls.length, r.toolCalls.length);
  const grounding = checkGrounding(r.text, r.toolCalls, message);
  deepEqual(grounding.unverified, [], r.text);
  return { ...r, events };
}

Deno.test("offline analyst: a symbol's price and move, as the market gives them, labelled replay", async () => {
  await withApp(async (t, userId) => {
    const r = await ask(t, userId, "How is AAPL doing today?");
    const [q] = await t.services.market.quotes(["AAPL"]);
    ok(r.text.startsWith("Offline analyst, on replayed market data"), r.text);
    ok(r.text.includes(money(q.last!)), r.text);
    ok(r.text.includes(money(q.change!)), r.text);
    ok(r.text.includes(`${Math.abs(q.changePercent!).toFixed(2)} %`), r.text);
    deepEqual(r.events[0], {
      type: "tool_call",
      id: "offline_1",
      name: "get_quote",
      input: { symbol: "AAPL" },
    });
    equal(r.toolCalls[0].source, "replay");
    // The screen's symbol stands in when the message names none.
    const ctx = await ask(t, userId, "what's the price?", { symbol: "MSFT" });
    const [m] = await t.services.market.quotes(["MSFT"]);
    ok(ctx.text.includes(money(m.last!)), ctx.text);
  });
});

Deno.test("offline analyst: portfolio and a position's P&L, as the paper broker gives them", async () => {
  await withApp(async (t, userId) => {
    await t.services.broker.submit(userId, {
      symbol: "AAPL",
      side: "buy",
      type: "market",
      timeInForce: "day",
      qty: 3,
      clientOrderId: crypto.randomUUID(),
    });
    const r = await ask(t, userId, "How is my portfolio doing?");
    const a = await t.services.broker.account(userId);
    ok(r.text.includes(`worth ${money(a.equity)}`), r.text);
    ok(r.text.includes(money(a.cash)), r.text);
    ok(r.text.includes("1 open position."), r.text);
    const p = await ask(t, userId, "What's my P&L on AAPL?");
    const [pos] = await t.services.broker.positions(userId);
    ok(
      p.text.includes(`long 3 AAPL shares bought at an average ${money(pos.avgEntryPrice)}`),
      p.text,
    );
    ok(p.text.includes(money(pos.unrealizedPl!)), p.text);
    // Another user's question never sees this user's positions.
    const other = await signUp(t.app);
    const o = await ask(t, other.user.id, "What's my P&L on AAPL?");
    ok(o.text.includes("You hold no AAPL."), o.text);
  });
});

Deno.test("offline analyst: an order preview and a refused check, with nothing placed", async () => {
  await withApp(async (t, userId) => {
    const r = await ask(t, userId, "Can I buy 100 AAPL?");
    const deps = { db: t.services.db, market: t.services.market, broker: t.services.broker };
    const req = {
      symbol: "AAPL",
      side: "buy" as const,
      type: "market" as const,
      timeInForce: "day" as const,
      qty: 100,
      clientOrderId: "x",
    };
    const p = await previewOrder(deps, userId, req);
    ok(r.text.includes(`about ${money(p.estimatedCost)}`), r.text);
    ok(
      r.text.includes(p.refused ? "It would be refused" : "It passes every pre-trade check"),
      r.text,
    );
    const big = await ask(t, userId, "can I buy 9000 AAPL?");
    const pb = await previewOrder(deps, userId, { ...req, qty: 9000 });
    equal(pb.refused, true);
    ok(big.text.includes("It would be refused"), big.text);
    for (const c of pb.checks.filter((c) => !c.ok && c.severity === "refuse")) {
      ok(big.text.includes(c.message), big.text);
    }
    deepEqual(await t.services.broker.orders(userId, { status: "all" }), []);
  });
});

Deno.test("offline analyst: indicators with their meaning, computed from the market's bars", async () => {
  await withApp(async (t, userId) => {
    const r = await ask(t, userId, "What is the RSI and MACD of MSFT?");
    const bars = await t.services.market.bars("MSFT", { interval: "daily" });
    const value = rsi(bars.bars.map((b) => b.close)).at(-1)!;
    ok(r.text.includes(`RSI(14) is ${value.toFixed(2)}`), r.text);
    ok(/overbought|oversold/.test(r.text));
    ok(r.text.includes("MACD is"), r.text);
    ok(r.text.includes("volatility"), r.text);
  });
});

Deno.test("offline analyst: compare two symbols, movers, the clock, and what it cannot do", async () => {
  await withApp(async (t, userId) => {
    const c = await ask(t, userId, "Compare AAPL vs MSFT");
    const [a, m] = await t.services.market.quotes(["AAPL", "MSFT"]);
    ok(c.text.includes(money(a.last!)) && c.text.includes(money(m.last!)), c.text);
    const lead = a.changePercent! >= m.changePercent! ? "AAPL" : "MSFT";
    ok(c.text.includes(`Today ${lead} is doing better`), c.text);

    const mv = await ask(t, userId, "What moved most today?");
    const top = (mv.toolCalls[0].output as { gainers: { symbol: string }[] }).gainers[0];
    const [tq] = await t.services.market.quotes([top.symbol]);
    ok(
      mv.text.includes(`gainers today: ${top.symbol} up ${tq.changePercent!.toFixed(2)} %`),
      mv.text,
    );

    const k = await ask(t, userId, "Is the market open?");
    const clock = await t.services.market.clock();
    ok(k.text.includes(`The market is ${clock.state}`), k.text);
    ok(k.text.includes(clock.date), k.text);

    const h = await ask(t, userId, "Write me a poem about bonds");
    deepEqual(h.toolCalls, []);
    ok(h.text.includes("ANTHROPIC_API_KEY"), h.text);
  });
});

Deno.test("offline analyst: an aborted turn stops; structured tasks run their offline code", async () => {
  await withApp(async (t, userId) => {
    const ac = new AbortController();
    const seen: TurnEvent[] = [];
    const pending = t.services.analyst.turn(
      { userId, history: [], message: "How is AAPL doing?", signal: ac.signal },
      (e) => {
        seen.push(e);
        if (e.type === "tool_call") ac.abort();
      },
    );
    await rejects(pending, (e) => e instanceof AnalystError && e.code === "aborted");
    ok(!seen.some((e) => e.type === "text"));

    const schema = z.object({ symbol: z.string(), last: z.number() });
    const s = await t.services.analyst.structured({
      userId,
      task: "test",
      instructions: "",
      input: {},
      schema,
      offline: async (ctx) => {
        const [q] = await ctx.services.market.quotes(["AAPL"]);
        return { symbol: q.symbol, last: q.last! };
      },
    });
    equal(s.attempts, 1);
    equal(s.analyst, "offline");
    equal(s.value.symbol, "AAPL");
    await rejects(
      t.services.analyst.structured({
        userId,
        task: "bad",
        instructions: "",
        input: {},
        schema,
        offline: () => Promise.resolve({ symbol: 1 } as unknown as z.infer<typeof schema>),
      }),
      (e) => e instanceof AnalystError && e.code === "invalid_output",
    );
  });
});
