/**
 * Contract tests: the real Tradier client against the fake Tradier server (tests/fakes/tradier.ts),
 * which reproduces Tradier's documented behaviour on 127.0.0.1.
 */
import assert from "node:assert/strict";
import {
  type FakeTradier,
  type FakeTradierOptions,
  startFakeTradier,
} from "../../../tests/fakes/tradier.ts";
import { UnknownSymbolError, UpstreamError } from "../types.ts";
import { type TradierClientOptions, TradierMarketData } from "./client.ts";
import { createTradierMarketData } from "./mod.ts";

async function withFake(
  fn: (market: TradierMarketData, fake: FakeTradier) => Promise<void>,
  opts: { fake?: FakeTradierOptions; client?: Partial<TradierClientOptions> } = {},
) {
  const fake = await startFakeTradier(opts.fake);
  const market = new TradierMarketData({
    token: fake.token,
    baseUrl: fake.url,
    timeoutMs: 2_000,
    backoffBaseMs: 5,
    ...opts.client,
  });
  try {
    await fn(market, fake);
  } finally {
    await market.close();
    await fake.close();
  }
}

const rest = (fake: FakeTradier) => fake.requests.filter((r) => r.path.startsWith("/v1/markets"));

Deno.test("quotes: one symbol (a bare object upstream) maps every field", async () => {
  await withFake(async (market, fake) => {
    const [q] = await market.quotes(["AAPL"]);
    assert.equal(q.symbol, "AAPL");
    assert.equal(q.description, "Apple Inc");
    assert.equal(q.last, 211.84);
    assert.equal(q.prevClose, 210);
    assert.equal(q.change, 1.84);
    assert.equal(q.changePercent, 0.88);
    assert.equal(q.bid, 211.83);
    assert.equal(q.ask, 211.85);
    assert.equal(q.bidSize, 300, "equity sizes come in round lots of 100");
    assert.equal(q.askSize, 500);
    assert.equal(q.volume, 31877410);
    assert.deepEqual([q.open, q.high, q.low], [210.4, 212.5, 209.3]);
    assert.equal(q.timestamp, new Date(1718896201417).toISOString());
    assert.equal(q.source, "tradier");
    const [req] = rest(fake);
    assert.equal(req.method, "GET");
    assert.equal(req.params.symbols, "AAPL");
    assert.equal(req.authorized, true);
  });
});

Deno.test("quotes: many symbols keep the order asked; long lists go by POST", async () => {
  await withFake(async (market, fake) => {
    const quotes = await market.quotes(["SPY", "AAPL", "MSFT", "AAPL"]);
    assert.deepEqual(quotes.map((q) => q.symbol), ["SPY", "AAPL", "MSFT"]);
    assert.equal(rest(fake)[0].method, "GET");
  });
  await withFake(async (market, fake) => {
    const quotes = await market.quotes(["MSFT", "SPY"]);
    assert.deepEqual(quotes.map((q) => q.symbol), ["MSFT", "SPY"]);
    assert.equal(rest(fake)[0].method, "POST");
    assert.equal(rest(fake)[0].params.symbols, "MSFT,SPY");
  }, { client: { quotesPostAbove: 1 } });
});

Deno.test("quotes: an index has no market (bid/ask 0.0 → null); options keep contract sizes", async () => {
  await withFake(async (market) => {
    const [spx, opt] = await market.quotes(["SPX", "AAPL240621C00200000"]);
    assert.equal(spx.bid, null);
    assert.equal(spx.ask, null);
    assert.equal(opt.bidSize, 10);
    assert.equal(opt.last, 12);
  });
});

