import assert from "node:assert/strict";
import type { CheckResult } from "../broker/types.ts";
import { order } from "./_fixtures.ts";
import {
  readAccount,
  readOrders,
  readPlaced,
  readPositions,
  readPreview,
  readProblem,
  readSnapshot,
} from "./trading_api.ts";

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

Deno.test("the portfolio snapshot is read field by field: all four parts or nothing", () => {
  const account = { cash: 90_000, buyingPower: 180_000, equity: 100_500, dayPl: 12.5 };
  const position = { symbol: "AAPL", qty: 5, side: "long", costBasis: 500, avgEntryPrice: 100 };
  const body = { account, positions: [position, { symbol: 1 }], prices: "replay", source: "paper" };
  assert.deepEqual(readSnapshot(body), {
    account,
    positions: [position],
    prices: "replay",
    source: "paper",
  });
  assert.deepEqual(readSnapshot({ ...body, positions: [] })?.positions, []);
  for (
    const broken of [
      null,
      [],
      { ...body, account: undefined },
      { ...body, account: { ...account, equity: "100" } },
      { ...body, account: { ...account, cash: Number.NaN } },
      { ...body, positions: undefined },
      { ...body, positions: {} },
      { ...body, prices: undefined },
      { ...body, source: null },
    ]
  ) assert.equal(readSnapshot(broken), null, JSON.stringify(broken));
  assert.deepEqual(readAccount({ account }), account);
  assert.equal(readAccount({ account: { ...account, dayPl: null } }), null);
});
