import assert from "node:assert/strict";
import fc from "fast-check";
import type { Position } from "../../broker/types.ts";
import * as bs from "../../shared/greeks.ts";
import { formatOcc } from "../../shared/occ.ts";
import { contractGreeks, lacksGreeks } from "./greeks_fill.ts";
import {
  closeRequest,
  daysToExpiry,
  dteText,
  greeksOnPosition,
  groupCloseTarget,
  groupOptionPositions,
  legCloseTarget,
  type OptionPosition,
  scaleGreeks,
  splitPositions,
  sumGreeks,
} from "./positions.ts";

function optionPosition(
  underlying: string,
  expiration: string,
  type: "call" | "put",
  strike: number,
  qty: number,
  over: Partial<Position> = {},
): OptionPosition {
  return {
    symbol: formatOcc(underlying, expiration, type, strike),
    qty,
    side: qty > 0 ? "long" : "short",
    avgEntryPrice: 2,
    costBasis: qty * 200,
    marketValue: qty * 250,
    currentPrice: 2.5,
    lastdayPrice: 2.4,
    unrealizedPl: qty * 50,
    unrealizedPlPercent: 0.25,
    changeToday: 0.04,
    dayPl: qty * 10,
    realizedPl: null,
    source: "paper",
    prices: "replay",
    assetClass: "us_option",
    option: { underlying, expiration, type, strike, multiplier: 100 },
    ...over,
  } as OptionPosition;
}

const stock: Position = {
  ...optionPosition("AAPL", "2021-01-15", "call", 1, 10),
  symbol: "AAPL",
  assetClass: undefined,
  option: undefined,
};

Deno.test("stocks and options part ways; options group by underlying and expiration", () => {
  const list = [
    optionPosition("AAPL", "2021-01-15", "call", 155, -1),
    stock,
    optionPosition("MSFT", "2021-01-08", "put", 210, 2),
    optionPosition("AAPL", "2021-01-15", "call", 150, 1),
    optionPosition("AAPL", "2021-02-19", "call", 150, 1),
  ];
  const { stocks, options } = splitPositions(list);
  assert.deepEqual(stocks.map((s) => s.symbol), ["AAPL"]);
  const groups = groupOptionPositions(options);
  assert.deepEqual(groups.map((g) => g.key), [
    "MSFT 2021-01-08",
    "AAPL 2021-01-15",
    "AAPL 2021-02-19",
  ]);
  const vertical = groups[1];
  assert.deepEqual(vertical.legs.map((l) => l.option.strike), [150, 155]);
  assert.equal(vertical.unrealizedPl, 0, "+50 on the long, −50 on the short");
  assert.equal(vertical.costBasis, 0);
  assert.equal(vertical.dayPl, 0);
  const unpriced = groupOptionPositions([
    optionPosition("AAPL", "2021-01-15", "call", 150, 1, { marketValue: null, unrealizedPl: null }),
  ]);
  assert.equal(unpriced[0].marketValue, null, "no total from a leg without a price");
});

Deno.test("every option leg lands in exactly one group, with its underlying and expiration", () => {
  const leg = fc.record({
    u: fc.constantFrom("AAPL", "MSFT", "SPY"),
    e: fc.constantFrom("2021-01-08", "2021-01-15", "2021-02-19"),
    t: fc.constantFrom("call", "put" as const),
    k: fc.integer({ min: 20, max: 60 }).map((k) => k * 5),
    q: fc.integer({ min: -5, max: 5 }).filter((q) => q !== 0),
  });
  fc.assert(
    fc.property(fc.uniqueArray(leg, { selector: (l) => `${l.u}${l.e}${l.t}${l.k}` }), (ls) => {
      const groups = groupOptionPositions(
        ls.map((l) => optionPosition(l.u, l.e, l.t as "call", l.k, l.q)),
      );
      assert.equal(groups.reduce((n, g) => n + g.legs.length, 0), ls.length);
      for (const g of groups) {
        for (const p of g.legs) {
          assert.equal(p.option.underlying, g.underlying);
          assert.equal(p.option.expiration, g.expiration);
        }
      }
      assert.equal(new Set(groups.map((g) => g.key)).size, groups.length);
    }),
  );
});

Deno.test("days to expiry count from the market's date, replayed or not", () => {
  assert.equal(daysToExpiry("2021-01-15", "2021-01-04"), 11);
  assert.equal(daysToExpiry("2021-01-15", "2021-01-15"), 0);
  assert.equal(daysToExpiry("2021-03-19", "2021-03-12"), 7, "across the DST change");
  assert.equal(daysToExpiry("2021-01-15", "x"), null);
  assert.equal(dteText(0), "expires today");
  assert.equal(dteText(-1), "expired, settling");
  assert.equal(dteText(1), "1 day");
});

