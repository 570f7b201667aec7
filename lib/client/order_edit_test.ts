import assert from "node:assert/strict";
import type { Order } from "../broker/types.ts";
import {
  applyReplaced,
  buildReplace,
  editable,
  editErrorsFromProblem,
  editFields,
  editFormFor,
  editLabel,
  filledNote,
  readReplaced,
  remainingQty,
  replacedMessage,
} from "./order_edit.ts";
import { readProblem } from "./trading_api.ts";
import { order as baseOrder } from "./_fixtures.ts";

/** A resting limit buy of 10 AAPL at $150, with `over` applied. */
function order(over: Partial<Order> = {}): Order {
  return baseOrder({
    id: "00000000-0000-4000-8000-000000000001",
    clientOrderId: "k1",
    type: "limit",
    limitPrice: 150,
    status: "new",
    createdAt: "2024-05-01T14:00:00.000Z",
    ...over,
  });
}

Deno.test("editable: working priced orders with a quantity; not market, done or pending ones", () => {
  assert.equal(editable(order()), true);
  assert.equal(editable(order({ type: "stop", status: "accepted" })), true);
  assert.equal(editable(order({ type: "trailing_stop", status: "partially_filled" })), true);
  assert.equal(editable(order({ type: "market" })), false);
  assert.equal(editable(order({ status: "filled" })), false);
  assert.equal(editable(order({ status: "replaced" })), false);
  assert.equal(editable(order({ status: "pending_cancel" })), false);
  assert.equal(editable(order({ status: "pending_new" })), false);
  assert.equal(editable(order({ qty: null, notional: 500 })), false);
});

Deno.test("editor fields follow the type; the trail keeps its unit", () => {
  assert.deepEqual(editFields(order()), { limit: true, stop: false, trail: null });
  assert.deepEqual(editFields(order({ type: "stop" })), { limit: false, stop: true, trail: null });
  assert.deepEqual(editFields(order({ type: "stop_limit" })), {
    limit: true,
    stop: true,
    trail: null,
  });
  assert.deepEqual(editFields(order({ type: "trailing_stop", trailPercent: 2 })), {
    limit: false,
    stop: false,
    trail: "percent",
  });
  assert.deepEqual(editFields(order({ type: "trailing_stop", trailPrice: 1.5 })).trail, "usd");
});

Deno.test("the editor starts from the order: what is left to fill, prices in cents", () => {
  assert.deepEqual(editFormFor(order({ filledQty: 4, limitPrice: 150.5 })), {
    qty: "6",
    limitPrice: "150.50",
    stopPrice: "",
    trail: "",
    timeInForce: "day",
  });
  const trailing = order({
    type: "trailing_stop",
    side: "sell",
    limitPrice: null,
    stopPrice: 180.123,
    trailPrice: 2,
    timeInForce: "gtc",
  });
  // The stop of a trailing order moves on its own: it is not a field.
  assert.deepEqual(editFormFor(trailing), {
    qty: "10",
    limitPrice: "",
    stopPrice: "",
    trail: "2.00",
    timeInForce: "gtc",
  });
  assert.equal(
    editFormFor(order({ type: "stop", limitPrice: null, stopPrice: 1.234567 }))
      .stopPrice,
    "1.234567",
  );
  assert.equal(remainingQty(order({ qty: 0.3, filledQty: 0.1 })), 0.2);
});

Deno.test("buildReplace sends only what changed", () => {
  const o = order();
  const form = editFormFor(o);
  assert.deepEqual(buildReplace(o, { ...form, limitPrice: "149.25" }), {
    ok: true,
    body: { limitPrice: 149.25 },
  });
  assert.deepEqual(buildReplace(o, { ...form, qty: "12", timeInForce: "gtc" }), {
    ok: true,
    body: { qty: 12, timeInForce: "gtc" },
  });
  // Same text with spaces is no change.
  assert.deepEqual(buildReplace(o, { ...form, limitPrice: " 150.00 " }), {
    ok: false,
    errors: { form: "Nothing changed: edit a field, or press Cancel." },
  });
  const sl = order({ type: "stop_limit", stopPrice: 140 });
  assert.deepEqual(
    buildReplace(sl, { ...editFormFor(sl), stopPrice: "141", limitPrice: "142.1" }),
    { ok: true, body: { stopPrice: 141, limitPrice: 142.1 } },
  );
  const tr = order({ type: "trailing_stop", limitPrice: null, trailPercent: 2 });
  assert.deepEqual(buildReplace(tr, { ...editFormFor(tr), trail: "3.5" }), {
    ok: true,
    body: { trail: 3.5 },
  });
});

