/**
 * `/api/news` and `/api/ml-sentiment` over the real app (replay, paper broker, real database):
 * the events feed for the replayed day, per-user scopes, the labelled sample, the API's limits,
 * and the analyst's Explain of an event (offline, and Claude against the fake Anthropic server)
 * and of an Alpaca news item (ALPACA_* pointing at the fake Alpaca trading and news servers).
 */
import assert from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { type ApiCaller, call } from "./_api.ts";
import { openReplayForTest } from "../lib/market/testing.ts";
import { FAKE_API_KEY, startFakeAnthropic } from "./fakes/anthropic.ts";
import { ClaudeAnalyst } from "../lib/ai/claude/analyst.ts";
import { analystTools } from "../lib/ai/tools/mod.ts";
import { FAKE_KEY, startFakeAlpacaNews } from "./fakes/alpaca_news.ts";
import { startFakeAlpaca } from "./fakes/alpaca.ts";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { AlpacaNews } from "../lib/client/news/AlpacaNews.tsx";

async function withApp(fn: (t: TestApp, me: ApiCaller) => Promise<void>) {
  const t = await openTestApp({}, { market: () => openReplayForTest() });
  try {
    const me = await signUp(t.app);
    await fn(t, { t, bearer: me.bearer });
  } finally {
    await t.close();
  }
}

async function trader(t: TestApp): Promise<ApiCaller> {
  const me = await signUp(t.app);
  const s = { t, bearer: me.bearer };
  const res = await call(s, "PATCH", "/api/settings", {
    maxPositionPercent: 100,
    maxOrderValue: 1_000_000,
  });
  assert.equal(res.status, 200);
  return s;
}

Deno.test("the offline feed lists events derived from prices before the replayed day", async () => {
  await withApp(async (_t, s) => {
    const quote = (await call(s, "GET", "/api/market/quote/SPX")).body;
    const res = await call(s, "GET", "/api/news?days=20");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.mode, "offline");
    assert.equal(res.body.news, null, "no invented news offline");
    assert.equal(res.body.prices, "replay");
    assert.equal(res.body.asOf, quote.replayDate);
    assert.ok(res.body.events.through < res.body.asOf);
    assert.ok(res.body.events.events.length > 0);
    for (const e of res.body.events.events) {
      assert.equal(e.source, "derived from prices");
      assert.ok(e.date >= res.body.events.from && e.date < res.body.asOf, e.date);
      assert.ok(Object.keys(e.numbers).length > 0);
    }
    const gaps = await call(s, "GET", "/api/news?days=20&kind=gap");
    assert.ok(gaps.body.events.events.every((e: { kind: string }) => e.kind === "gap"));
    const one = await call(s, "GET", "/api/news?days=60&symbol=aapl");
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.events.symbols, ["AAPL"]);
    assert.ok(one.body.events.events.every((e: { symbol: string }) => e.symbol === "AAPL"));
  });
});

