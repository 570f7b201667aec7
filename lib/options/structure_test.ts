import assert from "node:assert/strict";
import fc from "fast-check";
import type { OrderLeg, OrderSide, PositionIntent } from "../broker/types.ts";
import { formatOcc, parseOcc } from "./occ.ts";
import {
  describeStructure,
  type Holdings,
  legProblems,
  levelRefusal,
  OPTION_LEVELS,
  type Structure,
  type StructureLeg,
} from "./structure.ts";

type Type = "call" | "put";
const EXP = "2024-06-21";
const LATER = "2024-07-19";

function contract(type: Type, strike: number, expiration = EXP, root = "AAPL") {
  const c = parseOcc(formatOcc(root, expiration, type, strike));
  if (!c) throw new Error("bad contract");
  return c;
}

function leg(
  type: Type,
  side: OrderSide,
  strike: number,
  premium: number | undefined,
  qty = 1,
  expiration = EXP,
): StructureLeg {
  return {
    contract: contract(type, strike, expiration),
    side,
    qty,
    premium,
    positionIntent: side === "buy" ? "buy_to_open" : "sell_to_open",
  };
}

const NOTHING: Holdings = { sharesHeld: 0, cash: 1_000_000, options: {} };

function allowedAt(s: Structure) {
  return OPTION_LEVELS.filter((l) => levelRefusal(s, l) === null);
}

const premium = fc.integer({ min: 0, max: 2000 }).map((c) => c / 100);

Deno.test("examples: each kind, its label, level and buying power", () => {
  const cases: [StructureLeg[], Holdings, string, string, number][] = [
    [[leg("call", "buy", 150, 5, 2)], NOTHING, "Long call AAPL 150 2024-06-21 ×2", "covered", 1000],
    [[leg("put", "buy", 150, 4)], NOTHING, "Long put AAPL 150 2024-06-21", "covered", 400],
    [
      [leg("call", "buy", 150, 5), leg("call", "sell", 155, 2)],
      NOTHING,
      "Bull call spread AAPL 150/155 2024-06-21",
      "spreads",
      300,
    ],
    [
      [leg("put", "sell", 150, 5), leg("put", "buy", 145, 2)],
      NOTHING,
      "Bull put spread AAPL 145/150 2024-06-21",
      "spreads",
      200,
    ],
    [
      [leg("put", "buy", 150, 5), leg("put", "sell", 145, 2)],
      NOTHING,
      "Bear put spread AAPL 145/150 2024-06-21",
      "spreads",
      300,
    ],
    [
      [leg("call", "buy", 150, 5), leg("put", "buy", 150, 4)],
      NOTHING,
      "Long straddle AAPL 150 2024-06-21",
      "covered",
      900,
    ],
    [
      [leg("call", "buy", 155, 3), leg("put", "buy", 145, 2)],
      NOTHING,
      "Long strangle AAPL 145/155 2024-06-21",
      "covered",
      500,
    ],
    [
      [
        leg("put", "buy", 140, 1),
        leg("put", "sell", 145, 2),
        leg("call", "sell", 155, 2),
        leg("call", "buy", 165, 1),
      ],
      NOTHING,
      "Iron condor AAPL 140/145/155/165 2024-06-21",
      "spreads",
      800, // the wider (call) side: 10 × 100 less the 2.00 credit
    ],
    [
      [
        leg("put", "buy", 140, 1),
        leg("put", "sell", 150, 4),
        leg("call", "sell", 150, 4),
        leg("call", "buy", 160, 1),
      ],
      NOTHING,
      "Iron butterfly AAPL 140/150/160 2024-06-21",
      "spreads",
      400,
    ],
    [
      [leg("call", "buy", 140, 12), leg("call", "sell", 150, 5, 2), leg("call", "buy", 160, 1)],
      NOTHING,
      "Long call butterfly AAPL 140/150/160 2024-06-21",
      "spreads",
      300,
    ],
    [
      [leg("call", "sell", 150, 3), leg("call", "buy", 150, 5, 1, LATER)],
      NOTHING,
      "Call calendar AAPL 150 2024-06-21/2024-07-19",
      "spreads",
      200,
    ],
    [
      [leg("call", "sell", 150, 3), leg("call", "buy", 155, 4, 1, LATER)],
      NOTHING,
      "Call diagonal AAPL 150/155 2024-06-21/2024-07-19",
      "spreads",
      600, // the 1.00 debit and the 5-point gap the later leg may not make up
    ],
    [
      [leg("call", "sell", 150, 3)],
      { ...NOTHING, sharesHeld: 100 },
      "Covered call AAPL 150 2024-06-21",
      "covered",
      0,
    ],
    [
      [leg("put", "sell", 150, 5)],
      NOTHING,
      "Cash-secured put AAPL 150 2024-06-21",
      "covered",
      14_500,
    ],
  ];
  for (const [legs, held, label, requires, bp] of cases) {
    const s = describeStructure(legs, held);
    assert.equal(s.label, label);
    assert.equal(s.requires, requires, label);
    assert.equal(s.buyingPower.amount, bp, label);
    assert.ok(s.buyingPower.rule.length > 0, label);
  }
});

