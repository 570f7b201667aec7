import assert from "node:assert/strict";
import fc from "fast-check";
import type { OrderLeg, OrderSide } from "../broker/types.ts";
import { formatOcc } from "./occ.ts";
import { type LegQuote, netMarketPrice, optionFill, optionMark } from "./fills.ts";

const price = fc.integer({ min: 1, max: 5000 }).map((c) => c / 100);
const maybe = fc.option(price, { freq: 8 });

/** 2–4 distinct legs with a quote each; some bids or asks may be missing. */
const book = fc.uniqueArray(
  fc.record({
    strike: fc.integer({ min: 50, max: 250 }),
    type: fc.constantFrom("call" as const, "put" as const),
    side: fc.constantFrom<OrderSide>("buy", "sell"),
    ratioQty: fc.integer({ min: 1, max: 3 }),
    bid: maybe,
    spread: fc.integer({ min: 0, max: 200 }).map((c) => c / 100),
    noAsk: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  }),
  { minLength: 2, maxLength: 4, selector: (r) => `${r.type}${r.strike}` },
).map((rows) => {
  const legs: OrderLeg[] = rows.map((r) => ({
    symbol: formatOcc("AAPL", "2024-06-21", r.type, r.strike),
    side: r.side,
    ratioQty: r.ratioQty,
    positionIntent: r.side === "buy" ? "buy_to_open" : "sell_to_open",
  }));
  const quotes: LegQuote[] = rows.map((r, i) => ({
    symbol: legs[i].symbol,
    bid: r.bid,
    ask: r.noAsk ? null : Math.round(((r.bid ?? 0) + r.spread + 0.01) * 100) / 100,
  }));
  return { legs, quotes };
});

function sumOf(fills: { side: OrderSide; price: number; ratioQty: number }[]) {
  return fills.reduce((n, f) => n + (f.side === "buy" ? 1 : -1) * f.ratioQty * f.price, 0);
}

Deno.test("property: the fills' net is the net market price, all legs or none", () => {
  fc.assert(
    fc.property(book, fc.constantFrom<OrderSide>("buy", "sell"), ({ legs, quotes }, side) => {
      const fill = optionFill({ symbol: "AAPL", side, type: "market", legs }, quotes);
      const market = netMarketPrice(legs, quotes);
      const priced = legs.every((l, i) =>
        (l.side === "buy" ? quotes[i].ask : quotes[i].bid) !== null
      );
      if (!priced) {
        assert.equal(fill, null);
        assert.equal(market, null);
        return;
      }
      assert.ok(fill);
      assert.equal(fill.fills.length, legs.length);
      assert.equal(fill.net, market);
      assert.ok(Math.abs(sumOf(fill.fills) - fill.net) < 1e-9);
      fill.fills.forEach((f, i) => {
        assert.equal(f.symbol, legs[i].symbol);
        assert.equal(f.side, legs[i].side);
        assert.equal(f.price, legs[i].side === "buy" ? quotes[i].ask : quotes[i].bid);
      });
    }),
  );
});

Deno.test("property: a multi-leg limit fills on its net, never past the limit", () => {
  fc.assert(fc.property(
    book,
    fc.constantFrom<OrderSide>("buy", "sell"),
    fc.integer({ min: 1, max: 10_000 }).map((c) => c / 100),
    ({ legs, quotes }, side, limit) => {
      const market = netMarketPrice(legs, quotes);
      const fill = optionFill(
        { symbol: "AAPL", side, type: "limit", limitPrice: limit, legs },
        quotes,
      );
      if (market === null) return assert.equal(fill, null);
      const crosses = side === "buy" ? market <= limit : -market >= limit;
      assert.equal(fill !== null, crosses, `net ${market} ${side} limit ${limit}`);
      if (fill) assert.equal(fill.fills.length, legs.length);
    },
  ));
});

Deno.test("property: a single leg buys at the ask under its limit, sells at the bid above it", () => {
  fc.assert(fc.property(
    maybe,
    maybe,
    price,
    fc.constantFrom<OrderSide>("buy", "sell"),
    (bid, ask, limit, side) => {
      const symbol = formatOcc("AAPL", "2024-06-21", "call", 150);
      const quotes = [{ symbol, bid, ask }];
      const fill = optionFill({ symbol, side, type: "limit", limitPrice: limit }, quotes);
      const at = side === "buy" ? ask : bid;
      const crosses = at !== null && (side === "buy" ? at <= limit : at >= limit);
      assert.equal(fill !== null, crosses);
      if (fill) {
        assert.deepEqual(fill.fills, [{ symbol, side, price: at, ratioQty: 1 }]);
        assert.equal(fill.net, side === "buy" ? at : -at!);
      }
    },
  ));
});

Deno.test("a zero bid is no price to sell at, for one leg or many", () => {
  const a = formatOcc("AAPL", "2024-06-21", "call", 150);
  const b = formatOcc("AAPL", "2024-06-21", "call", 160);
  const quotes = [{ symbol: a, bid: 2, ask: 2.1 }, { symbol: b, bid: 0, ask: 0.05 }];
  assert.equal(optionFill({ symbol: b, side: "sell", type: "market" }, quotes), null);
  assert.deepEqual(optionFill({ symbol: b, side: "buy", type: "market" }, quotes)?.net, 0.05);
  const spread: OrderLeg[] = [
    { symbol: a, side: "buy", ratioQty: 1, positionIntent: "buy_to_open" },
    { symbol: b, side: "sell", ratioQty: 1, positionIntent: "sell_to_open" },
  ];
  assert.equal(netMarketPrice(spread, quotes), null);
  assert.equal(
    optionFill({ symbol: "AAPL", side: "buy", type: "market", legs: spread }, quotes),
    null,
  );
  assert.equal(optionMark(quotes[1]), 0.025);
});

Deno.test("a missing quote leaves the order unfilled", () => {
  const a = formatOcc("AAPL", "2024-06-21", "put", 150);
  assert.equal(optionFill({ symbol: a, side: "buy", type: "market" }, []), null);
});

Deno.test("option orders other than market and limit are refused", () => {
  const a = formatOcc("AAPL", "2024-06-21", "put", 150);
  assert.throws(
    () => optionFill({ symbol: a, side: "buy", type: "stop" }, [{ symbol: a, bid: 1, ask: 2 }]),
    RangeError,
  );
});

Deno.test("property: the mark is the mid, or the one side quoted, within the quote", () => {
  fc.assert(fc.property(maybe, maybe, (bid, ask) => {
    const mark = optionMark({ symbol: "X", bid, ask });
    if (bid === null && ask === null) return assert.equal(mark, null);
    if (bid === null || ask === null) return assert.equal(mark, bid ?? ask);
    assert.ok(Math.abs(mark! - (bid + ask) / 2) < 1e-6);
    assert.ok(mark! >= Math.min(bid, ask) - 1e-9 && mark! <= Math.max(bid, ask) + 1e-9);
  }));
});
