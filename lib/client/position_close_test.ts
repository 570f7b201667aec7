import assert from "node:assert/strict";
import type { Position } from "../broker/types.ts";
import {
  type CloseForm,
  closePlanQuestion,
  estimateText,
  FULL_CLOSE,
  planClose,
} from "./position_close.ts";

type Held = Pick<Position, "symbol" | "qty" | "side" | "currentPrice">;

const long: Held = { symbol: "AAPL", qty: 3, side: "long", currentPrice: 190.12 };
const short: Held = { symbol: "TSLA", qty: -10, side: "short", currentPrice: 200 };

function plan(position: Held, form: Partial<CloseForm>) {
  const r = planClose(position, { ...FULL_CLOSE, ...form });
  if (!r.ok) throw new Error(r.message);
  return r.plan;
}

function refusal(position: Held, form: Partial<CloseForm>) {
  const r = planClose(position, { ...FULL_CLOSE, ...form });
  assert.equal(r.ok, false);
  return r.ok ? "" : r.message;
}

Deno.test("close all: no query, every share, priced at the last", () => {
  assert.deepEqual(plan(long, {}), { query: "", shares: 3, estimate: 570.36, all: true });
  assert.deepEqual(plan(short, {}), { query: "", shares: 10, estimate: 2000, all: true });
  // The text of a mode not chosen does not matter.
  assert.equal(plan(long, { shares: "junk" }).all, true);
});

Deno.test("close part by shares: ?qty=, at most what is held", () => {
  assert.deepEqual(plan(long, { mode: "shares", shares: "1" }), {
    query: "?qty=1",
    shares: 1,
    estimate: 190.12,
    all: false,
  });
  assert.equal(plan(long, { mode: "shares", shares: "0.5" }).query, "?qty=0.5");
  // All of it is a full close (no remainder left by rounding).
  assert.equal(plan(long, { mode: "shares", shares: "3" }).all, true);
  assert.equal(plan(short, { mode: "shares", shares: "4" }).query, "?qty=4");
  assert.equal(
    refusal(long, { mode: "shares", shares: "4" }),
    "You hold 3 shares of AAPL: close at most that.",
  );
  assert.equal(
    refusal(long, { mode: "shares", shares: "0" }),
    "The number of shares must be more than 0.",
  );
  assert.equal(refusal(long, { mode: "shares", shares: "" }), "Enter the number of shares.");
  assert.equal(
    refusal(long, { mode: "shares", shares: "0.123456789" }),
    "The number of shares: at most 8 decimal places.",
  );
});

Deno.test("close part by percentage: ?percentage=, shares rounded down like the broker", () => {
  assert.deepEqual(plan(short, { mode: "percent", percent: "25" }), {
    query: "?percentage=25",
    shares: 2.5,
    estimate: 500,
    all: false,
  });
  // The brokers' own rule (lib/shared/close_quantity.ts): 33.33 % of 3 is 0.9999 shares, not
  // the 0.99989999 a bare binary floor gives, so the preview and the order agree.
  assert.equal(plan(long, { mode: "percent", percent: "33.33" }).shares, 0.9999);
  assert.equal(plan(long, { mode: "percent", percent: "100" }).all, true);
  assert.equal(
    refusal(long, { mode: "percent", percent: "101" }),
    "The percentage is at most 100.",
  );
  assert.equal(
    refusal(long, { mode: "percent", percent: "0" }),
    "The percentage must be more than 0.",
  );
  assert.equal(
    refusal(long, { mode: "percent", percent: "12.345" }),
    "The percentage: at most 2 decimal places.",
  );
  assert.equal(
    refusal({ ...long, qty: 0.00000001 }, { mode: "percent", percent: "50" }),
    "That percentage rounds to no shares: enter a larger one.",
  );
});

Deno.test("the question and the estimate read as the order will", () => {
  assert.equal(closePlanQuestion(long, plan(long, {})), "Sell all 3 AAPL at market?");
  assert.equal(
    closePlanQuestion(long, plan(long, { mode: "shares", shares: "1" })),
    "Sell 1 of 3 AAPL at market?",
  );
  assert.equal(
    closePlanQuestion(short, plan(short, { mode: "percent", percent: "50" })),
    "Buy 5 of 10 TSLA at market to cover the short?",
  );
  assert.equal(
    estimateText(long, plan(long, { mode: "shares", shares: "1" })),
    "≈ $190.12 (1 share × $190.12 last)",
  );
  const unpriced = { ...long, currentPrice: null };
  assert.equal(plan(unpriced, {}).estimate, null);
  assert.equal(estimateText(unpriced, plan(unpriced, {})), "No last price yet: no estimate.");
});
