import assert from "node:assert/strict";
import type { OptionContract } from "../market/types.ts";
import { chainView, midPrice } from "./chain_rows.ts";

function contract(type: "call" | "put", strike: number): OptionContract {
  return {
    symbol: `AAPL200117${type === "call" ? "C" : "P"}${String(strike * 1000).padStart(8, "0")}`,
    underlying: "AAPL",
    type,
    strike,
    expiration: "2020-01-17",
    bid: 1,
    ask: 1.2,
    last: 1.1,
    volume: 10,
    openInterest: 100,
    greeks: null,
  };
}

const strikes = Array.from({ length: 21 }, (_, i) => 50 + i * 5); // 50 … 150
const options = strikes.flatMap((s) => [contract("put", s), contract("call", s)]);

Deno.test("rows pair the call and put of each strike, sorted, centred on the money", () => {
  const view = chainView({ options: [...options].reverse(), underlyingPrice: 101.2 }, 3);
  assert.deepEqual(view.rows.map((r) => r.strike), [85, 90, 95, 100, 105, 110, 115]);
  assert.equal(view.atm, 3);
  assert.equal(view.total, 21);
  for (const row of view.rows) {
    assert.equal(row.call?.type, "call");
    assert.equal(row.put?.type, "put");
    assert.equal(row.call?.strike, row.strike);
  }
});

Deno.test("in the money: calls below the price, puts above it", () => {
  const view = chainView({ options, underlyingPrice: 100 }, 1);
  assert.deepEqual(
    view.rows.map((r) => [r.strike, r.callItm, r.putItm]),
    [[95, true, false], [100, false, false], [105, false, true]],
  );
});

Deno.test("the window is clipped at the ends of the chain", () => {
  const low = chainView({ options, underlyingPrice: 40 }, 2);
  assert.deepEqual(low.rows.map((r) => r.strike), [50, 55, 60]);
  assert.equal(low.atm, 0);
  const high = chainView({ options, underlyingPrice: 1000 }, 2);
  assert.deepEqual(high.rows.map((r) => r.strike), [140, 145, 150]);
  assert.equal(high.atm, 2);
});

Deno.test("without a price every strike shows and nothing is marked", () => {
  const view = chainView({ options: [contract("call", 10)], underlyingPrice: null });
  assert.equal(view.atm, -1);
  assert.equal(view.rows.length, 1);
  assert.equal(view.rows[0].put, null);
  assert.equal(view.rows[0].callItm, false);
  assert.deepEqual(chainView({ options: [], underlyingPrice: 5 }), { rows: [], atm: -1, total: 0 });
});

Deno.test("midPrice falls back to the last trade", () => {
  assert.equal(midPrice({ bid: 1, ask: 1.2, last: 5 }), 1.1);
  assert.equal(midPrice({ bid: null, ask: 1.2, last: 5 }), 5);
  assert.equal(midPrice({ bid: 2, ask: 1, last: null }), null);
});