Deno.test("quotes: unmatched symbols → UnknownSymbolError (alone, mixed, several)", async () => {
  await withFake(async (market) => {
    await assert.rejects(market.quotes(["NOTREAL"]), (e: unknown) => {
      assert.ok(e instanceof UnknownSymbolError);
      assert.equal(e.symbol, "NOTREAL");
      return true;
    });
    await assert.rejects(
      market.quotes(["AAPL", "ZZZZ"]),
      (e: unknown) => e instanceof UnknownSymbolError && e.symbol === "ZZZZ",
    );
    await assert.rejects(
      market.quotes(["XX", "YY"]),
      (e: unknown) => e instanceof UnknownSymbolError && /XX, YY/.test(e.message),
    );
    assert.deepEqual(await market.quotes([]), []);
  });
});

Deno.test("bars: daily history over a range, a single day (bare object), weekly, monthly", async () => {
  await withFake(async (market, fake) => {
    const daily = await market.bars("AAPL", {
      interval: "daily",
      start: "2024-06-10",
      end: "2024-06-21",
    });
    // June 10-21 minus Juneteenth: 9 trading days.
    assert.equal(daily.bars.length, 9);
    assert.ok(!daily.bars.some((b) => b.time === "2024-06-19"));
    assert.deepEqual(daily.bars[0], {
      time: "2024-06-10",
      open: 212.5,
      high: 213.5,
      low: 210.75,
      close: 211.75,
      volume: 1_005_000,
    });
    assert.equal(daily.source, "tradier");
    const req = rest(fake).at(-1)!;
    assert.deepEqual(
      [req.path, req.params.interval, req.params.start, req.params.end],
      ["/v1/markets/history", "daily", "2024-06-10", "2024-06-21"],
    );

    const one = await market.bars("AAPL", {
      interval: "daily",
      start: "2024-06-20",
      end: "2024-06-20",
    });
    assert.deepEqual(one.bars.map((b) => b.time), ["2024-06-20"]);

    const weekly = await market.bars("AAPL", { interval: "weekly" });
    assert.deepEqual(weekly.bars.map((b) => b.time), [
      "2024-06-03",
      "2024-06-10",
      "2024-06-17",
      "2024-06-24",
    ]);
    for (const b of weekly.bars) assert.ok(b.high >= b.low && b.high >= b.open);

    const monthly = await market.bars("AAPL", { interval: "monthly" });
    assert.equal(monthly.bars.length, 1, "one month: a bare object upstream");
    assert.equal(monthly.bars[0].time, "2024-06-01");
  });
});

Deno.test("bars: empty range for a known symbol is [], for an unknown one UnknownSymbolError", async () => {
  await withFake(async (market, fake) => {
    const empty = await market.bars("AAPL", {
      interval: "daily",
      start: "2023-01-01",
      end: "2023-01-31",
    });
    assert.deepEqual(empty.bars, []);
    assert.equal(rest(fake).at(-1)!.path, "/v1/markets/quotes", "emptiness checked once");
    await assert.rejects(
      market.bars("NOPE", { interval: "daily" }),
      (e: unknown) => e instanceof UnknownSymbolError && e.symbol === "NOPE",
    );
  });
});

Deno.test("bars: intraday 1/5/15-minute bars come from time & sales in UTC instants", async () => {
  await withFake(async (market, fake) => {
    const counts: Record<string, number> = {};
    for (const interval of ["1min", "5min", "15min"] as const) {
      const b = await market.bars("AAPL", { interval, start: "2024-06-20", end: "2024-06-20" });
      counts[interval] = b.bars.length;
      // 09:30 New York in June is 13:30 UTC.
      assert.equal(b.bars[0].time, "2024-06-20T13:30:00.000Z");
      const req = rest(fake).at(-1)!;
      assert.equal(req.path, "/v1/markets/timesales");
      assert.equal(req.params.interval, interval);
      assert.equal(req.params.start, "2024-06-20 00:00");
      assert.equal(req.params.end, "2024-06-20 23:59");
    }
    assert.deepEqual(counts, { "1min": 390, "5min": 78, "15min": 26 });
  });
});