Deno.test("a collar: the call is covered by shares, the put's debit is the buying power", () => {
  const s = describeStructure([leg("call", "sell", 160, 2), leg("put", "buy", 140, 3)], {
    ...NOTHING,
    sharesHeld: 100,
    underlyingPrice: 150,
  });
  assert.equal(s.kind, "custom");
  assert.equal(s.requires, "covered");
  assert.equal(s.buyingPower.amount, 300);
  assert.match(s.buyingPower.rule, /covered by shares held/);
  assert.equal(s.maxProfit, 900); // (160 − 150) × 100 less the 1.00 net debit
  assert.equal(s.maxLoss, 1100); // (150 − 140) × 100 plus the debit
});

Deno.test("rolling a covered call: the closed call frees its shares for the new one", () => {
  const old = contract("call", 150);
  const legs: StructureLeg[] = [
    { contract: old, side: "buy", qty: 1, positionIntent: "buy_to_close", premium: 1 },
    leg("call", "sell", 155, 2, 1, LATER),
  ];
  const held = { sharesHeld: 100, cash: 0, options: { [old.symbol]: -1 } };
  const s = describeStructure(legs, held);
  assert.equal(s.kind, "covered_call");
  assert.equal(s.label, "Covered call AAPL 155 2024-07-19");
  assert.equal(s.premium, -100);
  assert.equal(s.buyingPower.amount, 0);
  // Without the close the shares already cover the old call: the new one is naked.
  assert.equal(describeStructure(legs.slice(1), held).kind, "naked_call");
});

Deno.test("a naked short call is refused at every level, with the reason", () => {
  const s = describeStructure([leg("call", "sell", 150, 5)], NOTHING);
  assert.equal(s.kind, "naked_call");
  assert.equal(s.requires, "naked");
  assert.equal(s.maxLoss, "unlimited");
  for (const level of OPTION_LEVELS) {
    assert.match(levelRefusal(s, level) ?? "", /Naked short calls have unlimited risk/);
  }
});

Deno.test("a calendar has no maximum profit or breakevens at one expiry", () => {
  const s = describeStructure(
    [leg("put", "sell", 150, 3), leg("put", "buy", 150, 5, 1, LATER)],
    NOTHING,
  );
  assert.equal(s.kind, "calendar");
  assert.equal(s.maxProfit, null);
  assert.deepEqual(s.breakevens, []);
  assert.equal(s.maxLoss, 200);
});

Deno.test("a reverse calendar leaves the later short uncovered", () => {
  const s = describeStructure(
    [leg("call", "buy", 150, 3), leg("call", "sell", 150, 5, 1, LATER)],
    NOTHING,
  );
  assert.equal(s.kind, "naked_call");
});

Deno.test("a covered call's figures include the shares, valued at the underlying's price", () => {
  const legs = [leg("call", "sell", 150, 5)];
  const s = describeStructure(legs, { ...NOTHING, sharesHeld: 100, underlyingPrice: 148 });
  assert.equal(s.kind, "covered_call");
  assert.equal(s.maxProfit, 700); // (150 − 148 + 5) × 100
  assert.equal(s.maxLoss, 14_300); // (148 − 5) × 100, the shares going to zero
  assert.deepEqual(s.breakevens, [143]);
  const blind = describeStructure(legs, { ...NOTHING, sharesHeld: 100 });
  assert.equal(blind.maxProfit, null);
  assert.equal(blind.maxLoss, null);
  assert.deepEqual(blind.breakevens, []);
  assert.equal(blind.buyingPower.amount, 0);
});

Deno.test("without a premium on every leg the figures are null and the rule says so", () => {
  const s = describeStructure([leg("call", "buy", 150, 5), leg("call", "sell", 155, undefined)], {
    ...NOTHING,
  });
  assert.equal(s.premium, null);
  assert.equal(s.maxProfit, null);
  assert.equal(s.maxLoss, null);
  assert.deepEqual(s.breakevens, []);
  assert.equal(s.buyingPower.amount, 500);
  assert.match(s.buyingPower.rule, /without a premium/);
});

