/**
 * The market API over the real app: replay (pinned to an open session) through the KV cache,
 * and once against the fake Tradier server configured by TRADIER_TOKEN/TRADIER_BASE_URL.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { openTestApp, type TestApp } from "./_harness.ts";
import { signUp } from "./_auth.ts";
import { startFakeTradier } from "./fakes/tradier.ts";
import { CountingMarketData, openReplayForTest } from "../lib/market/testing.ts";
import { marketProvider } from "../lib/market/mod.ts";
import { nyTime } from "../lib/shared/ny_time.ts";

/** Each test signs up its own user; requests carry its bearer token. */
const bearers = new WeakMap<TestApp, Record<string, string>>();

function request(t: TestApp, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(bearers.get(t) ?? {})) headers.set(k, v);
  return t.app.request(path, { ...init, headers });
}

async function withApp(
  fn: (t: TestApp, counting: CountingMarketData) => Promise<void>,
): Promise<void> {
  let counting: CountingMarketData | undefined;
  const t = await openTestApp({}, {
    market: () => (counting = new CountingMarketData(openReplayForTest())),
  });
  try {
    bearers.set(t, (await signUp(t.app)).bearer);
    await fn(t, counting!);
  } finally {
    await t.close();
  }
}

async function get(t: TestApp, path: string) {
  const res = await request(t, path);
  const body = await res.json();
  return { status: res.status, body };
}

function isIso(s: unknown): boolean {
  return typeof s === "string" && !Number.isNaN(Date.parse(s));
}

Deno.test("GET /api/market/quote/:symbol: a labelled replay quote; aliases and case are canonicalized", async () => {
  await withApp(async (t) => {
    const { status, body } = await get(t, "/api/market/quote/AAPL");
    equal(status, 200);
    equal(body.symbol, "AAPL");
    equal(body.source, "replay");
    equal(body.intraday, "simulated"); // last, book and session so far come from the simulation
    ok(isIso(body.timestamp));
    ok(body.last > 0 && body.bid <= body.ask);
    ok(body.low <= body.last && body.last <= body.high);
    equal((await get(t, "/api/market/quote/aapl")).body.symbol, "AAPL");
    equal((await get(t, "/api/market/quote/%5EGSPC")).body.symbol, "SPX");
    equal((await get(t, "/api/market/quote/BRK-B")).body.symbol, "BRK.B");
  });
});

Deno.test("malformed symbols are 400 naming the problem, unknown ones 404", async () => {
  await withApp(async (t) => {
    for (const bad of ["AAPL1", "TOOLONGSYMBOL", "A%20B", "BRK.BB", "%24"]) {
      const { status, body } = await get(t, `/api/market/quote/${bad}`);
      equal(status, 400, bad);
      equal(body.error.code, "invalid_symbol", bad);
      match(body.error.message, /[Ss]ymbol/);
    }
    match((await get(t, "/api/market/quote/TOOLONGSYMBOL")).body.error.message, /too long/);
    const unknown = await get(t, "/api/market/quote/ZZZZ");
    equal(unknown.status, 404);
    equal(unknown.body.error.code, "not_found");
    match(unknown.body.error.message, /ZZZZ/);
    equal((await get(t, "/api/stock/QQQQ")).status, 404);
    equal((await get(t, "/api/options/expirations/QQQQ")).status, 404);
    equal((await get(t, "/api/market/bars/9X")).status, 400);
  });
});

Deno.test("GET /api/market/quotes: several symbols in order, de-duplicated, validated", async () => {
  await withApp(async (t) => {
    const { status, body } = await get(t, "/api/market/quotes?symbols=MSFT,spx,MSFT,%5EVIX");
    equal(status, 200);
    deepEqual(body.quotes.map((q: { symbol: string }) => q.symbol), ["MSFT", "SPX", "VIX"]);
    equal(body.source, "replay");
    equal(body.intraday, "simulated");
    deepEqual(body.quotes.map((q: { intraday?: string }) => q.intraday), [
      "simulated",
      "simulated",
      "simulated",
    ]);
    ok(isIso(body.timestamp));
    equal((await get(t, "/api/market/quotes")).status, 400);
    equal((await get(t, "/api/market/quotes?symbols=,,")).status, 400);
    const many = Array.from({ length: 51 }, (_, i) =>
      "A" + String.fromCharCode(65 + i % 26) +
      String.fromCharCode(65 + Math.floor(i / 26)));
    const tooMany = await get(t, `/api/market/quotes?symbols=${many.join(",")}`);
    equal(tooMany.status, 400);
    match(tooMany.body.error.message, /At most 50/);
    equal((await get(t, "/api/market/quotes?symbols=AAPL,ZZZZ")).status, 404);
  });
});