Deno.test("positions and watchlist scopes are the user's own; impacts use the user's position", async () => {
  await withApp(async (t) => {
    const a = await trader(t);
    const b = await trader(t);
    const all = (await call(a, "GET", "/api/news?days=60")).body.events.events;
    const moving = all.find((e: { kind: string; symbol: string }) =>
      (e.kind === "gap" || e.kind === "big_move") && e.symbol !== "SPX"
    );
    assert.ok(moving, "some stock moved in the 60 days before the replayed day");
    const buy = await call(a, "POST", "/api/orders", {
      symbol: moving.symbol,
      side: "buy",
      type: "market",
      timeInForce: "day",
      qty: 3,
      clientOrderId: crypto.randomUUID(),
    });
    assert.equal(buy.status, 201, JSON.stringify(buy.body));
    const mine = (await call(a, "GET", "/api/news?days=60&scope=positions")).body;
    assert.deepEqual(mine.events.symbols, [moving.symbol]);
    const held = mine.events.events.find((e: { date: string; kind: string; symbol: string }) =>
      e.symbol === moving.symbol && e.date === moving.date && e.kind === moving.kind
    );
    const position = (await call(a, "GET", "/api/positions")).body.positions[0];
    assert.equal(held.position.qty, 3);
    const move = moving.numbers.gapPercent ?? moving.numbers.returnPercent;
    assert.equal(held.position.movePercent, move);
    assert.ok(Math.abs(held.position.sameMoveUsd - position.marketValue * move / 100) < 0.01);

    const theirs = (await call(b, "GET", "/api/news?days=60&scope=positions")).body;
    assert.deepEqual(theirs.events.symbols, []);
    assert.ok(
      theirs.events.events.every((e: { symbol: string; position: unknown }) =>
        e.symbol !== moving.symbol && e.position === null
      ),
    );

    const list = await call(b, "POST", "/api/watchlists", {
      name: "Mine",
      symbols: ["MSFT", "JPM"],
    });
    assert.equal(list.status, 201, JSON.stringify(list.body));
    const watched = (await call(b, "GET", "/api/news?scope=watchlist")).body;
    assert.deepEqual(watched.events.symbols, ["MSFT", "JPM"]);
    const aWatched = (await call(a, "GET", "/api/news?scope=watchlist")).body;
    assert.deepEqual(aWatched.events.symbols, [], "B's watchlist is not A's");
  });
});

Deno.test("news queries are validated: 4xx with the error shape, never a 500", async () => {
  await withApp(async (t, s) => {
    for (
      const q of ["days=0", "days=61", "scope=friends", "kind=rumour", "symbol=%24%24%24", "x=1"]
    ) {
      const res = await call(s, "GET", `/api/news?${q}`);
      assert.equal(res.status, 400, q);
      assert.equal(typeof res.body.error.code, "string");
    }
    const unknown = await call(s, "GET", "/api/news?symbol=ZZZZ");
    assert.equal(unknown.status, 422);
    const anon = await t.app.request("/api/news");
    assert.equal(anon.status, 401);
    const bad = await call(s, "GET", "/api/news/headlines?pageSize=1000");
    assert.equal(bad.status, 400);
  });
});

Deno.test("the labelled sample is undated, pages, filters and shows the model beside the label", async () => {
  await withApp(async (_t, s) => {
    const res = await call(s, "GET", "/api/news/headlines?split=validation&pageSize=50&page=2");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.dated, false);
    assert.match(res.body.dataset, /[Uu]ndated/);
    assert.equal(res.body.total, 2388);
    assert.equal(res.body.rows.length, 50);
    for (const r of res.body.rows) {
      assert.equal(r.split, "validation");
      assert.ok(["bearish", "bullish", "neutral"].includes(r.predicted.label));
      assert.equal(r.agrees, r.label === r.predicted.label);
    }
    const bearish = await call(s, "GET", "/api/news/headlines?label=bearish&q=downgrade");
    assert.ok(bearish.body.total > 0);
    for (const r of bearish.body.rows) {
      assert.equal(r.label, "bearish");
      assert.match(r.text.toLowerCase(), /downgrade/);
    }
    const misses = await call(
      s,
      "GET",
      "/api/news/headlines?split=validation&misses=true&pageSize=5",
    );
    const accuracy = 1 - misses.body.total / 2388;
    assert.ok(Math.abs(accuracy - res.body.model.validation.accuracy) < 1e-3);
    assert.ok(misses.body.rows.every((r: { agrees: boolean }) => !r.agrees));
  });
});

