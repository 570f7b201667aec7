import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import fc from "fast-check";
import { UnknownSymbolError } from "../types.ts";
import { CLOSE, OPEN } from "./clock.ts";
import { History } from "./history.ts";
import { createReplayMarketData, DEFAULT_REPLAY_EPOCH } from "./mod.ts";
import { nyInstant, nyTime } from "../exchange_time.ts";

// The default epoch (2026-11-02) is a Monday: its weekdays replay 2020-01-02, 01-03, 01-06, …
const history = new History();
const spx = await history.series("SPX");
const aapl = await history.series("AAPL");

/**
 * A replay whose real clock reads New York `date` at `hours`; `set` moves it, and
 * `clockReads(n)` resolves once the replay has read that clock `n` more times (a stream reads
 * it once per tick to learn whether the market is open).
 */
function replayAt(
  date: string,
  hours: number,
  opts: Parameters<typeof createReplayMarketData>[0] = {},
) {
  let t = nyInstant(date, hours * 3600);
  let reads = 0;
  let waiters: { at: number; resolve: () => void }[] = [];
  const now = () => {
    reads++;
    for (const w of waiters) if (reads >= w.at) w.resolve();
    waiters = waiters.filter((w) => reads < w.at);
    return t;
  };
  const md = createReplayMarketData({ now, ...opts });
  return {
    md,
    set: (d: string, h: number) => void (t = nyInstant(d, h * 3600)),
    clockReads: (n: number) =>
      new Promise<void>((resolve) => waiters.push({ at: reads + n, resolve })),
  };
}

const row = (date: string) => aapl.row.get(date)!;

Deno.test("the shipped universe: 107 stocks plus SPX and VIX, each series ordered and valid", async () => {
  const list = history.list();
  equal(list.length, 109);
  equal(list.filter((s) => s.type === "index").map((s) => s.symbol).sort().join(), "SPX,VIX");
  for (const info of list) {
    const s = await history.series(info.symbol);
    equal(s.dates[0], info.firstDate);
    equal(s.dates.at(-1), info.lastDate);
    for (let r = 1; r < s.dates.length; r++) ok(s.dates[r] > s.dates[r - 1]);
    for (let r = 0; r < s.dates.length; r++) {
      ok(
        s.low[r] <= Math.min(s.open[r], s.close[r]) && s.high[r] >= Math.max(s.open[r], s.close[r]),
      );
    }
  }
  equal(spx.dates.length, 2340);
  equal(aapl.close[row("2021-04-21")], 133.5);
});

Deno.test("before the open: the previous close, no day range, the previous close's time", async () => {
  const { md } = replayAt(DEFAULT_REPLAY_EPOCH, 8);
  const [q] = await md.quotes(["AAPL"]);
  equal(q.replayDate, "2020-01-02");
  equal(q.source, "replay");
  equal(q.prevClose, aapl.close[row("2019-12-31")]);
  equal(q.last, q.prevClose);
  equal(q.change, 0);
  equal(q.volume, 0);
  equal(q.open, null);
  equal(q.timestamp, new Date(nyInstant("2019-12-31", CLOSE - 1)).toISOString());
  equal((await md.clock()).state, "premarket");
  const daily = await md.bars("AAPL", { interval: "daily" });
  equal(daily.bars.at(-1)!.time, "2019-12-31");
  deepEqual((await md.bars("AAPL", { interval: "1min" })).bars, []);
  deepEqual((await md.timeSales("AAPL")).sales, []);
  await md.close();
});