Deno.test("timeSales: ticks map to sales; a NaN price row is dropped; ISO range is sent in ET", async () => {
  await withFake(async (market, fake) => {
    const t = await market.timeSales("AAPL");
    assert.equal(t.sales.length, 4);
    assert.deepEqual(t.sales[1], { time: "2024-06-20T13:30:01.000Z", price: 210.01, size: 200 });
    assert.equal(rest(fake).at(-1)!.params.interval, "tick");

    const window = await market.timeSales("AAPL", {
      interval: "15min",
      start: "2024-06-20T14:00:00Z",
      end: "2024-06-20 10:30",
    });
    assert.equal(rest(fake).at(-1)!.params.start, "2024-06-20 10:00");
    assert.deepEqual(window.sales.map((s) => s.time), [
      "2024-06-20T14:00:00.000Z",
      "2024-06-20T14:15:00.000Z",
      "2024-06-20T14:30:00.000Z",
    ]);
    await assert.rejects(market.timeSales("NOPE"), UnknownSymbolError);
  });
});

Deno.test("clock: open gives nextClose, premarket gives nextOpen, closed gives neither", async () => {
  await withFake(async (market, fake) => {
    const open = await market.clock();
    assert.equal(open.state, "open");
    assert.equal(open.date, "2024-06-20");
    assert.equal(open.nextClose, "2024-06-20T20:00:00.000Z");
    assert.equal(open.nextOpen, null);
    assert.equal(open.timestamp, new Date(1718896352 * 1000).toISOString());

    fake.setClock({
      date: "2024-12-02",
      state: "premarket",
      next_change: "09:30",
      next_state: "open",
      description: "Market is in premarket",
    });
    const pre = await market.clock();
    assert.equal(pre.nextOpen, "2024-12-02T14:30:00.000Z", "EST is UTC-5");
    assert.equal(pre.nextClose, null);

    fake.setClock({ state: "closed", next_state: "premarket", next_change: "07:00" });
    const closed = await market.clock();
    assert.deepEqual([closed.state, closed.nextOpen, closed.nextClose], ["closed", null, null]);
  });
});

Deno.test("calendar: open and closed days, month sent as MM", async () => {
  await withFake(async (market, fake) => {
    const cal = await market.calendar(6, 2024);
    assert.deepEqual([cal.month, cal.year, cal.days.length], [6, 2024, 30]);
    assert.equal(rest(fake).at(-1)!.params.month, "06");
    const juneteenth = cal.days.find((d) => d.date === "2024-06-19")!;
    assert.deepEqual(juneteenth, {
      date: "2024-06-19",
      status: "closed",
      open: null,
      close: null,
      premarket: null,
      postmarket: null,
      description: "Market is closed for Juneteenth",
    });
    const tuesday = cal.days.find((d) => d.date === "2024-06-18")!;
    assert.equal(tuesday.open, "09:30");
    assert.equal(tuesday.close, "16:00");
    assert.deepEqual(tuesday.premarket, { start: "07:00", end: "09:24" });
  });
});

Deno.test("search: ticker lookup first, then company names; nothing found is []", async () => {
  await withFake(async (market, fake) => {
    const goo = await market.search("GOO");
    assert.deepEqual(goo.matches.map((m) => m.symbol), ["GOOGL", "GOOG"]);
    assert.equal(goo.matches[0].exchange, "NASDAQ");
    assert.equal(goo.matches[0].type, "stock");
    const paths = rest(fake).map((r) => r.path);
    assert.ok(paths.includes("/v1/markets/lookup") && paths.includes("/v1/markets/search"));

    const byName = await market.search("microsoft");
    assert.deepEqual(byName.matches.map((m) => [m.symbol, m.name]), [["MSFT", "Microsoft Corp"]]);

    const index = await market.search("S&P 500 Index");
    assert.deepEqual(index.matches.map((m) => [m.symbol, m.type]), [["SPX", "index"]]);

    assert.deepEqual((await market.search("qqqqqq")).matches, []);
  });
});