Deno.test("ml-sentiment scores texts in order with the dataset's labels", async () => {
  await withApp(async (_t, s) => {
    const texts = [
      "$XYZ downgraded to sell, shares plunge on weak guidance",
      "Company to present at investor conference on Tuesday",
      "$XYZ upgraded to buy, shares jump to a record high",
    ];
    const res = await call(s, "POST", "/api/ml-sentiment", { texts, explain: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.model.name, "paiid-sentiment-v1");
    assert.deepEqual(res.body.results.map((r: { label: string }) => r.label), [
      "bearish",
      "neutral",
      "bullish",
    ]);
    for (const r of res.body.results) {
      assert.equal(r.confidence, r.scores[r.label]);
      assert.ok(r.words.length > 0);
    }
    // One at a time answers the same as the batch.
    const single = await call(s, "POST", "/api/ml-sentiment", { texts: [texts[1]] });
    assert.deepEqual(single.body.results[0].scores, res.body.results[1].scores);
    assert.equal(single.body.results[0].words, undefined);
  });
});

Deno.test("ml-sentiment limits: 5,000 texts of 1,000 characters pass, one more does not", async () => {
  await withApp(async (t, s) => {
    const long = "Shares rally after earnings beat ".repeat(40).slice(0, 1000);
    const full = await call(s, "POST", "/api/ml-sentiment", { texts: Array(5000).fill(long) });
    assert.equal(full.status, 200, JSON.stringify(full.body).slice(0, 300));
    assert.equal(full.body.results.length, 5000);
    for (
      const body of [
        { texts: Array(5001).fill("x") },
        { texts: [long + "!"] },
        { texts: [] },
        { texts: "not a list" },
        { texts: ["ok"], extra: 1 },
        {},
      ]
    ) {
      const res = await call(s, "POST", "/api/ml-sentiment", body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(typeof res.body.error.message, "string");
    }
    const broken = await call(s, "POST", "/api/ml-sentiment", "{texts:");
    assert.equal(broken.status, 400);
    const anon = await t.app.request("/api/ml-sentiment", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ texts: ["x"] }),
    });
    assert.equal(anon.status, 401);
    const huge = await call(
      s,
      "POST",
      "/api/ml-sentiment",
      JSON.stringify({ texts: ["x".repeat(13 * 1024 * 1024)] }),
    );
    assert.equal(huge.status, 413);
  });
});