Deno.test("during the session a quote stays inside the real day and never looks ahead", async () => {
  const { md, set } = replayAt(DEFAULT_REPLAY_EPOCH, 10);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: OPEN, max: CLOSE - 1 }),
      async (weekdays, seconds) => {
        // The 40 weekdays after the epoch, skipping weekends.
        const d = new Date(
          Date.UTC(2026, 10, 2) + (weekdays + 2 * Math.floor(weekdays / 5)) * 864e5,
        );
        set(d.toISOString().slice(0, 10), seconds / 3600);
        const [q] = await md.quotes(["AAPL"]);
        const r = row(q.replayDate!);
        ok(q.low! <= q.last! && q.last! <= q.high!);
        ok(q.high! <= aapl.high[r] && q.low! >= aapl.low[r]);
        equal(q.open, aapl.open[r]);
        ok(q.volume! <= aapl.volume[r]);
        equal(q.prevClose, aapl.close[r - 1]);
        const at = Date.parse(q.timestamp);
        const local = nyTime(at);
        equal(local.date, q.replayDate);
        ok(local.seconds >= OPEN && local.seconds < CLOSE && local.seconds <= seconds);
        ok(q.bid! <= q.last! && q.last! <= q.ask!);

        const daily = await md.bars("AAPL", { interval: "daily" });
        const last = daily.bars.at(-1)!;
        equal(last.time, q.replayDate);
        deepEqual([last.open, last.high, last.low, last.close, last.volume], [
          q.open,
          q.high,
          q.low,
          q.last,
          q.volume,
        ]);
        ok(daily.bars.every((b) => b.time <= q.replayDate!));
        const sales = (await md.timeSales("AAPL", { interval: "1min" })).sales;
        ok(sales.every((s) => Date.parse(s.time) <= at));
        equal(sales.reduce((a, s) => a + s.size, 0), q.volume);
      },
    ),
    { numRuns: 25 },
  );
  await md.close();
});

Deno.test("after the close: the real day exactly; time and sales only inside market hours", async () => {
  const { md } = replayAt("2026-11-04", 17.5); // replay 2020-01-06
  const [q] = await md.quotes(["AAPL"]);
  const r = row("2020-01-06");
  equal(q.replayDate, "2020-01-06");
  deepEqual([q.open, q.high, q.low, q.last, q.volume], [
    aapl.open[r],
    aapl.high[r],
    aapl.low[r],
    aapl.close[r],
    aapl.volume[r],
  ]);
  equal((await md.clock()).state, "postmarket");
  const ticks = (await md.timeSales("AAPL")).sales;
  ok(ticks.length > 20_000);
  let prev = 0;
  for (const t of ticks) {
    const ms = Date.parse(t.time);
    ok(ms > prev, "strictly increasing times");
    prev = ms;
    const local = nyTime(ms);
    ok(local.date === "2020-01-06" && local.seconds >= OPEN && local.seconds < CLOSE);
  }
  equal(ticks.reduce((a, t) => a + t.size, 0), aapl.volume[r]);
  equal(Math.max(...ticks.map((t) => t.price)), aapl.high[r]);
  equal(Math.min(...ticks.map((t) => t.price)), aapl.low[r]);
  equal(ticks.at(-1)!.price, aapl.close[r]);
  const five = (await md.bars("AAPL", { interval: "5min" })).bars;
  equal(five.length, 78);
  equal(five[0].time, "2020-01-06T14:30:00.000Z");
  await md.close();
});

Deno.test("weekly and monthly bars aggregate the daily ones", async () => {
  const { md } = replayAt("2026-12-01", 12);
  const range = { start: "2019-01-01", end: "2019-12-31" };
  const daily = (await md.bars("MSFT", { interval: "daily", ...range })).bars;
  const weekly = (await md.bars("MSFT", { interval: "weekly", ...range })).bars;
  const monthly = (await md.bars("MSFT", { interval: "monthly", ...range })).bars;
  equal(daily.length, 252);
  equal(monthly.length, 12);
  ok(weekly.length >= 52 && weekly.length <= 53);
  const sum = (bars: { volume: number }[]) => bars.reduce((a, b) => a + b.volume, 0);
  equal(sum(weekly), sum(daily));
  equal(sum(monthly), sum(daily));
  equal(Math.max(...monthly.map((b) => b.high)), Math.max(...daily.map((b) => b.high)));
  equal(monthly[0].open, daily[0].open);
  equal(monthly.at(-1)!.close, daily.at(-1)!.close);
  const march = daily.filter((b) => b.time.startsWith("2019-03"));
  deepEqual(monthly[2], {
    time: march[0].time,
    open: march[0].open,
    high: Math.max(...march.map((b) => b.high)),
    low: Math.min(...march.map((b) => b.low)),
    close: march.at(-1)!.close,
    volume: sum(march),
  });
  await md.close();
});

