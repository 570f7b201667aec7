import { deepEqual, equal, ok } from "node:assert/strict";
import {
  dividendYield,
  historicalVolatility,
  isMonthly,
  listExpirations,
  occSymbol,
  priceChain,
  quoteAround,
  strikesAround,
  thirdFriday,
} from "./options.ts";
import { parsePriceCsv } from "./history.ts";

Deno.test("third Fridays", () => {
  equal(thirdFriday(2020, 1), "2020-01-17");
  equal(thirdFriday(2020, 5), "2020-05-15");
  equal(thirdFriday(2021, 1), "2021-01-15");
  ok(isMonthly("2020-01-17"));
  ok(!isMonthly("2020-01-24"));
});

Deno.test("expirations: 8 weeklies, 12 monthlies, 2 LEAPS; holiday Fridays move to Thursday", () => {
  // Good Friday 2020-04-10 was a market holiday.
  const traded = (d: string) => d === "2020-04-10" ? false : undefined;
  const list = listExpirations("2020-03-20", false, traded);
  deepEqual(list.slice(0, 8), [
    "2020-03-27",
    "2020-04-03",
    "2020-04-09",
    "2020-04-17",
    "2020-04-24",
    "2020-05-01",
    "2020-05-08",
    "2020-05-15",
  ]);
  ok(list.includes("2021-03-19"), "the 12th monthly");
  ok(!list.includes("2021-04-16"));
  ok(list.includes("2022-01-21") && list.includes("2023-01-20"));
  deepEqual(list, [...list].sort());
  equal(new Set(list).size, list.length);
  // On an expiration Friday, it is listed until the close.
  equal(listExpirations("2020-03-20", true, traded)[0], "2020-03-20");
});

Deno.test("strikes around the money at the listed increments", () => {
  const s = strikesAround(76.6);
  equal(s.length, 25);
  equal(s[12], 77);
  equal(s[1] - s[0], 1);
  equal(strikesAround(3250)[12], 3250);
  ok(strikesAround(0.8).every((k) => k > 0));
});

Deno.test("OCC symbols", () => {
  equal(occSymbol("AAPL", "2022-01-21", "call", 150), "AAPL220121C00150000");
  equal(occSymbol("SPXW", "2020-02-07", "put", 3237.5), "SPXW200207P03237500");
});

Deno.test("bid/ask straddle the theoretical price in cents", () => {
  for (const theo of [0, 0.004, 0.5, 3.333, 120.77]) {
    const { bid, ask } = quoteAround(theo);
    ok(bid >= 0 && bid <= theo && theo <= ask && ask - bid >= 0.01, `${theo}: ${bid}/${ask}`);
  }
});

Deno.test("chains obey put-call parity and Greeks have the right signs", () => {
  const spot = 100, years = 30 / 365, rate = 0.01, q = 0.02;
  const chain = priceChain({
    underlying: "X",
    root: "X",
    expiration: "2020-02-21",
    spot,
    years,
    volatility: 0.3,
    dividendYield: q,
    rate,
  });
  equal(chain.length, 50);
  for (let i = 0; i < chain.length; i += 2) {
    const [c, p] = [chain[i], chain[i + 1]];
    equal(c.strike, p.strike);
    const mid = (o: typeof c) => (o.bid! + o.ask!) / 2;
    const parity = spot * Math.exp(-q * years) - c.strike * Math.exp(-rate * years);
    ok(Math.abs(mid(c) - mid(p) - parity) < 0.1, `parity at ${c.strike}`);
    ok(c.greeks!.delta > 0 && p.greeks!.delta < 0);
    ok(c.greeks!.gamma > 0 && c.greeks!.vega > 0);
    // Deep in the money, a dividend yield above the rate can make a call's theta positive.
    if (Math.abs(c.strike - spot) <= 5) ok(c.greeks!.theta < 0 && p.greeks!.theta < 0);
    equal(c.greeks!.iv, 0.3);
  }
});

const csv = (closes: number[], adj?: number[]) =>
  parsePriceCsv(
    "X",
    "date,open,high,low,close,volume" + (adj ? ",adj_close" : "") + "\n" +
      closes.map((c, i) =>
        `2020-01-${String(i + 1).padStart(2, "0")},${c},${c},${c},${c},1` +
        (adj ? `,${adj[i]}` : "")
      ).join("\n"),
  );

Deno.test("historical volatility annualizes daily log returns; flat prices give the floor", () => {
  equal(historicalVolatility(csv([10, 10, 10, 10, 10]), 4), 0.05);
  // Alternating ±1 % moves: daily sd ≈ 0.01 → ≈ 16 % a year.
  const up = [100];
  for (let i = 1; i < 31; i++) up.push(up[i - 1] * (i % 2 ? 1.01 : 1 / 1.01));
  const hv = historicalVolatility(csv(up), 30);
  ok(Math.abs(hv - 0.01 * Math.sqrt(252)) < 0.01, String(hv));
});

Deno.test("dividend yield comes from the growth of adj_close/close", () => {
  const closes = Array.from({ length: 30 }, () => 100);
  const adj = closes.map((_, i) => (i < 15 ? 98 : 100));
  const q = dividendYield(csv(closes, adj), 29);
  ok(q > 0.15 - 1e-9, "a 2 % dividend over 29 days annualizes beyond the cap");
  equal(dividendYield(csv(closes), 29), 0);
});