Deno.test("explain: the analyst's summary and what an event could mean for the caller's position", async (ctx) => {
  await withApp(async (t) => {
    const a = await trader(t);
    const b = await trader(t);
    const all = (await call(a, "GET", "/api/news?days=60")).body.events.events;
    const moving = all.find((e: { kind: string; symbol: string }) =>
      (e.kind === "gap" || e.kind === "big_move") && e.symbol !== "SPX"
    );
    assert.ok(moving, "some stock moved in the 60 days before the replayed day");
    const ref = { type: "event", symbol: moving.symbol, date: moving.date, kind: moving.kind };
    const move = moving.numbers.gapPercent ?? moving.numbers.returnPercent;
    const buy = await call(a, "POST", "/api/orders", {
      symbol: moving.symbol,
      side: "buy",
      type: "market",
      timeInForce: "day",
      qty: 3,
      clientOrderId: crypto.randomUUID(),
    });
    assert.equal(buy.status, 201, JSON.stringify(buy.body));

    await ctx.step(
      "offline, for a holder: the event's numbers and the broker's position",
      async () => {
        const res = await call(a, "POST", "/api/news/explain", ref);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const x = res.body;
        const position = (await call(a, "GET", "/api/positions")).body.positions[0];
        assert.equal(x.analyst, "offline");
        assert.deepEqual(
          x.item.event.numbers,
          moving.numbers,
          "recomputed, not taken from the client",
        );
        assert.ok(x.summary.includes(moving.title), x.summary);
        assert.deepEqual(x.unverified, [], "every figure of the template is grounded");
        assert.ok(x.checked > 0);
        assert.equal(x.forPosition.held, true);
        assert.equal(x.forPosition.qty, 3);
        assert.ok(Math.abs(x.forPosition.value - position.marketValue) < 0.01);
        assert.ok(Math.abs(x.forPosition.pnl - position.unrealizedPl) < 0.01);
        assert.match(
          x.forPosition.whatItCouldMean,
          new RegExp(`You hold 3 shares of ${moving.symbol}`),
        );
        const fig = (label: string) => x.figures.find((f: { label: string }) => f.label === label);
        const moveFig = x.figures.find((f: { value: number; unit: string }) =>
          f.value === move && f.unit === "%"
        );
        assert.ok(moveFig, "the event's move is a figure");
        assert.equal(moveFig.asOf, moving.date);
        assert.equal(moveFig.source, "replay");
        assert.equal(fig("Shares held").value, 3);
        assert.equal(fig("Shares held").source, "paper");
        const same = fig("Same move on today's value");
        assert.ok(Math.abs(same.value - x.forPosition.value * move / 100) < 0.01);
      },
    );

    await ctx.step(
      "offline, for a user who does not hold it: nothing of A's position",
      async () => {
        const res = await call(b, "POST", "/api/news/explain", ref);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const x = res.body;
        assert.deepEqual(x.forPosition, {
          held: false,
          qty: 0,
          value: null,
          pnl: null,
          whatItCouldMean:
            `You hold no ${moving.symbol}, so this does not move your account directly.`,
        });
        assert.ok(x.figures.every((f: { source: string }) => f.source !== "paper"));
        assert.deepEqual(x.unverified, []);
      },
    );

    await ctx.step(
      "Claude against the fake: the facts go in, untraceable figures come back unverified",
      async () => {
        const fake = await startFakeAnthropic();
        const offline = t.services.analyst;
        t.services.analyst = new ClaudeAnalyst(t.services, analystTools(), {
          apiKey: FAKE_API_KEY,
          model: "claude-sonnet-4-5",
          baseURL: fake.url,
          maxRetries: 0,
        });
        try {
          const shown = `${Math.abs(move).toFixed(2)} %`;
          fake.script({
            kind: "tools",
            calls: [{
              name: "answer",
              input: {
                summary:
                  `${moving.symbol} moved ${shown} on ${moving.date}; analysts see $123,456.78.`,
                whatItCouldMean: `Your 3 shares would move about ${shown} with it.`,
                figures: [
                  { label: "Move", value: move, unit: "%", source: "replay", asOf: moving.date },
                  {
                    label: "Invented",
                    value: 777.77,
                    unit: "USD",
                    source: "replay",
                    asOf: moving.date,
                  },
                ],
                // The position's numbers are not the model's to give: extra keys fail the schema.
              },
            }],
          });
          const res = await call(a, "POST", "/api/news/explain", ref);
          assert.equal(res.status, 200, JSON.stringify(res.body));
          const x = res.body;
          assert.equal(x.analyst, "claude");
          assert.equal(x.model, "claude-sonnet-4-5");
          assert.deepEqual(x.unverified, ["$123,456.78", "Invented: 777.77"]);
          assert.equal(x.forPosition.qty, 3, "from the broker, not the model");
          assert.match(x.forPosition.whatItCouldMean, /Your 3 shares/);
          // deno-lint-ignore no-explicit-any
          const sent = (fake.requests[0] as any).messages[0].content as string;
          assert.match(sent, new RegExp(`"symbol":"${moving.symbol}"`));
          assert.match(sent, /"held":true,"symbol":"[A-Z.]+","qty":3/);
          assert.ok(
            sent.includes(JSON.stringify(moving.numbers)),
            "the event's numbers are the input",
          );

          fake.script({
            kind: "error",
            status: 529,
            type: "overloaded_error",
            message: "Overloaded",
          });
          const busy = await call(a, "POST", "/api/news/explain", ref);
          assert.equal(busy.status, 503);
          assert.equal(busy.body.error.code, "analyst_overloaded");
        } finally {
          t.services.analyst = offline;
          await fake.close();
        }
      },
    );

    await ctx.step("bad input is a 4xx with the error shape", async () => {
      for (
        const body of [
          {},
          { ...ref, type: "rumour" },
          { ...ref, kind: "rumour" },
          { ...ref, date: "yesterday" },
          { ...ref, symbol: "$$$" },
          { ...ref, extra: 1 },
          { type: "news", id: "abc", symbol: "AAPL", createdAt: "2024-06-20T13:05:11Z" },
          { type: "news", id: "1", symbol: "AAPL", createdAt: "June" },
        ]
      ) {
        const res = await call(a, "POST", "/api/news/explain", body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(typeof res.body.error.code, "string");
      }
      assert.equal((await call(a, "POST", "/api/news/explain", "{type:")).status, 400);
      const unknown = await call(a, "POST", "/api/news/explain", { ...ref, symbol: "ZZZZ" });
      assert.equal(unknown.status, 422);
      const missing = await call(a, "POST", "/api/news/explain", { ...ref, date: "2001-01-02" });
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, "not_found");
      const news = await call(a, "POST", "/api/news/explain", {
        type: "news",
        id: "39284712",
        symbol: "AAPL",
        createdAt: "2024-06-20T13:05:11Z",
      });
      assert.equal(news.status, 409, "no news source offline");
      const anon = await t.app.request("/api/news/explain", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(ref),
      });
      assert.equal(anon.status, 401);
    });
  });
});