Deno.test("symbols: aliases, indices without a book, unknown and not-yet-listed symbols", async () => {
  const { md } = replayAt(DEFAULT_REPLAY_EPOCH, 12);
  const qs = await md.quotes(["^GSPC", "vix", "brk-b"]);
  deepEqual(qs.map((q) => q.symbol), ["SPX", "VIX", "BRK.B"]);
  equal(qs[0].bid, null);
  equal(qs[1].volume, null);
  ok(qs[2].bid! > 0);
  await rejects(md.quotes(["AAPL", "ZZZZ"]), UnknownSymbolError);
  await rejects(md.company("NOPE"), UnknownSymbolError);
  await rejects(md.bars("NOPE", { interval: "daily" }), UnknownSymbolError);
  throws(() => md.stream(["NOPE"]), UnknownSymbolError);
  await md.close();

  const early = replayAt(DEFAULT_REPLAY_EPOCH, 12, { start: "2012-03-01" });
  await rejects(early.md.quotes(["FB"]), /FB on the replay day 2012-03-01/);
  await rejects(early.md.bars("FB", { interval: "daily" }), UnknownSymbolError);
  await early.md.close();
});

Deno.test("search and company info", async () => {
  const { md } = replayAt(DEFAULT_REPLAY_EPOCH, 12);
  equal((await md.search("apple")).matches[0].symbol, "AAPL");
  equal((await md.search("aapl")).matches[0].symbol, "AAPL");
  equal((await md.search("s&p 500")).matches[0].symbol, "SPX");
  equal((await md.search("s&p")).matches.length, 2); // S&P Global too
  deepEqual((await md.search("  ")).matches, []);
  ok((await md.search("bank")).matches.some((m) => m.symbol === "BAC"));
  const c = await md.company("aapl");
  deepEqual(
    { ...c, timestamp: undefined },
    {
      symbol: "AAPL",
      name: "Apple Inc.",
      exchange: null,
      sector: "Information Technology",
      industry: "Technology Hardware, Storage & Peripherals",
      source: "replay",
      timestamp: undefined,
    },
  );
  await md.close();
});

Deno.test("clock and calendar describe the replay day", async () => {
  const { md, set } = replayAt(DEFAULT_REPLAY_EPOCH, 12);
  let c = await md.clock();
  equal(c.state, "open");
  equal(c.date, "2020-01-02");
  equal(c.replayDate, "2020-01-02");
  equal(c.nextClose, "2020-01-02T21:00:00.000Z");
  equal(c.nextOpen, "2020-01-03T14:30:00.000Z");
  set("2026-11-06", 21); // Friday night → replay 2020-01-08, closed
  c = await md.clock();
  equal(c.state, "closed");
  equal(c.date, "2020-01-08");
  set("2026-11-07", 12); // Saturday: still Friday's replay day
  equal((await md.clock()).date, "2020-01-08");
  const cal = await md.calendar(1, 2020);
  equal(cal.days.length, 31);
  equal(cal.days.filter((d) => d.status === "open").length, 21);
  equal(cal.days[0].status, "closed"); // New Year's Day
  equal(cal.days[19].status, "closed"); // Martin Luther King Jr. Day
  equal(cal.days[1].open, "09:30");
  await md.close();
});