Deno.test("buildReplace refuses bad numbers before a request", () => {
  const o = order();
  const form = editFormFor(o);
  const errs = (f: Partial<typeof form>, src = o) => {
    const r = buildReplace(src, { ...editFormFor(src), ...f });
    assert.equal(r.ok, false);
    return r.ok ? {} : r.errors;
  };
  assert.equal(errs({ qty: "0" }).qty, "The quantity must be more than 0.");
  assert.equal(errs({ qty: "-3" }).qty, "The quantity must be a number.");
  assert.equal(errs({ qty: "2.5" }).qty, "The quantity must be whole.");
  assert.equal(errs({ qty: "" }).qty, "Enter the quantity.");
  assert.equal(
    errs({ limitPrice: "149.255" }).limitPrice,
    "The limit price: at most 2 decimal places.",
  );
  assert.equal(errs({ limitPrice: "abc" }).limitPrice, "The limit price must be a number.");
  // Every bad field is named at once.
  assert.deepEqual(Object.keys(errs({ qty: "x", limitPrice: "0" })).sort(), [
    "limitPrice",
    "qty",
  ]);
  const tr = order({ type: "trailing_stop", limitPrice: null, trailPercent: 2 });
  assert.equal(errs({ trail: "60" }, tr).trail, "A trail of at most 50 %.");
  const stop = order({ type: "stop", limitPrice: null, stopPrice: 140 });
  assert.equal(errs({ stopPrice: "0" }, stop).stopPrice, "The stop price must be more than 0.");
  // A field the type does not have is ignored, whatever it holds.
  assert.deepEqual(buildReplace(o, { ...form, stopPrice: "junk", limitPrice: "151" }), {
    ok: true,
    body: { limitPrice: 151 },
  });
});

Deno.test("a fractional original may keep fractional shares; whole ones may not", () => {
  const frac = order({ qty: 2.5 });
  assert.deepEqual(buildReplace(frac, { ...editFormFor(frac), qty: "1.25" }), {
    ok: true,
    body: { qty: 1.25 },
  });
  assert.equal(buildReplace(order(), { ...editFormFor(order()), qty: "1.25" }).ok, false);
});

Deno.test("a 400's field problems land on the editor's fields", () => {
  const problem = readProblem(400, {
    error: {
      code: "validation_failed",
      message: "The request is not valid.",
      details: [
        { path: "qty", message: "Replaced quantities are whole shares." },
        { path: "limitPrice", message: "At most 6 decimal places." },
        { path: "", message: "Say what to change." },
      ],
    },
  });
  assert.deepEqual(editErrorsFromProblem(problem.fieldErrors), {
    qty: "Replaced quantities are whole shares.",
    limitPrice: "At most 6 decimal places.",
  });
  assert.deepEqual(editErrorsFromProblem({}), {});
});

Deno.test("applyReplaced marks the old order and lists the new one first, once", () => {
  const old = order();
  const other = order({ id: "other", createdAt: "2024-05-01T13:00:00.000Z" });
  const next = order({
    id: "next",
    limitPrice: 149,
    replaces: old.id,
    createdAt: "2024-05-01T15:00:00.000Z",
  });
  const list = applyReplaced([old, other], old.id, next);
  assert.deepEqual(list.map((o) => [o.id, o.status]), [
    ["next", "new"],
    [old.id, "replaced"],
    ["other", "new"],
  ]);
  assert.equal(list[1].replacedBy, "next");
  assert.deepEqual(applyReplaced(list, old.id, next).map((o) => o.id), list.map((o) => o.id));
});

Deno.test("labels: toast, accessible name, partly filled note", () => {
  assert.equal(
    replacedMessage(order({ limitPrice: 149.5, timeInForce: "gtc" })),
    "Changed: limit order to buy 10 AAPL (limit $149.50), GTC.",
  );
  assert.equal(editLabel(order({ type: "stop_limit" })), "Edit stop limit order to buy 10 AAPL");
  assert.equal(filledNote(order()), null);
  assert.equal(
    filledNote(order({ filledQty: 4 })),
    "4 of 10 already filled; the quantity is what is left to fill.",
  );
});

Deno.test("readReplaced takes the order out of the answer, or nothing", () => {
  const next = order({ id: "next" });
  assert.equal(readReplaced({ order: next })?.id, "next");
  assert.equal(readReplaced({ order: { id: "x" } }), null);
  assert.equal(readReplaced(null), null);
  assert.equal(readReplaced({ orders: [next] }), null);
});