Deno.test("levels: none opens nothing, covered no spreads", () => {
  const long = describeStructure([leg("call", "buy", 150, 5)], NOTHING);
  assert.deepEqual(allowedAt(long), ["covered", "spreads"]);
  assert.match(levelRefusal(long, "none") ?? "", /level is "none"/);
  const spread = describeStructure(
    [leg("call", "buy", 150, 5), leg("call", "sell", 155, 2)],
    NOTHING,
  );
  assert.deepEqual(allowedAt(spread), ["spreads"]);
  assert.match(levelRefusal(spread, "covered") ?? "", /Bull call spread .* needs option level/);
});

Deno.test("property: closing legs need no level and hold no buying power", () => {
  fc.assert(fc.property(
    fc.uniqueArray(
      fc.record({
        type: fc.constantFrom<Type>("call", "put"),
        strike: fc.integer({ min: 1, max: 400 }),
        held: fc.integer({ min: -20, max: 20 }).filter((n) => n !== 0),
        part: fc.double({ min: 0, max: 1, noNaN: true }),
        premium,
      }),
      { minLength: 1, maxLength: 4, selector: (r) => `${r.type}${r.strike}` },
    ),
    (rows) => {
      const options: Record<string, number> = {};
      const legs: StructureLeg[] = rows.map((r) => {
        const c = contract(r.type, r.strike);
        options[c.symbol] = r.held;
        const side: OrderSide = r.held > 0 ? "sell" : "buy";
        const qty = Math.max(1, Math.round(r.part * Math.abs(r.held)));
        const positionIntent: PositionIntent = r.held > 0 ? "sell_to_close" : "buy_to_close";
        return { contract: c, side, qty, positionIntent, premium: r.premium };
      });
      const s = describeStructure(legs, { sharesHeld: 0, cash: 0, options });
      assert.equal(s.kind, "closing");
      assert.equal(s.requires, "none");
      assert.equal(s.buyingPower.amount, 0);
      assert.deepEqual(allowedAt(s), OPTION_LEVELS);
    },
  ));
});

Deno.test("property: a close beyond what is held opens the rest", () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 10 }),
    fc.integer({ min: 1, max: 10 }),
    (held, extra) => {
      const c = contract("call", 150);
      const s = describeStructure([{
        contract: c,
        side: "sell",
        qty: held + extra,
        positionIntent: "sell_to_close",
        premium: 1,
      }], { sharesHeld: 0, cash: 0, options: { [c.symbol]: held } });
      assert.equal(s.kind, "naked_call");
      // With the shares for the excess it is a covered call instead.
      const covered = describeStructure([{
        contract: c,
        side: "sell",
        qty: held + extra,
        positionIntent: "sell_to_close",
        premium: 1,
      }], { sharesHeld: 100 * extra, cash: 0, options: { [c.symbol]: held } });
      assert.equal(covered.kind, "covered_call");
    },
  ));
});

Deno.test("property: a vertical holds its debit, or its width less the credit", () => {
  fc.assert(fc.property(
    fc.constantFrom<Type>("call", "put"),
    fc.integer({ min: 20, max: 300 }),
    fc.integer({ min: 1, max: 30 }),
    fc.integer({ min: 1, max: 20 }),
    fc.boolean(),
    fc.double({ min: 0.05, max: 0.95, noNaN: true }),
    (type, low, width, qty, buyLow, fraction) => {
      const high = low + width;
      const cheap = 0.5;
      const dear = Math.round((cheap + fraction * width) * 100) / 100;
      const [pLow, pHigh] = type === "call" ? [dear, cheap] : [cheap, dear];
      const s = describeStructure([
        leg(type, buyLow ? "buy" : "sell", low, pLow, qty),
        leg(type, buyLow ? "sell" : "buy", high, pHigh, qty),
      ], NOTHING);
      const net = (buyLow ? 1 : -1) * (pLow - pHigh) * 100 * qty; // + debit, − credit
      const expected = net > 0 ? net : width * 100 * qty + net;
      assert.equal(s.kind, "vertical");
      assert.ok(Math.abs(s.premium! - net) < 0.006, `${s.premium} vs ${net}`);
      assert.ok(Math.abs(s.buyingPower.amount - expected) < 0.011);
      assert.equal(s.maxLoss, s.buyingPower.amount);
      assert.ok(Math.abs((s.maxProfit as number) - (width * 100 * qty - expected)) < 0.011);
      assert.ok(s.label.startsWith(buyLow ? "Bull" : "Bear"), s.label);
      assert.deepEqual(allowedAt(s), ["spreads"]);
      assert.equal(s.breakevens.length, 1);
    },
  ));
});

