import assert from "node:assert/strict";
import fc from "fast-check";
import {
  buildOptionOrder,
  errorsFromIssues,
  type Held,
  intentFor,
  keyFor,
  legFromQuote,
  MAX_LEGS,
  netPerShare,
  newTicket,
  optionFieldForPath,
  pickLeg,
  type QuotedContract,
  setIntent,
  ticketEstimate,
  type TicketLeg,
  withHoldings,
} from "./ticket.ts";
import { formatOcc } from "../../shared/occ.ts";

function contract(
  strike: number,
  type: "call" | "put" = "call",
  bid: number | null = 2,
  ask: number | null = 2.2,
): QuotedContract {
  const expiration = "2021-01-15";
  return {
    symbol: formatOcc("AAPL", expiration, type, strike),
    underlying: "AAPL",
    expiration,
    type,
    strike,
    bid,
    ask,
    last: 2.1,
  };
}

Deno.test("a click on the ask buys to open at the ask; on the bid sells to open at the bid", () => {
  const ask = newTicket([legFromQuote(contract(150), "ask", {})]);
  assert.equal(ask.legs[0].side, "buy");
  assert.equal(ask.legs[0].positionIntent, "buy_to_open");
  assert.equal(ask.limitPrice, "2.20");
  assert.equal(ask.qty, "1");
  assert.equal(ask.type, "limit");
  assert.equal(ask.timeInForce, "day");
  const bid = newTicket([legFromQuote(contract(150), "bid", {})]);
  assert.equal(bid.legs[0].positionIntent, "sell_to_open");
  assert.equal(bid.limitPrice, "2.00");
});

Deno.test("holding the contract turns the click into a close, whenever the holdings arrive", () => {
  const c = contract(150);
  const held: Held = { [c.symbol]: 2 };
  assert.equal(legFromQuote(c, "bid", held).positionIntent, "sell_to_close");
  assert.equal(legFromQuote(c, "ask", held).positionIntent, "buy_to_open");
  assert.equal(legFromQuote(c, "ask", { [c.symbol]: -1 }).positionIntent, "buy_to_close");
  // Holdings known only after the click: automatic intents follow, chosen ones stay.
  const auto = legFromQuote(c, "bid", {});
  const chosen = setIntent(legFromQuote(c, "bid", {}), "sell_to_open");
  const [a, b] = withHoldings([auto, chosen], held);
  assert.equal(a.positionIntent, "sell_to_close");
  assert.equal(b.positionIntent, "sell_to_open");
  assert.equal(b.autoIntent, false);
});

Deno.test("intentFor: closes only against a holding on the other side", () => {
  fc.assert(fc.property(fc.constantFrom("buy", "sell" as const), fc.integer(), (side, held) => {
    const intent = intentFor(side as "buy" | "sell", held);
    assert.ok(intent.startsWith(side));
    const closes = intent.endsWith("close");
    assert.equal(closes, side === "buy" ? held < 0 : held > 0);
  }));
});

Deno.test("setIntent moves the side with the intent", () => {
  const leg = setIntent(legFromQuote(contract(150), "ask", {}), "sell_to_close");
  assert.equal(leg.side, "sell");
  assert.equal(leg.positionIntent, "sell_to_close");
});

Deno.test("+ leg: toggles a pick, swaps its side, refuses a fifth contract", () => {
  let legs: TicketLeg[] = [];
  for (const k of [140, 145, 150, 155]) {
    legs = pickLeg(legs, legFromQuote(contract(k), "ask", {})).legs;
  }
  assert.equal(legs.length, 4);
  const fifth = pickLeg(legs, legFromQuote(contract(160), "ask", {}));
  assert.equal(fifth.legs.length, 4);
  assert.match(fifth.message ?? "", /at most 4 legs/);
  // The bid of a picked contract replaces its buy with a sell, in place.
  const swapped = pickLeg(legs, legFromQuote(contract(145), "bid", {})).legs;
  assert.deepEqual(swapped.map((l) => [l.strike, l.side]), [
    [140, "buy"],
    [145, "sell"],
    [150, "buy"],
    [155, "buy"],
  ]);
  // The same quote again takes it away.
  const removed = pickLeg(swapped, legFromQuote(contract(145), "bid", {})).legs;
  assert.deepEqual(removed.map((l) => l.strike), [140, 150, 155]);
});

