import assert from "node:assert/strict";
import type { CheckResult } from "../broker/types.ts";
import { order } from "./_fixtures.ts";
import { readOrders, readPlaced, readPositions, readPreview, readProblem } from "./trading_api.ts";

Deno.test("API errors: validation details land on ticket fields; refusals carry their checks", () => {
  const v = readProblem(400, {
    error: {
      code: "validation_failed",
      message: "The request is not valid.",
      details: [{ path: "qty", message: "Too big." }, { path: "limitPrice", message: "Needed." }],
    },
  });
  assert.deepEqual(v.fieldErrors, { amount: "Too big.", limitPrice: "Needed." });
  const check: CheckResult = {
    rule: "buying_power",
    ok: false,
    severity: "refuse",
    message: "Needs $5,000.00 but buying power is $1,000.00: $4,000.00 short.",
    excess: 4000,
    unit: "USD",
  };
  const refused = readProblem(422, {
    error: {
      code: "insufficient_buying_power",
      message: "Order refused: …",
      details: { checks: [check, { junk: true }] },
    },
  });
  assert.equal(refused.code, "insufficient_buying_power");
  assert.deepEqual(refused.checks, [check]);
  assert.equal(readProblem(0, null).message, "The server could not be reached.");
  assert.equal(readProblem(502, "<html>").message, "The request failed (HTTP 502).");
});

Deno.test("answers are read defensively: malformed bodies give null or are filtered", () => {
  const o = order();
  assert.deepEqual(readPlaced({ placed: true, duplicate: true, order: o }), {
    order: o,
    duplicate: true,
  });
  assert.equal(readPlaced({ placed: false, preview: {} }), null);
  assert.equal(readPlaced({ placed: true, order: { id: 1 } }), null);
  assert.deepEqual(readOrders({ orders: [o, { nope: 1 }] }), [o]);
  assert.equal(readOrders({ error: {} }), null);
  assert.equal(readPreview({ placed: false, preview: { symbol: "AAPL" } }), null);
  assert.equal(readPositions({ positions: "x" }), null);
  assert.deepEqual(readPositions({ positions: [], prices: "replay" }), {
    positions: [],
    prices: "replay",
  });
});