Deno.test("property: an iron condor holds its wider side less the credit", () => {
  fc.assert(fc.property(
    fc.integer({ min: 50, max: 200 }),
    fc.tuple(
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 10 }),
    ),
    fc.integer({ min: 1, max: 10 }),
    fc.tuple(premium, premium, premium, premium),
    (p1, [putWidth, body, callWidth], qty, [a, b, c, d]) => {
      const [p2, c1] = [p1 + putWidth, p1 + putWidth + body];
      const c2 = c1 + callWidth;
      const s = describeStructure([
        leg("put", "buy", p1, a, qty),
        leg("put", "sell", p2, b, qty),
        leg("call", "sell", c1, c, qty),
        leg("call", "buy", c2, d, qty),
      ], NOTHING);
      const net = (a - b - c + d) * 100 * qty;
      const loss = Math.max(putWidth, callWidth) * 100 * qty + net;
      assert.equal(s.kind, "iron_condor");
      assert.equal(s.requires, "spreads");
      assert.ok(Math.abs(s.buyingPower.amount - Math.max(0, loss)) < 0.011);
    },
  ));
});

Deno.test("property: uncovered shorts are naked; covered ones hold their largest loss", () => {
  const legArb = fc.record({
    type: fc.constantFrom<Type>("call", "put"),
    side: fc.constantFrom<OrderSide>("buy", "sell"),
    strike: fc.integer({ min: 10, max: 300 }),
    qty: fc.integer({ min: 1, max: 5 }),
    premium,
  });
  fc.assert(fc.property(
    fc.uniqueArray(legArb, { minLength: 2, maxLength: 4, selector: (l) => `${l.type}${l.strike}` }),
    (rows) => {
      const legs = rows.map((r) => leg(r.type, r.side, r.strike, r.premium, r.qty));
      const s = describeStructure(legs, NOTHING);
      const count = (type: Type, side: OrderSide) =>
        rows.filter((r) => r.type === type && r.side === side).reduce((n, r) => n + r.qty, 0);
      const nakedCalls = count("call", "sell") > count("call", "buy");
      const nakedPuts = count("put", "sell") > count("put", "buy");
      if (nakedCalls) assert.equal(s.kind, "naked_call");
      else if (nakedPuts) assert.equal(s.kind, "naked_put");
      else {
        assert.equal(s.requires, rows.some((r) => r.side === "sell") ? "spreads" : "covered");
        assert.ok(typeof s.maxLoss === "number");
        assert.equal(s.buyingPower.amount, Math.max(0, s.maxLoss));
      }
      if (nakedCalls || nakedPuts) assert.deepEqual(allowedAt(s), []);
      if (nakedCalls) assert.equal(s.maxLoss, "unlimited");
      const net = legs.reduce((n, l) => n + (l.side === "buy" ? 1 : -1) * l.qty * l.premium!, 0);
      assert.ok(Math.abs(s.premium! - net * 100) < 0.006);
      // What one level allows, every higher one allows.
      const allowed = allowedAt(s);
      assert.deepEqual(allowed, OPTION_LEVELS.slice(OPTION_LEVELS.length - allowed.length));
    },
  ));
});

Deno.test("property: a covered call needs 100 free shares per contract", () => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 1500 }),
    fc.integer({ min: 0, max: 5 }),
    fc.integer({ min: 1, max: 10 }),
    (shares, shortHeld, qty) => {
      const held = contract("call", 160, LATER);
      const s = describeStructure([leg("call", "sell", 150, 2, qty)], {
        sharesHeld: shares,
        cash: 0,
        options: shortHeld ? { [held.symbol]: -shortHeld } : {},
      });
      const free = shares - 100 * shortHeld;
      if (free >= 100 * qty) {
        assert.equal(s.kind, "covered_call");
        assert.equal(s.buyingPower.amount, 0);
        assert.deepEqual(allowedAt(s), ["covered", "spreads"]);
      } else assert.equal(s.kind, "naked_call");
    },
  ));
});