Deno.test("explain of an Alpaca news item (ALPACA_* at the fakes): found by its reference, grounded, failures a 503", async (ctx) => {
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000).toISOString();
  const item = {
    id: 39284712,
    headline: "Apple shares jump after analysts raise price targets on strong iPhone demand",
    summary: "Several firms lifted their targets.",
    created_at: at(50),
    symbols: ["AAPL"],
  };
  // More AAPL news after it than one lookup's limit: the item must still be found.
  const later = Array.from({ length: 120 }, (_, i) => ({
    id: 40_000_000 + i,
    headline: `Apple headline ${i}`,
    summary: "",
    created_at: at(49 - i * 0.3),
    symbols: ["AAPL"],
  }));
  const msft = {
    id: 39284999,
    headline: "Microsoft to present at an investor conference",
    summary: "",
    created_at: at(30),
    symbols: ["MSFT"],
  };
  const news = startFakeAlpacaNews([item, ...later, msft]);
  const broker = await startFakeAlpaca({ ...FAKE_KEY, prices: { AAPL: 100, MSFT: 300 } });
  const t = await openTestApp({
    ALPACA_KEY_ID: FAKE_KEY.keyId,
    ALPACA_SECRET_KEY: FAKE_KEY.secretKey,
    ALPACA_BASE_URL: broker.url,
    ALPACA_DATA_URL: news.url,
  }, { market: () => openReplayForTest() });
  try {
    const a = await trader(t);
    const buy = await call(a, "POST", "/api/orders", {
      symbol: "AAPL",
      side: "buy",
      type: "market",
      timeInForce: "day",
      qty: 3,
      clientOrderId: crypto.randomUUID(),
    });
    assert.equal(buy.status, 201, JSON.stringify(buy.body));
    const ref = { type: "news", id: String(item.id), symbol: "AAPL", createdAt: item.created_at };
    const msftRef = {
      type: "news",
      id: String(msft.id),
      symbol: "MSFT",
      createdAt: msft.created_at,
    };

    await ctx.step("the feed's item carries what its Explain control sends", async () => {
      const feed = await call(a, "GET", "/api/news?days=5&symbol=MSFT");
      assert.equal(feed.status, 200, JSON.stringify(feed.body));
      assert.equal(feed.body.mode, "alpaca");
      assert.equal(feed.body.news.items.length, 1);
      const listed = feed.body.news.items[0];
      const html = renderToString(h(AlpacaNews, { news: feed.body.news, csrf: "c" }));
      assert.match(html, /data-testid="news-explain-button"/);
      assert.match(html, new RegExp(`aria-label="Explain ${msft.headline}"`));
      // The control posts {type, id, symbol: symbols[0], createdAt} (lib/client/news/AlpacaNews.tsx).
      assert.deepEqual(
        { type: "news", id: listed.id, symbol: listed.symbols[0], createdAt: listed.createdAt },
        msftRef,
      );
    });

    await ctx.step(
      "for a holder: the model's label, the item's words, the broker's numbers",
      async () => {
        const res = await call(a, "POST", "/api/news/explain", ref);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const x = res.body;
        assert.equal(x.analyst, "offline");
        assert.equal(x.item.type, "news");
        assert.equal(x.item.news.id, ref.id);
        assert.equal(x.item.news.headline, item.headline);
        const scored = await call(a, "POST", "/api/ml-sentiment", {
          texts: [`${item.headline}. ${item.summary}`],
        });
        assert.equal(x.item.sentiment.label, scored.body.results[0].label);
        assert.equal(x.item.sentiment.confidence, scored.body.results[0].confidence);
        assert.ok(x.summary.includes(item.headline), x.summary);
        assert.ok(x.summary.includes(x.item.sentiment.label));
        assert.deepEqual(x.unverified, [], "every figure of the template is grounded");
        const position = (await call(a, "GET", "/api/positions")).body.positions
          .find((p: { symbol: string }) => p.symbol === "AAPL");
        assert.equal(x.forPosition.held, true);
        assert.equal(x.forPosition.qty, position.qty);
        assert.equal(x.forPosition.value, position.marketValue);
        assert.equal(x.forPosition.pnl, position.unrealizedPl);
        assert.match(x.forPosition.whatItCouldMean, /You hold 3 shares of AAPL long/);
        const conf = x.figures.find((f: { source: string }) => f.source === "sentiment model");
        assert.equal(conf.value, Math.round(x.item.sentiment.confidence * 10_000) / 100);
        assert.equal(conf.asOf, item.created_at.slice(0, 10));
        const shares = x.figures.find((f: { label: string }) => f.label === "Shares held");
        assert.equal(shares.value, 3);
        assert.equal(shares.source, "alpaca");

        // A symbol the (one, shared) Alpaca account does not hold.
        const other = await call(a, "POST", "/api/news/explain", msftRef);
        assert.equal(other.status, 200, JSON.stringify(other.body));
        assert.equal(other.body.forPosition.held, false);
        assert.equal(other.body.forPosition.qty, 0);
        assert.match(other.body.forPosition.whatItCouldMean, /You hold no MSFT/);
        assert.deepEqual(other.body.unverified, []);
      },
    );

    await ctx.step("the reference must name the item: same instant found, else 404", async () => {
      const offset = new Date(Date.parse(item.created_at) - 4 * 3_600_000).toISOString()
        .replace(/Z$/, "-04:00");
      const same = await call(a, "POST", "/api/news/explain", { ...ref, createdAt: offset });
      assert.equal(same.status, 200, "the same instant written with an offset");
      for (
        const wrong of [
          { ...ref, id: "123456" },
          { ...ref, symbol: "MSFT" },
          { ...ref, createdAt: at(74) },
          { ...ref, createdAt: at(26) },
        ]
      ) {
        const res = await call(a, "POST", "/api/news/explain", wrong);
        assert.equal(res.status, 404, JSON.stringify(wrong));
        assert.equal(res.body.error.code, "not_found");
      }
    });

    await ctx.step("Alpaca failing: 503 with the error shape, no secret anywhere", async () => {
      news.failNext(500);
      const asked = news.requests.length;
      // The same item written with +00:00: not yet cached, so the fake is asked (and fails).
      const res = await call(a, "POST", "/api/news/explain", {
        ...ref,
        createdAt: item.created_at.replace(/Z$/, "+00:00"),
      });
      assert.equal(res.status, 503, JSON.stringify(res.body));
      assert.equal(news.requests.length, asked + 1, "the fake was asked once and failed");
      assert.equal(res.body.error.code, "news_unavailable");
      assert.equal(typeof res.body.error.message, "string");
      assert.ok(!JSON.stringify(res.body).includes(FAKE_KEY.secretKey));
      assert.ok(!JSON.stringify(t.logs).includes(FAKE_KEY.secretKey));
    });
  } finally {
    await t.close();
    await broker.close();
    await news.close();
  }
});