Deno.test("+ leg never holds more than 4 legs or one contract twice, whatever is clicked", () => {
  const click = fc.record({
    strike: fc.integer({ min: 1, max: 8 }).map((k) => 100 + 5 * k),
    type: fc.constantFrom("call", "put" as const),
    which: fc.constantFrom("bid", "ask" as const),
  });
  fc.assert(fc.property(fc.array(click, { maxLength: 30 }), (clicks) => {
    let legs: TicketLeg[] = [];
    for (const c of clicks) {
      legs = pickLeg(legs, legFromQuote(contract(c.strike, c.type as "call"), c.which as "bid", {}))
        .legs;
      assert.ok(legs.length <= MAX_LEGS);
      assert.equal(new Set(legs.map((l) => l.symbol)).size, legs.length);
    }
  }));
});

Deno.test("a vertical's net: debit at the market, mid for the default limit", () => {
  // Buy the 150 call (2.00/2.20), sell the 155 call (1.00/1.10).
  const legs = [
    legFromQuote(contract(150, "call", 2, 2.2), "ask", {}),
    legFromQuote(contract(155, "call", 1, 1.1), "bid", {}),
  ];
  assert.equal(netPerShare(legs, "market"), 1.2);
  assert.equal(netPerShare(legs, "mid"), 1.05);
  const form = newTicket(legs);
  assert.equal(form.netSide, "buy");
  assert.equal(form.limitPrice, "1.05");
  assert.deepEqual(ticketEstimate(form), {
    perShare: 1.05,
    dollars: 105,
    kind: "debit",
    basis: "limit",
  });
  const market = ticketEstimate({ ...form, type: "market", qty: "3" });
  assert.deepEqual(market, { perShare: 1.2, dollars: 360, kind: "debit", basis: "market" });
});

Deno.test("a credit structure defaults to receiving the net", () => {
  const legs = [
    legFromQuote(contract(150, "put", 3, 3.2), "bid", {}),
    legFromQuote(contract(145, "put", 1, 1.2), "ask", {}),
  ];
  const form = newTicket(legs);
  assert.equal(form.netSide, "sell");
  assert.equal(form.limitPrice, "2.00");
  assert.equal(ticketEstimate(form).kind, "credit");
});

Deno.test("the net of a structure is minus the net of its mirror", () => {
  const leg = fc.record({
    strike: fc.integer({ min: 1, max: 40 }).map((k) => 100 + 2.5 * k),
    bid: fc.integer({ min: 0, max: 2000 }).map((c) => c / 100),
    spread: fc.integer({ min: 0, max: 50 }).map((c) => c / 100),
    side: fc.constantFrom("buy", "sell" as const),
    ratio: fc.integer({ min: 1, max: 3 }),
  });
  fc.assert(fc.property(fc.array(leg, { minLength: 1, maxLength: 4 }), (specs) => {
    const legs = specs.map((s) => ({
      ...legFromQuote(contract(s.strike, "call", s.bid, s.bid + s.spread), "ask", {}),
      side: s.side as "buy" | "sell",
      ratioQty: s.ratio,
    }));
    const mirror = legs.map((l) => ({
      ...l,
      side: l.side === "buy" ? "sell" as const : "buy" as const,
    }));
    const a = netPerShare(legs, "mid")!;
    const b = netPerShare(mirror, "mid")!;
    assert.ok(Math.abs(a + b) < 1e-9, `${a} vs ${b}`);
    // At the market a round trip never earns: crossing the spread costs both ways.
    assert.ok(netPerShare(legs, "market")! + netPerShare(mirror, "market")! >= -1e-9);
  }));
});

Deno.test("single leg: the body the API takes for an OCC symbol", () => {
  const form = newTicket([legFromQuote(contract(150), "ask", {})]);
  const built = buildOptionOrder({ ...form, qty: "2" });
  assert.deepEqual(built, {
    ok: true,
    body: {
      symbol: "AAPL210115C00150000",
      side: "buy",
      type: "limit",
      timeInForce: "day",
      qty: 2,
      limitPrice: 2.2,
      positionIntent: "buy_to_open",
    },
  });
  const market = buildOptionOrder({ ...form, type: "market", timeInForce: "gtc" });
  assert.ok(market.ok);
  assert.equal("limitPrice" in market.body, false);
  assert.equal(market.body.timeInForce, "gtc");
});