Deno.test("GET /api/market/bars: real daily history in range, intervals and dates validated", async () => {
  await withApp(async (t) => {
    const { status, body } = await get(
      t,
      "/api/market/bars/AAPL?interval=daily&start=2019-12-02&end=2019-12-31",
    );
    equal(status, 200);
    equal(body.source, "replay");
    equal(body.intraday, undefined, "real daily history only: nothing simulated");
    ok(isIso(body.timestamp));
    equal(body.interval, "daily");
    ok(body.bars.length >= 19 && body.bars.length <= 21, `${body.bars.length} December days`);
    for (const b of body.bars) {
      ok(b.time >= "2019-12-02" && b.time <= "2019-12-31", b.time);
      ok(b.high >= b.low && b.high >= b.open && b.high >= b.close && b.low <= b.open);
    }
    const intraday = await get(t, "/api/market/bars/AAPL?interval=5min");
    equal(intraday.status, 200);
    ok(intraday.body.bars.length > 0);
    equal(intraday.body.intraday, "simulated");
    // Through the open replay day: its partial daily bar is simulated, and labelled so.
    const today = await get(t, "/api/market/bars/AAPL?interval=daily");
    equal(today.status, 200);
    equal(today.body.bars.at(-1).time, nyTime(Date.parse(today.body.timestamp)).date);
    equal(today.body.intraday, "simulated");
    const weekly = await get(t, "/api/market/bars/AAPL?interval=weekly");
    equal(weekly.body.intraday, "simulated");
    for (
      const q of [
        "interval=2min",
        "start=2019-13-01",
        "start=2021-02-30",
        "start=2020-01-10&end=2020-01-01",
        "start=yesterday",
      ]
    ) {
      const r = await get(t, `/api/market/bars/AAPL?${q}`);
      equal(r.status, 400, q);
      equal(r.body.error.code, "validation_failed", q);
    }
  });
});

Deno.test("clock, calendar, search, time and sales and company info carry source and timestamp", async () => {
  await withApp(async (t) => {
    const clock = await get(t, "/api/market/clock");
    equal(clock.status, 200);
    equal(clock.body.state, "open");
    equal(clock.body.source, "replay");
    equal(clock.body.intraday, undefined);
    ok(isIso(clock.body.timestamp));

    const cal = await get(t, "/api/market/calendar?month=1&year=2020");
    equal(cal.status, 200);
    equal(cal.body.month, 1);
    equal(cal.body.days.find((d: { date: string }) => d.date === "2020-01-01").status, "closed");
    equal(cal.body.days.find((d: { date: string }) => d.date === "2020-01-02").status, "open");
    equal((await get(t, "/api/market/calendar?month=13")).status, 400);

    const search = await get(t, "/api/market/search?q=apple");
    equal(search.status, 200);
    ok(search.body.matches.some((m: { symbol: string }) => m.symbol === "AAPL"));
    equal(search.body.source, "replay");
    equal((await get(t, "/api/market/search")).status, 400);
    equal((await get(t, `/api/market/search?q=${"x".repeat(51)}`)).status, 400);

    const ts = await get(t, "/api/market-data/timesales/AAPL?interval=1min");
    equal(ts.status, 200);
    equal(ts.body.source, "replay");
    equal(ts.body.intraday, "simulated");
    ok(ts.body.sales.length > 0);
    for (const s of ts.body.sales) ok(s.price > 0 && isIso(s.time));
    equal((await get(t, "/api/market-data/timesales/AAPL?interval=hour")).status, 400);
    equal((await get(t, "/api/market-data/timesales/AAPL?start=noon")).status, 400);

    const company = await get(t, "/api/stock/MSFT");
    equal(company.status, 200);
    equal(company.body.symbol, "MSFT");
    match(company.body.name, /Microsoft/);
    equal(company.body.source, "replay");
    equal(company.body.intraday, undefined);
    ok(isIso(company.body.timestamp));
  });
});