Deno.test("speed 4: each real hour replays four, so noon of day 0 is the third day's midnight", async () => {
  const { md, set } = replayAt(DEFAULT_REPLAY_EPOCH, 12, { speed: 4 });
  const third = spx.dates[spx.row.get("2020-01-02")! + 2];
  let c = await md.clock();
  equal(c.date, third);
  equal(c.state, "closed"); // 48 virtual hours in: midnight of the third day
  equal(c.timestamp, new Date(nyInstant(third, 0)).toISOString());
  set(DEFAULT_REPLAY_EPOCH, 14.5); // 58 virtual hours in: 10:00 on the third day
  c = await md.clock();
  equal(c.date, third);
  equal(c.state, "open");
  equal(c.timestamp, new Date(nyInstant(third, 10 * 3600)).toISOString());
  await md.close();
});

Deno.test("the same moment replays identically in two instances", async () => {
  const a = replayAt("2026-11-10", 13.25).md;
  const b = replayAt("2026-11-10", 13.25).md;
  deepEqual(await a.quotes(["AAPL", "SPX", "TSLA"]), await b.quotes(["AAPL", "SPX", "TSLA"]));
  await a.close();
  await b.close();
});

Deno.test("option chains: listed expirations, priced around the replayed price", async () => {
  const { md } = replayAt(DEFAULT_REPLAY_EPOCH, 12);
  const exp = await md.expirations("AAPL");
  equal(exp.expirations[0], "2020-01-03");
  ok(exp.expirations.includes("2020-01-17"));
  deepEqual((await md.expirations("VIX")).expirations, []);
  const chain = await md.chain("AAPL", "2020-01-17");
  const [q] = await md.quotes(["AAPL"]);
  equal(chain.underlyingPrice, q.last);
  equal(chain.source, "replay");
  ok(chain.options.length >= 40);
  for (const o of chain.options) {
    ok(o.bid! >= 0 && o.ask! > o.bid!);
    ok(o.greeks!.iv! >= 0.05 && o.greeks!.iv! < 2);
    ok(o.symbol.startsWith("AAPL200117"));
    if (o.type === "call") ok(o.ask! >= Math.max(0, q.last! - o.strike) - 0.05);
  }
  await rejects(md.chain("AAPL", "2020-01-18"), UnknownSymbolError);
  const spxChain = await md.chain("SPX", "2020-01-10");
  ok(spxChain.options[0].symbol.startsWith("SPXW200110"));
  await md.close();
});

Deno.test("the stream sends a snapshot, then quotes only while the market is open", async () => {
  const { md, set, clockReads } = replayAt(DEFAULT_REPLAY_EPOCH, 21, { streamIntervalMs: 20 });
  const stream = md.stream(["AAPL", "SPX"], undefined); // 21:00: the market is closed
  const it = stream[Symbol.asyncIterator]();
  const first = [(await it.next()).value, (await it.next()).value];
  deepEqual(first.map((e) => e?.type === "quote" && e.quote.symbol).sort(), ["AAPL", "SPX"]);
  // Closed: five more ticks look at the clock and send nothing.
  const pending = it.next();
  const quiet = await Promise.race([
    pending.then(() => "event"),
    clockReads(5).then(() => "quiet"),
  ]);
  equal(quiet, "quiet");
  set("2026-11-03", 11); // open
  // The pending next() resolves at the first tick that sees the open market.
  const ev = await pending;
  ok(ev.value?.type === "quote" && ev.value.quote.replayDate === "2020-01-03");
  stream.close();
  equal((await it.next()).done, true);
  await md.close();
});

Deno.test("closing the market data or aborting the signal ends its streams", async () => {
  const { md } = replayAt(DEFAULT_REPLAY_EPOCH, 11, { streamIntervalMs: 10 });
  const ac = new AbortController();
  const s1 = md.stream(["AAPL"], ac.signal);
  const s2 = md.stream(["MSFT"]);
  let n = 0;
  for await (const e of s1) {
    ok(e.type === "quote");
    if (++n === 3) ac.abort();
  }
  equal(n, 3);
  const it = s2[Symbol.asyncIterator]();
  ok(!(await it.next()).done);
  await md.close();
  equal((await it.next()).done, true);
});