Deno.test("multi-leg: the mleg body with its legs, underlying and net side", () => {
  const legs = [
    legFromQuote(contract(150), "ask", {}),
    { ...legFromQuote(contract(155), "bid", {}), ratioQty: 2 },
  ];
  const built = buildOptionOrder({ ...newTicket(legs), limitPrice: "0.35", netSide: "sell" });
  assert.deepEqual(built, {
    ok: true,
    body: {
      orderClass: "mleg",
      symbol: "AAPL",
      side: "sell",
      type: "limit",
      timeInForce: "day",
      qty: 1,
      limitPrice: 0.35,
      legs: [
        { symbol: "AAPL210115C00150000", side: "buy", ratioQty: 1, positionIntent: "buy_to_open" },
        {
          symbol: "AAPL210115C00155000",
          side: "sell",
          ratioQty: 2,
          positionIntent: "sell_to_open",
        },
      ],
    },
  });
});

Deno.test("the ticket's own refusals: whole contracts, a priced limit, sound legs", () => {
  const one = newTicket([legFromQuote(contract(150), "ask", {})]);
  const half = buildOptionOrder({ ...one, qty: "1.5" });
  assert.ok(!half.ok && /whole/.test(half.errors.qty ?? ""));
  const zero = buildOptionOrder({ ...one, qty: "0" });
  assert.ok(!zero.ok && zero.errors.qty);
  const noLimit = buildOptionOrder({ ...one, limitPrice: "" });
  assert.ok(!noLimit.ok && /limit price/.test(noLimit.errors.limitPrice ?? ""));
  const subCent = buildOptionOrder({ ...one, limitPrice: "1.005" });
  assert.ok(!subCent.ok && /2 decimal/.test(subCent.errors.limitPrice ?? ""));
  const empty = buildOptionOrder({ ...one, legs: [] });
  assert.ok(!empty.ok && /Pick a contract/.test(empty.errors.legs ?? ""));

  const a = legFromQuote(contract(150), "ask", {});
  const msft = { ...legFromQuote(contract(155), "bid", {}), underlying: "MSFT" };
  const mixed = buildOptionOrder(newTicket([a, msft]));
  assert.ok(!mixed.ok && /same underlying/.test(mixed.errors.legs ?? ""));
  const twice = buildOptionOrder(newTicket([a, { ...a, side: "sell" }]));
  assert.ok(!twice.ok && /one leg only/.test(twice.errors.legs ?? ""));
  const b = legFromQuote(contract(155), "bid", {});
  const common = buildOptionOrder(newTicket([{ ...a, ratioQty: 2 }, { ...b, ratioQty: 2 }]));
  assert.ok(!common.ok);
  assert.match(common.errors.legs ?? "", /share a factor of 2: use 1:1/);
  const fraction = buildOptionOrder(newTicket([{ ...a, ratioQty: 1.5 }, b]));
  assert.ok(!fraction.ok && /Leg 1/.test(fraction.errors.legs ?? ""));
  const five = [140, 145, 150, 155, 160].map((k) => legFromQuote(contract(k), "ask", {}));
  const tooMany = buildOptionOrder(newTicket(five));
  assert.ok(!tooMany.ok && /At most 4/.test(tooMany.errors.legs ?? ""));
});

Deno.test("a market ticket without quotes shows no dollar figure rather than a wrong one", () => {
  const leg = legFromQuote(contract(150, "call", null, null), "ask", {});
  const form = newTicket([leg]);
  assert.equal(form.limitPrice, "2.10", "falls back to the last trade for the limit");
  assert.deepEqual(ticketEstimate({ ...form, type: "market" }), {
    perShare: null,
    dollars: null,
    kind: "debit",
    basis: "market",
  });
});

Deno.test("keyFor: one key per order until the order changes", () => {
  let n = 0;
  const make = () => `k${++n}`;
  const body = buildOptionOrder(newTicket([legFromQuote(contract(150), "ask", {})]));
  assert.ok(body.ok);
  const first = keyFor(null, body.body, make);
  assert.equal(keyFor(first, { ...body.body }, make).key, "k1", "a retry keeps its key");
  assert.equal(keyFor(first, { ...body.body, qty: 2 }, make).key, "k2", "a new order, a new key");
});

Deno.test("a 400's paths land on the ticket's fields, legs named from 1", () => {
  assert.deepEqual(
    errorsFromIssues([
      { path: "legs.1.ratioQty", message: "Expected an integer" },
      { path: "legs.2.symbol", message: "second legs issue, not shown" },
      { path: "qty", message: "Whole contracts" },
      { path: "preview", message: "not a field" },
    ]),
    { legs: "Leg 2: Expected an integer", qty: "Whole contracts" },
  );
  assert.equal(optionFieldForPath("positionIntent"), "legs");
  assert.equal(optionFieldForPath("limitPrice"), "limitPrice");
});
