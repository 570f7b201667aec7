import assert from "node:assert/strict";
import {
  analyzeBody,
  draftsFromTemplate,
  formatBreakevens,
  formatLimit,
  formatNet,
  newLeg,
  sourceNote,
} from "./options_builder.ts";

Deno.test("blank premium and IV are left out; the IV and its shift go as fractions", () => {
  const body = analyzeBody(" aapl ", [
    newLeg({ strike: "105", expiration: "2020-03-20", quantity: "2" }),
    newLeg({
      type: "put",
      side: "sell",
      strike: "95",
      expiration: "2020-03-20",
      premium: "1.25",
      iv: "32.5",
    }),
    newLeg({ type: "stock", quantity: "100", strike: "ignored" }),
  ], "5");
  assert.deepEqual(body, {
    symbol: "AAPL",
    ivShift: 0.05,
    legs: [
      { type: "call", side: "buy", quantity: 2, strike: 105, expiration: "2020-03-20" },
      {
        type: "put",
        side: "sell",
        quantity: 1,
        strike: 95,
        expiration: "2020-03-20",
        iv: 0.325,
        premium: 1.25,
      },
      { type: "stock", side: "buy", quantity: 100 },
    ],
  });
});

Deno.test("text that is not a number is sent as is, for the server to name", () => {
  const body = analyzeBody("MSFT", [newLeg({ strike: "abc", quantity: "", iv: "x" })], "");
  const leg = (body.legs as Record<string, unknown>[])[0];
  assert.equal(leg.strike, "abc");
  assert.equal(leg.quantity, "");
  assert.equal(leg.iv, "x");
  assert.equal("ivShift" in body, false);
});

Deno.test("template legs become editable rows with distinct keys", () => {
  const rows = draftsFromTemplate([
    { type: "stock", side: "buy", quantity: 100 },
    { type: "call", side: "sell", strike: 110, expiration: "2020-03-20", quantity: 1 },
  ]);
  assert.equal(rows[0].strike, "");
  assert.equal(rows[1].strike, "110");
  assert.equal(rows[1].expiration, "2020-03-20");
  assert.notEqual(rows[0].id, rows[1].id);
});

Deno.test("figures read as money, unlimited, debit or credit", () => {
  assert.equal(formatLimit("unlimited"), "Unlimited");
  assert.equal(formatLimit(1234.5), "$1,234.50");
  assert.equal(formatNet({ amount: -230, kind: "credit" }), "$230.00 credit");
  assert.equal(formatNet({ amount: 0, kind: "even" }), "Even");
  assert.equal(formatBreakevens([93.5, 107]), "$93.50 and $107.00");
  assert.equal(formatBreakevens([]), "None");
  assert.match(sourceNote({ prices: "replay", chain: "replay-model" }), /modelled.*replay prices/);
});
