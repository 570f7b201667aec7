import { deepEqual, equal } from "node:assert/strict";
import { executionPrice } from "../checks.ts";
import { evaluate, trailingStop, type WorkingOrder } from "./triggers.ts";

const base: WorkingOrder = {
  side: "buy",
  type: "market",
  limitPrice: null,
  stopPrice: null,
  trailPrice: null,
  trailPercent: null,
  hwm: null,
  triggered: false,
};
const q = (bid: number, ask: number, last: number) => ({ bid, ask, last });

Deno.test("triggers: nothing fills while the session is closed", () => {
  deepEqual(evaluate(base, q(99, 101, 100), false), {});
});

Deno.test("triggers: market orders fill at the ask (buy) or bid (sell), last as fallback", () => {
  deepEqual(evaluate(base, q(99, 101, 100), true), { fill: 101 });
  deepEqual(evaluate({ ...base, side: "sell" }, q(99, 101, 100), true), { fill: 99 });
  equal(executionPrice("buy", { bid: null, ask: null, last: 100 }), 100);
  equal(executionPrice("buy", { bid: null, ask: null, last: null }), null);
  deepEqual(evaluate(base, { bid: null, ask: null, last: null }, true), {});
});

Deno.test("triggers: limits fill at or through their price", () => {
  const buy = { ...base, type: "limit" as const, limitPrice: 100 };
  deepEqual(evaluate(buy, q(100.5, 100.6, 100.5), true), {});
  deepEqual(evaluate(buy, q(99.8, 100, 99.9), true), { fill: 100 });
  const sell = { ...buy, side: "sell" as const };
  deepEqual(evaluate(sell, q(99.9, 100.1, 100), true), {});
  deepEqual(evaluate(sell, q(100.2, 100.4, 100.3), true), { fill: 100.2 });
});

Deno.test("triggers: stops fire on the last trade reaching them", () => {
  const sell = { ...base, side: "sell" as const, type: "stop" as const, stopPrice: 95 };
  deepEqual(evaluate(sell, q(95.1, 95.3, 95.2), true), {});
  deepEqual(evaluate(sell, q(94.8, 95.1, 95), true), { fill: 94.8 });
  const buy = { ...base, type: "stop" as const, stopPrice: 105 };
  deepEqual(evaluate(buy, q(104.8, 105, 104.9), true), {});
  deepEqual(evaluate(buy, q(105, 105.2, 105.1), true), { fill: 105.2 });
});

Deno.test("triggers: a stop-limit triggers, then needs its limit", () => {
  const o = { ...base, type: "stop_limit" as const, stopPrice: 105, limitPrice: 105.5 };
  deepEqual(evaluate(o, q(104, 104.2, 104.1), true), {});
  deepEqual(evaluate(o, q(106, 106.2, 106.1), true), { triggered: true });
  deepEqual(evaluate(o, q(105, 105.3, 105.1), true), { triggered: true, fill: 105.3 });
  deepEqual(evaluate({ ...o, triggered: true }, q(103, 103.2, 103.1), true), { fill: 103.2 });
});

Deno.test("triggers: trailing stops ratchet and fire", () => {
  const o = { ...base, side: "sell" as const, type: "trailing_stop" as const, trailPrice: 2 };
  deepEqual(evaluate({ ...o, hwm: 100 }, q(100.9, 101.1, 101), true), { stop: 99, hwm: 101 });
  // The mark never moves down for a sell.
  deepEqual(evaluate({ ...o, hwm: 101 }, q(99.4, 99.6, 99.5), true), { stop: 99 });
  deepEqual(evaluate({ ...o, hwm: 101 }, q(98.8, 99.1, 99), true), { stop: 99, fill: 98.8 });
  equal(trailingStop("sell", 200, null, 5), 190);
  equal(trailingStop("buy", 200, null, 5), 210);
  equal(trailingStop("buy", 200, null, null), null);
});