Deno.test("time & sales: real times only, bounded windows, one short-lived cache entry per window", async () => {
  await withApp(async (t, counting) => {
    const ts = (q: string) => get(t, `/api/market-data/timesales/AAPL?${q}`);
    for (
      const q of [
        "start=2020-01-02 25:99",
        "start=2020-01-02 24:00",
        "start=2020-01-02 23:60",
        "start=2020-02-30",
        "end=2021-13-01",
      ]
    ) {
      const r = await ts(q);
      equal(r.status, 400, q);
      equal(r.body.error.code, "validation_failed");
    }
    const reversed = await ts("start=2020-01-03 10:00&end=2020-01-03 09:59");
    equal(reversed.status, 400);
    match(reversed.body.error.message, /end must not be before start/);
    for (
      const [q, limit] of [
        ["interval=tick&start=2020-01-02 15:00&end=2020-01-03 09:30", /1 trading day/],
        ["interval=1min&start=2020-01-02&end=2020-01-23", /20 days for 1min/],
        ["interval=5min&start=2020-01-02&end=2020-02-12", /40 days for 5min/],
        ["interval=15min&start=2020-01-02&end=2020-02-12", /40 days/],
      ] as const
    ) {
      const r = await ts(q);
      equal(r.status, 400, q);
      match(r.body.error.message, limit);
    }
    equal((await ts("interval=1min&start=2020-01-02&end=2020-01-22")).status, 200);
    equal((await ts("interval=15min&start=2020-01-02&end=2020-02-11")).status, 200);

    // One window, three spellings (a missing end is the widest allowed): one upstream call.
    const before = counting.calls.timeSales;
    for (
      const q of [
        "interval=tick&start=2020-01-03",
        "interval=tick&start=2020-01-03 00:00",
        "interval=tick&start=2020-01-03&end=2020-01-03 23:59",
      ]
    ) {
      equal((await ts(q)).status, 200, q);
    }
    equal(counting.calls.timeSales - before, 1);

    // Time & sales entries are not kept for a day past their 5 s TTL.
    let entries = 0;
    for await (
      const e of t.services.kv.list<{ fetchedAt: number; staleUntil: number }>({
        prefix: ["cache", "quote"],
      })
    ) {
      if (!e.key.includes("timesales")) continue;
      entries++;
      ok(e.value.staleUntil - e.value.fetchedAt <= 15 * 60_000, String(e.key));
    }
    equal(entries, 3);
  });
});

Deno.test("options: expirations, a chain with Greeks, and its validation", async () => {
  await withApp(async (t) => {
    const exp = await get(t, "/api/options/expirations/AAPL");
    equal(exp.status, 200);
    equal(exp.body.source, "replay");
    ok(exp.body.expirations.length > 0);
    const expiration = exp.body.expirations[1];
    const chain = await get(t, `/api/options/chain/AAPL?expiration=${expiration}`);
    equal(chain.status, 200);
    equal(chain.body.source, "replay");
    equal(chain.body.expiration, expiration);
    ok(isIso(chain.body.timestamp));
    const calls = chain.body.options.filter((o: { type: string }) => o.type === "call");
    ok(calls.length > 0);
    for (const o of chain.body.options) {
      ok(o.greeks, o.symbol);
      ok(Number.isFinite(o.greeks.delta));
      ok(o.type === "call" ? o.greeks.delta >= 0 : o.greeks.delta <= 0);
    }
    equal((await get(t, "/api/options/chain/AAPL")).status, 400);
    equal((await get(t, "/api/options/chain/AAPL?expiration=soon")).status, 400);
  });
});