Deno.test("Greeks scale by signed contracts × 100 and add up across a spread", () => {
  const long = optionPosition("AAPL", "2021-01-15", "call", 150, 2);
  const short = optionPosition("AAPL", "2021-01-15", "call", 155, -2);
  const gLong = scaleGreeks(long, { delta: 0.6, gamma: 0.05, theta: -0.1, vega: 0.2, iv: 0.3 })!;
  const gShort = scaleGreeks(short, {
    delta: 0.4,
    gamma: 0.04,
    theta: -0.08,
    vega: 0.18,
    iv: 0.3,
  })!;
  assert.deepEqual(gLong, { delta: 120, gamma: 10, theta: -20, vega: 40 });
  const total = sumGreeks([gLong, gShort])!;
  assert.ok(Math.abs(total.delta - 40) < 1e-9);
  assert.ok(Math.abs(total.theta - -4) < 1e-9, "a short leg's decay is income");
  assert.equal(sumGreeks([gLong, null]), null);
  assert.equal(scaleGreeks(long, null), null);
});

Deno.test("greeks sent on a position are read only when whole", () => {
  const p = optionPosition("AAPL", "2021-01-15", "call", 150, 1);
  const withGreeks = { ...p, greeks: { delta: 0.5, gamma: 0.1, theta: -0.05, vega: 0.2, iv: 0.3 } };
  assert.deepEqual(greeksOnPosition(withGreeks), withGreeks.greeks);
  assert.equal(greeksOnPosition({ ...p, greeks: { delta: 0.5 } } as Position), null);
  assert.equal(greeksOnPosition(p), null);
});

Deno.test("closing: a 2–4 leg group is one close-strategy order, a single leg a DELETE", () => {
  const legs = [
    optionPosition("AAPL", "2021-01-15", "call", 150, 1),
    optionPosition("AAPL", "2021-01-15", "call", 155, -1),
  ];
  const [group] = groupOptionPositions(legs);
  const t = groupCloseTarget(group)!;
  assert.equal(t.kind, "strategy");
  assert.match(t.question, /^Close all 2 legs of AAPL 15 Jan 2021 at market, as one order\?$/);
  assert.deepEqual(closeRequest(t, "k1"), {
    url: "/api/positions/close-strategy",
    method: "POST",
    body: { symbols: ["AAPL210115C00150000", "AAPL210115C00155000"], clientOrderId: "k1" },
  });
  const one = groupCloseTarget(groupOptionPositions([legs[1]])[0])!;
  assert.equal(one.question, "Buy to close 1 contract AAPL 155 call · 15 Jan 2021 at market?");
  assert.deepEqual(closeRequest(one, "k2"), {
    url: "/api/positions/AAPL210115C00155000",
    method: "DELETE",
    idempotencyKey: "k2",
  });
  const five = [140, 145, 150, 155, 160].map((k) =>
    optionPosition("AAPL", "2021-01-15", "put", k, 1)
  );
  assert.equal(groupCloseTarget(groupOptionPositions(five)[0]), null, "more than 4: leg by leg");
  assert.match(legCloseTarget(five[0]).question, /^Sell to close 1 contract AAPL 140 put/);
});

Deno.test("Greeks: the chain's when listed, Black-Scholes when not, nothing when it cannot say", () => {
  const listed = {
    type: "call" as const,
    strike: 150,
    bid: 4.9,
    ask: 5.1,
    last: 5,
    greeks: { delta: 0.55, gamma: 0.03, theta: -0.06, vega: 0.17, rho: 0.05, iv: 0.3 },
  };
  assert.deepEqual(contractGreeks(listed, 150, 30, null), {
    greeks: { delta: 0.55, gamma: 0.03, theta: -0.06, vega: 0.17, iv: 0.3 },
    source: "chain",
  });
  const bare = { ...listed, greeks: null };
  assert.ok(lacksGreeks(bare));
  assert.equal(contractGreeks(bare, 150, 30, null), null, "the model not loaded yet");
  const computed = contractGreeks(bare, 150, 30, bs)!;
  assert.equal(computed.source, "computed");
  // The IV implied by the mid reprices the contract at the mid.
  const vol = computed.greeks.iv!;
  const price = bs.bsPrice({
    type: "call",
    spot: 150,
    strike: 150,
    years: 30 / 365,
    rate: 0.01,
    volatility: vol,
  });
  assert.ok(Math.abs(price - 5) < 1e-6, `repriced at ${price}`);
  assert.ok(
    computed.greeks.delta > 0.5 && computed.greeks.delta < 0.6,
    "at the money, a bit over ½",
  );
  // A price below intrinsic value has no volatility: no Greeks rather than invented ones.
  assert.equal(contractGreeks({ ...bare, strike: 100, bid: 1, ask: 1.2 }, 150, 30, bs), null);
  assert.equal(contractGreeks({ ...bare, bid: null, ask: null, last: null }, 150, 30, bs), null);
});