Deno.test("company: name and listing exchange from lookup, no invented sector", async () => {
  await withFake(async (market) => {
    const c = await market.company("AAPL");
    assert.deepEqual(
      { ...c, timestamp: "" },
      {
        symbol: "AAPL",
        name: "Apple Inc",
        exchange: "NASDAQ",
        sector: null,
        industry: null,
        source: "tradier",
        timestamp: "",
      },
    );
    assert.equal((await market.company("SPY")).exchange, "NYSE Arca");
    await assert.rejects(market.company("NOPE"), UnknownSymbolError);
  });
});

Deno.test("expirations: a list, a single date (bare string), none, unknown", async () => {
  await withFake(async (market) => {
    assert.deepEqual((await market.expirations("AAPL")).expirations, [
      "2024-06-21",
      "2024-06-28",
      "2024-07-19",
    ]);
    assert.deepEqual((await market.expirations("MSFT")).expirations, ["2024-06-21"]);
    assert.deepEqual((await market.expirations("SPY")).expirations, [], "known, no options");
    await assert.rejects(market.expirations("NOPE"), UnknownSymbolError);
  });
});

Deno.test("chain: Greeks and IV mapped, untraded contracts, single contract, no such expiration", async () => {
  await withFake(async (market, fake) => {
    const chain = await market.chain("AAPL", "2024-06-21");
    const chainReq = rest(fake).find((r) => r.path === "/v1/markets/options/chains")!;
    assert.equal(chainReq.params.greeks, "true");
    assert.equal(chain.underlyingPrice, 211.84);
    assert.equal(chain.options.length, 6);
    assert.deepEqual(
      chain.options.map((o) => `${o.strike}${o.type[0]}`),
      ["200c", "200p", "210c", "210p", "220c", "220p"],
    );
    const call = chain.options[0];
    assert.equal(call.symbol, "AAPL240621C00200000");
    assert.equal(call.underlying, "AAPL");
    assert.equal(call.expiration, "2024-06-21");
    assert.deepEqual(call.greeks, {
      delta: 0.55,
      gamma: 0.03,
      theta: -0.21,
      vega: 0.12,
      rho: 0.05,
      iv: 0.26,
    });
    assert.equal(call.openInterest, 500);
    const untraded = chain.options[5];
    assert.deepEqual([untraded.last, untraded.bid, untraded.ask], [null, null, null]);
    assert.equal(untraded.greeks?.iv, 0.3, "no mid → the smoothed surface volatility");

    const single = await market.chain("MSFT", "2024-06-21");
    assert.deepEqual(single.options.map((o) => o.symbol), ["MSFT240621C00440000"]);

    const none = await market.chain("AAPL", "2024-06-22");
    assert.deepEqual(none.options, []);
    await assert.rejects(market.chain("NOPE", "2024-06-21"), UnknownSymbolError);
  });
});

Deno.test('empty results written as the string "null" are empty too', async () => {
  await withFake(async (market) => {
    assert.deepEqual(
      (await market.bars("AAPL", { interval: "daily", start: "2020-01-01", end: "2020-01-02" }))
        .bars,
      [],
    );
    assert.deepEqual(
      (await market.timeSales("AAPL", { start: "2020-01-02", end: "2020-01-03" })).sales,
      [],
    );
    assert.deepEqual((await market.expirations("SPY")).expirations, []);
    assert.deepEqual((await market.chain("AAPL", "2030-01-01")).options, []);
    assert.deepEqual((await market.search("qqqq")).matches, []);
    await assert.rejects(market.expirations("NOPE"), UnknownSymbolError);
  }, { fake: { emptyAs: "string" } });
});

Deno.test("401: a wrong token is not retried and never appears in the error", async () => {
  const fake = await startFakeTradier();
  const secret = "s3cret-token-value";
  const market = createTradierMarketData({ token: secret, baseUrl: fake.url, maxRetries: 3 });
  try {
    await assert.rejects(market.quotes(["AAPL"]), (e: unknown) => {
      assert.ok(e instanceof UpstreamError);
      assert.equal(e.status, 401);
      assert.ok(!e.message.includes(secret) && !String(e.stack).includes(secret));
      return true;
    });
    assert.equal(rest(fake).length, 1);
    assert.equal(rest(fake)[0].authorized, false);
  } finally {
    await market.close();
    await fake.close();
  }
});

