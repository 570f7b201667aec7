/**
 * Backtest bars from Tradier, against the fake Tradier server (tests/fakes/tradier.ts) over real
 * HTTP: the calendar and the prices are the fake's, reads are cached, year-rounded and bounded.
 */
import assert from "node:assert/strict";
import { type FakeTradier, startFakeTradier } from "../../tests/fakes/tradier.ts";
import { TradierMarketData } from "../market/tradier/client.ts";
import { History } from "../market/replay/history.ts";
import { UnknownSymbolError } from "../market/types.ts";
import { TEMPLATES } from "../strategy/templates.ts";
import { loadPanel } from "./data.ts";
import { sweep } from "./run.ts";
import { TRADIER_BENCHMARK, tradierBars, type TradierBarsOptions } from "./tradier_bars.ts";

const history = new History();

async function withFake(
  fn: (market: TradierMarketData, fake: FakeTradier) => Promise<void>,
) {
  const fake = await startFakeTradier({
    historyFrom: "2023-01-03",
    listings: { GOOG: "2024-02-01" },
    rateLimit: 10_000,
  });
  const market = new TradierMarketData({ token: fake.token, baseUrl: fake.url, backoffBaseMs: 5 });
  try {
    await fn(market, fake);
  } finally {
    await market.close();
    await fake.close();
  }
}

const historyReads = (fake: FakeTradier) =>
  fake.requests.filter((r) => r.path === "/v1/markets/history");

const open = (market: TradierMarketData, o: Partial<TradierBarsOptions> = {}) =>
  tradierBars(market, { history: () => history, ...o });

Deno.test("a Tradier panel: SPY's calendar, the fake's prices, NaN before a listing", async () => {
  await withFake(async (market) => {
    const bars = open(market);
    const panel = await loadPanel(bars, {
      symbols: ["AAPL", "GOOG"],
      start: "2024-01-02",
      end: "2024-06-28",
      warmup: 50,
      adjustment: "split",
      benchmark: "SPX",
    });
    assert.equal(panel.source, "tradier");
    assert.equal(panel.benchmarkSymbol, TRADIER_BENCHMARK);
    assert.match(panel.notes.adjustment, /Tradier/);

    // The calendar is SPY's trading days as the fake serves them: 50 warm-up bars before the
    // start, and nothing after the last completed session (the fake's clock says 2024-06-20).
    const spy = await market.bars("SPY", {
      interval: "daily",
      start: "2023-01-01",
      end: "2024-06-19",
    });
    const days = spy.bars.map((b) => b.time);
    const s0 = days.indexOf("2024-01-02");
    assert.deepEqual(panel.dates, days.slice(s0 - 50));
    assert.equal(panel.startIndex, 50);
    assert.equal(panel.dates.at(-1), "2024-06-18", "06-19 is a holiday, 06-20 still trading");
    assert.ok(!panel.dates.includes("2024-01-15"), "a holiday is no bar");
    spy.bars.slice(s0 - 50).forEach((b, i) => assert.equal(panel.benchmark[i], b.close));

    const aapl = await market.bars("AAPL", {
      interval: "daily",
      start: panel.dates[0],
      end: "2024-06-18",
    });
    assert.equal(aapl.bars.length, panel.dates.length);
    aapl.bars.forEach((b, i) => {
      assert.equal(panel.open[0][i], b.open);
      assert.equal(panel.close[0][i], b.close);
      assert.equal(panel.high[0][i], b.high);
      assert.equal(panel.low[0][i], b.low);
    });

    const listed = panel.dates.indexOf("2024-02-01");
    assert.ok(listed > panel.startIndex);
    for (let i = 0; i < listed; i++) assert.ok(Number.isNaN(panel.close[1][i]));
    for (let i = listed; i < panel.dates.length; i++) assert.ok(panel.close[1][i] > 0);
    assert.deepEqual(panel.sectors, [
      history.resolve("AAPL")!.sector,
      history.resolve("GOOG")?.sector ?? null,
    ]);
  });
});

Deno.test("reads are year-rounded and kept: a second load and a sweep read nothing again", async () => {
  await withFake(async (market, fake) => {
    const bars = open(market);
    const req = {
      symbols: ["AAPL", "MSFT"],
      start: "2023-09-01",
      end: "2024-05-31",
      warmup: 50,
      adjustment: "split" as const,
    };
    await loadPanel(bars, req);
    const reads = historyReads(fake);
    assert.equal(reads.length, 3, "AAPL, MSFT and the calendar's SPY");
    for (const r of reads) {
      assert.equal(r.params.start, "2023-01-01");
      assert.equal(r.params.end, "2024-12-31");
    }
    await loadPanel(bars, { ...req, start: "2023-11-01", end: "2024-03-28" });
    const res = await sweep(
      bars,
      { rules: TEMPLATES["sma-cross"].rules, symbols: req.symbols, start: req.start, end: req.end },
      { fast: [5, 10], slow: [30, 40] },
      "sharpe",
    );
    assert.equal(res.tried, 4);
    assert.equal(historyReads(fake).length, 3);
  });
});

Deno.test("kept series expire with the bars TTL, and at most `concurrency` reads run at once", async () => {
  await withFake(async (market, fake) => {
    let t = 0;
    let inFlight = 0;
    let most = 0;
    const read = market.bars.bind(market);
    market.bars = async (symbol, query) => {
      most = Math.max(most, ++inFlight);
      try {
        return await read(symbol, query);
      } finally {
        inFlight--;
      }
    };
    const bars = open(market, { concurrency: 2, ttlMs: 1000, now: () => t });
    const symbols = ["AAPL", "MSFT", "GOOGL", "GOOG", "SPY"];
    const req = { symbols, start: "2024-01-02", end: "2024-06-14", warmup: 20 };
    await loadPanel(bars, { ...req, adjustment: "split" });
    assert.equal(most, 2);
    assert.equal(historyReads(fake).length, 5, "SPY is read once for calendar and symbol");
    t = 999;
    await loadPanel(bars, { ...req, adjustment: "split" });
    assert.equal(historyReads(fake).length, 5);
    t = 2001;
    await loadPanel(bars, { ...req, adjustment: "split" });
    assert.equal(historyReads(fake).length, 10);
  });
});

Deno.test("unknown symbols are named, total return is refused, an unknown one fails loading", async () => {
  await withFake(async (market) => {
    const bars = open(market);
    assert.deepEqual(await bars.unknown(["AAPL", "NOPE", "msft", "ZZZZ"]), ["NOPE", "ZZZZ"]);
    assert.deepEqual(await bars.unknown(["AAPL", "SPY"]), []);
    const req = { start: "2024-01-02", end: "2024-06-14", warmup: 20 };
    await assert.rejects(
      loadPanel(bars, { ...req, symbols: ["AAPL"], adjustment: "total_return" }),
      /total_return prices are not available from tradier/,
    );
    await assert.rejects(
      loadPanel(bars, { ...req, symbols: ["NOPE"], adjustment: "split" }),
      (e: unknown) => e instanceof UnknownSymbolError && e.symbol === "NOPE",
    );
    await assert.rejects(
      loadPanel(bars, {
        ...req,
        start: "2021-01-04",
        end: "2021-06-30",
        symbols: ["AAPL"],
        adjustment: "split",
      }),
      /No trading days between 2021-01-04 and 2021-06-30 in the tradier history/,
    );
  });
});