Deno.test("property: a put alone is cash-secured when the cash pays for the shares", () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 500 }),
    fc.integer({ min: 1, max: 10 }),
    premium,
    fc.integer({ min: 0, max: 600_000 }),
    (strike, qty, p, cash) => {
      const s = describeStructure([leg("put", "sell", strike, p, qty)], {
        ...NOTHING,
        cash,
      });
      const needed = Math.round((strike - p) * 100 * qty * 100) / 100;
      if (cash >= needed) {
        assert.equal(s.kind, "cash_secured_put");
        assert.ok(Math.abs(s.buyingPower.amount - Math.max(0, needed)) < 0.011);
        assert.deepEqual(allowedAt(s), ["covered", "spreads"]);
      } else {
        assert.equal(s.kind, "naked_put");
        assert.match(levelRefusal(s, "spreads") ?? "", /Naked short puts/);
      }
    },
  ));
});

Deno.test("property: bought options hold their debit; straddle breakevens are K ± debit", () => {
  fc.assert(fc.property(
    fc.integer({ min: 10, max: 300 }),
    fc.integer({ min: 0, max: 30 }),
    fc.integer({ min: 1, max: 10 }),
    premium,
    premium,
    (putStrike, gap, qty, pc, pp) => {
      const callStrike = putStrike + gap;
      const s = describeStructure([
        leg("call", "buy", callStrike, pc, qty),
        leg("put", "buy", putStrike, pp, qty),
      ], NOTHING);
      assert.equal(s.kind, gap === 0 ? "straddle" : "strangle");
      const debit = (pc + pp) * 100 * qty;
      assert.ok(Math.abs(s.buyingPower.amount - debit) < 0.011);
      assert.equal(s.maxProfit, "unlimited");
      const perShare = pc + pp;
      const expected = [putStrike - perShare, callStrike + perShare].filter((x) => x > 0);
      if (perShare > 0 && perShare < putStrike) {
        assert.equal(s.breakevens.length, 2);
        s.breakevens.forEach((b, i) => assert.ok(Math.abs(b - expected[i]) < 1e-3));
      }
    },
  ));
});

Deno.test("legProblems: well-formed legs have none", () => {
  fc.assert(fc.property(
    fc.uniqueArray(
      fc.record({
        type: fc.constantFrom<Type>("call", "put"),
        strike: fc.integer({ min: 1, max: 500 }),
        side: fc.constantFrom<OrderSide>("buy", "sell"),
        open: fc.boolean(),
        ratio: fc.integer({ min: 1, max: 3 }),
      }),
      { minLength: 2, maxLength: 4, selector: (r) => `${r.type}${r.strike}` },
    ),
    (rows) => {
      const legs: OrderLeg[] = rows.map((r) => ({
        symbol: contract(r.type, r.strike).symbol,
        side: r.side,
        ratioQty: r.ratio,
        positionIntent: `${r.side}_to_${r.open ? "open" : "close"}` as PositionIntent,
      }));
      assert.deepEqual(legProblems(legs), []);
    },
  ));
});

Deno.test("legProblems: each fault names its leg", () => {
  const good = (): OrderLeg[] => [
    {
      symbol: contract("call", 150).symbol,
      side: "buy",
      ratioQty: 1,
      positionIntent: "buy_to_open",
    },
    {
      symbol: contract("call", 155).symbol,
      side: "sell",
      ratioQty: 1,
      positionIntent: "sell_to_open",
    },
    {
      symbol: contract("put", 145).symbol,
      side: "buy",
      ratioQty: 1,
      positionIntent: "buy_to_open",
    },
  ];
  const faults: [(l: OrderLeg[]) => void, RegExp][] = [
    [(l) => (l[2].symbol = "AAPL"), /Leg 3: AAPL is not an OCC option symbol/],
    [(l) => (l[2].symbol = contract("put", 145, EXP, "MSFT").symbol), /Leg 3: .*MSFT differs/],
    [(l) => (l[2].symbol = l[0].symbol), /Leg 3: .* is also leg 1/],
    [(l) => (l[2].ratioQty = 0), /Leg 3: the ratio quantity/],
    [(l) => (l[2].ratioQty = 1.5), /Leg 3: the ratio quantity/],
    [(l) => (l[2].side = "sell"), /Leg 3: buy_to_open goes with side buy/],
  ];
  for (const [fault, message] of faults) {
    const legs = good();
    fault(legs);
    const problems = legProblems(legs);
    assert.equal(problems.length, 1, String(message));
    assert.equal(problems[0].leg, 2);
    assert.match(problems[0].message, message);
  }
  assert.deepEqual(legProblems(good().slice(0, 1)).map((p) => p.leg), [null]);
  assert.deepEqual(legProblems([...good(), ...good()].slice(0, 5)).map((p) => p.leg), [null, 3, 4]);
});