Deno.test("429: waits for the rate-limit window named in the headers, then succeeds", async () => {
  await withFake(async (market, fake) => {
    fake.fail(1, 429, { resetMs: 150 });
    const [q] = await market.quotes(["AAPL"]);
    assert.equal(q.symbol, "AAPL");
    const [first, second] = rest(fake);
    assert.equal(rest(fake).length, 2);
    assert.ok(second.at - first.at >= 140, `retried after ${second.at - first.at} ms`);
  });
});

Deno.test("rate limit: when Available reaches 0 the next request waits for Expiry, no 429", async () => {
  await withFake(async (market, fake) => {
    await market.clock();
    await market.clock(); // the window (2 per 250 ms) is now used up
    await market.clock();
    const [a, , c] = rest(fake);
    assert.equal(rest(fake).length, 3, "no rejected request was retried");
    assert.ok(c.at - a.at >= 240, `third request after ${c.at - a.at} ms`);
  }, { fake: { rateLimit: 2, rateWindowMs: 250 } });
});

Deno.test("500 then success: retried with backoff", async () => {
  await withFake(async (market, fake) => {
    fake.fail(2, 500);
    const c = await market.clock();
    assert.equal(c.state, "open");
    assert.equal(rest(fake).length, 3);
  });
});

Deno.test("persistent 5xx: a bounded number of attempts, then UpstreamError", async () => {
  await withFake(async (market, fake) => {
    fake.fail(10, 503);
    await assert.rejects(market.clock(), (e: unknown) => {
      assert.ok(e instanceof UpstreamError);
      assert.equal(e.status, 503);
      assert.match(e.message, /3 attempts/);
      assert.ok(!e.message.includes(fake.token));
      return true;
    });
    assert.equal(rest(fake).length, 3);
  }, { client: { maxRetries: 2 } });
});

Deno.test("timeout: a hanging request is abandoned and retried; always hanging → UpstreamError", async () => {
  await withFake(async (market, fake) => {
    fake.fail(1, "hang");
    assert.equal((await market.clock()).state, "open");
    assert.equal(rest(fake).length, 2);

    fake.fail(5, "hang");
    await assert.rejects(market.clock(), (e: unknown) => {
      assert.ok(e instanceof UpstreamError);
      assert.match(e.message, /timed out after 150 ms/);
      return true;
    });
    assert.equal(rest(fake).length, 4);
  }, { client: { timeoutMs: 150, maxRetries: 1 } });
});

Deno.test("a response of the wrong shape is an UpstreamError naming the field", async () => {
  const market = createTradierMarketData({
    token: "t",
    baseUrl: "http://127.0.0.1:1/v1",
    fetch: () => Promise.resolve(Response.json({ clock: { state: "lunch" } })),
  });
  await assert.rejects(market.clock(), (e: unknown) => {
    assert.ok(e instanceof UpstreamError);
    assert.match(e.message, /unexpected shape: clock\./);
    return true;
  });
  await market.close();
});

Deno.test("429 from an exhausted window: the rejected request waits for Expiry, then succeeds", async () => {
  await withFake(async (market, fake) => {
    // Sent together, both pass before either answer is seen; the second is over the limit.
    const [a, b] = await Promise.all([market.clock(), market.clock()]);
    assert.deepEqual([a.state, b.state], ["open", "open"]);
    const log = rest(fake);
    assert.equal(log.length, 3, "one 429, retried once");
    assert.ok(log[2].at - log[0].at >= 190, `retry after ${log[2].at - log[0].at} ms`);
  }, { fake: { rateLimit: 1, rateWindowMs: 200 } });
});
