import assert from "node:assert/strict";
import { ticketFromAnalysis } from "./from_builder.ts";
import { buildOptionOrder, newTicket } from "./ticket.ts";

const leg = (
  strike: number,
  side: "buy" | "sell",
  quantity = 1,
  type: "call" | "put" = "call",
) => ({
  type,
  side,
  quantity,
  premium: 1.5,
  contract: `AAPL210115${type === "call" ? "C" : "P"}00${strike}000`,
});

Deno.test("a butterfly keeps its 1:2:1 ratios; two condors become 2 units", () => {
  const fly = ticketFromAnalysis([leg(145, "buy"), leg(150, "sell", 2), leg(155, "buy")]);
  assert.ok(fly.ok);
  assert.deepEqual(fly.legs.map((l) => l.ratioQty), [1, 2, 1]);
  assert.equal(fly.qty, 1);
  assert.deepEqual(fly.legs.map((l) => l.positionIntent), [
    "buy_to_open",
    "sell_to_open",
    "buy_to_open",
  ]);
  const condors = ticketFromAnalysis([
    leg(140, "buy", 2, "put"),
    leg(145, "sell", 2, "put"),
    leg(155, "sell", 2),
    leg(160, "buy", 2),
  ]);
  assert.ok(condors.ok);
  assert.equal(condors.qty, 2);
  assert.deepEqual(condors.legs.map((l) => l.ratioQty), [1, 1, 1, 1]);
  // And the ticket makes the mleg body the API takes from it.
  const body = buildOptionOrder({ ...newTicket(condors.legs), qty: String(condors.qty) });
  assert.ok(body.ok && "legs" in body.body);
  assert.equal(body.body.qty, 2);
  assert.equal(body.body.symbol, "AAPL");
});

Deno.test("one option leg becomes a single-leg ticket of its quantity", () => {
  const one = ticketFromAnalysis([leg(150, "buy", 3)]);
  assert.ok(one.ok);
  assert.equal(one.qty, 3);
  assert.equal(one.legs[0].ratioQty, 1);
  assert.equal(one.legs[0].strike, 150);
  assert.equal(one.legs[0].mark, 1.5);
});

Deno.test("what cannot be one option order says why", () => {
  const stock = ticketFromAnalysis([{ ...leg(150, "buy"), type: "stock", contract: null }]);
  assert.ok(!stock.ok && /stock leg/.test(stock.message));
  const hypothetical = ticketFromAnalysis([leg(150, "buy"), {
    ...leg(151, "sell"),
    contract: null,
  }]);
  assert.ok(!hypothetical.ok && /Leg 2 is not a listed contract/.test(hypothetical.message));
  const five = ticketFromAnalysis([140, 145, 150, 155, 160].map((k) => leg(k, "buy")));
  assert.ok(!five.ok && /at most 4 legs/.test(five.message));
  const twice = ticketFromAnalysis([leg(150, "buy"), leg(150, "sell")]);
  assert.ok(!twice.ok && /same contract/.test(twice.message));
  assert.ok(!ticketFromAnalysis([]).ok);
});