Deno.test("POST /api/options/greeks prices an option, or implies its volatility from a price", async () => {
  await withApp(async (t) => {
    const post = async (body: unknown) => {
      const res = await request(t, "/api/options/greeks", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const hull = { type: "call", spot: 42, strike: 40, years: 0.5, rate: 0.1 };
    const priced = await post({ ...hull, volatility: 0.2 });
    equal(priced.status, 200);
    ok(Math.abs(priced.body.price - 4.76) < 0.005);
    equal(priced.body.iv, null);
    equal(priced.body.source, "calculator");
    ok(isIso(priced.body.timestamp));
    for (const k of ["delta", "gamma", "theta", "vega", "rho"]) {
      equal(typeof priced.body[k], "number", k);
    }

    const implied = await post({ ...hull, price: priced.body.price });
    equal(implied.status, 200);
    ok(Math.abs(implied.body.iv - 0.2) < 1e-8);

    const byDays = await post({ ...hull, years: undefined, days: 182.5, volatility: 0.2 });
    ok(Math.abs(byDays.body.price - priced.body.price) < 1e-12);

    const noFit = await post({ ...hull, price: 1 });
    equal(noFit.status, 422);
    equal(noFit.body.error.code, "no_implied_volatility");
    match(noFit.body.error.message, /intrinsic/);

    for (
      const bad of [
        { ...hull },
        { ...hull, volatility: 0.2, price: 4 },
        { ...hull, years: undefined, volatility: 0.2 },
        { ...hull, spot: -1, volatility: 0.2 },
        { ...hull, type: "straddle", volatility: 0.2 },
        { ...hull, volatility: 0.2, extra: 1 },
      ]
    ) {
      const r = await post(bad);
      equal(r.status, 400, JSON.stringify(bad));
      equal(r.body.error.code, "validation_failed");
    }
    const notJson = await request(t, "/api/options/greeks", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    equal(notJson.status, 400);
  });
});

Deno.test("API reads go through the cache: repeated requests reach the source once", async () => {
  await withApp(async (t, counting) => {
    for (let i = 0; i < 10; i++) {
      const { status, body } = await get(t, "/api/market/quote/KO");
      equal(status, 200);
      equal(body.intraday, "simulated", "the label survives the cache");
    }
    equal(counting.calls.quotes, 1);
    await get(t, "/api/stock/KO");
    await get(t, "/api/stock/KO");
    equal(counting.calls.company, 1);
  });
});

Deno.test("a failing source: 503 when nothing is cached, health says market data is down", async () => {
  await withApp(async (t, counting) => {
    const healthy = await get(t, "/api/health");
    equal(healthy.body.services.market_data.state, "up");
    equal(healthy.body.services.market_data.mode, "replay");

    counting.failWith = "connection refused";
    const res = await get(t, "/api/market/quote/PEP");
    equal(res.status, 503);
    equal(res.body.error.code, "service_unavailable");
    // The health probe reads the clock through the cache: forget it so the probe reaches the source.
    await t.services.cache.delete("quote", [marketProvider(t.services.config), "clock"]);
    const health = await get(t, "/api/health");
    equal(health.body.services.market_data.state, "down");
    equal(health.body.status, "degraded");
  });
});

Deno.test("with TRADIER_TOKEN the same API answers from Tradier (the fake), labelled tradier", async () => {
  const fake = await startFakeTradier();
  const t = await openTestApp({ TRADIER_TOKEN: fake.token, TRADIER_BASE_URL: fake.url });
  try {
    bearers.set(t, (await signUp(t.app)).bearer);
    equal(t.services.market.source, "tradier");
    const quote = await get(t, "/api/market/quote/AAPL");
    equal(quote.status, 200);
    equal(quote.body.source, "tradier");
    equal(quote.body.intraday, undefined, "live data is never labelled simulated");
    equal(quote.body.symbol, "AAPL");
    ok(quote.body.last > 0);
    ok(isIso(quote.body.timestamp));
    const unknown = await get(t, "/api/market/quote/ZZZZ");
    equal(unknown.status, 404);
    const clock = await get(t, "/api/market/clock");
    equal(clock.body.source, "tradier");
    const health = await get(t, "/api/health");
    equal(health.body.services.market_data.mode, "tradier");
    equal(health.body.services.market_data.state, "up");
    // The token went in the Authorization header, never into a response or a log line.
    ok(fake.requests.every((r) => r.authorized));
    ok(!JSON.stringify(t.logs).includes(fake.token));
    ok(!JSON.stringify(quote.body).includes(fake.token));
  } finally {
    await t.close();
    await fake.close();
  }
});

Deno.test("the market API needs a signed-in caller", async () => {
  await withApp(async (t) => {
    const res = await t.app.request("/api/market/quote/AAPL");
    equal(res.status, 401);
    equal((await res.json()).error.code, "unauthorized");
  });
});

Deno.test("symbol pages: a known symbol renders with its company; an unknown one is a 404 page", async () => {
  await withApp(async (t) => {
    const ok200 = await request(t, "/symbol/AAPL");
    equal(ok200.status, 200);
    match(await ok200.text(), /Apple/);
    const unknown = await request(t, "/symbol/ZZZZ");
    equal(unknown.status, 404);
    equal((await unknown.text()).includes("<html"), true);
    const malformed = await request(t, "/symbol/TOOLONGX");
    equal(malformed.status, 400);
    await malformed.body?.cancel();
  });
});
