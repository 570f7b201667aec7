import assert from "node:assert/strict";
import fc from "fast-check";
import {
  analyze,
  breakevens,
  CONTRACT_SHARES,
  extremes,
  intrinsic,
  type Leg,
  netPremium,
  type OptionLeg,
  pnlFunction,
  positionGreeks,
  probabilityOfProfit,
} from "./strategy.ts";
import { bsPrice, normCdf } from "../../analytics/greeks.ts";

function near(actual: number, expected: number, tolerance: number, what = "") {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: ${actual} is not within ${tolerance} of ${expected}`,
  );
}

const YEARS = 30 / 365;
const S = { rate: 0.01 };

const optionLeg = fc.record({
  type: fc.constantFrom("call" as const, "put" as const),
  side: fc.constantFrom("buy" as const, "sell" as const),
  strike: fc.integer({ min: 20, max: 300 }),
  years: fc.constant(YEARS),
  quantity: fc.integer({ min: 1, max: 5 }),
  premium: fc.double({ min: 0, max: 40, noNaN: true }),
  iv: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
});

Deno.test("payoff at expiry is the legs' intrinsic values less the net premium", () => {
  fc.assert(
    fc.property(
      fc.array(optionLeg, { minLength: 1, maxLength: 4 }),
      fc.double({ min: 0, max: 600, noNaN: true }),
      (legs, spot) => {
        const atExpiry = pnlFunction(legs, YEARS, S)(spot);
        let held = 0;
        for (const l of legs) {
          held += (l.side === "buy" ? 1 : -1) * l.quantity * CONTRACT_SHARES * intrinsic(l, spot);
        }
        near(atExpiry, held - netPremium(legs), 1e-6 * (1 + Math.abs(held)), `spot ${spot}`);
      },
    ),
  );
});

Deno.test("a vertical's max loss is its debit, or its width less the credit", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("call" as const, "put" as const),
      fc.integer({ min: 30, max: 200 }),
      fc.integer({ min: 1, max: 30 }),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      fc.integer({ min: 1, max: 10 }),
      fc.boolean(),
      (type, low, width, fraction, quantity, buyLow) => {
        const high = low + width;
        // The lower-strike call (higher-strike put) is the dearer leg: a premium gap inside
        // (0, width) keeps the spread free of arbitrage.
        const cheap = 1;
        const dear = cheap + fraction * width;
        const [lowPremium, highPremium] = type === "call" ? [dear, cheap] : [cheap, dear];
        const legs: OptionLeg[] = [
          {
            type,
            side: buyLow ? "buy" : "sell",
            strike: low,
            years: YEARS,
            quantity,
            premium: lowPremium,
            iv: 0.3,
          },
          {
            type,
            side: buyLow ? "sell" : "buy",
            strike: high,
            years: YEARS,
            quantity,
            premium: highPremium,
            iv: 0.3,
          },
        ];
        const a = analyze(legs, { spot: (low + high) / 2, rate: 0.01 });
        const net = netPremium(legs);
        const expected = net > 0 ? net : width * quantity * CONTRACT_SHARES + net;
        assert.notEqual(a.maxLoss, "unlimited");
        assert.notEqual(a.maxProfit, "unlimited");
        near(a.maxLoss as number, expected, 1e-6 * expected, "max loss");
        near(
          (a.maxProfit as number) + (a.maxLoss as number),
          width * quantity * CONTRACT_SHARES,
          1e-6,
          "profit + loss = width",
        );
      },
    ),
  );
});

Deno.test("put-call parity holds in the position's valuation before expiry", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 20, max: 300 }),
      fc.double({ min: 10, max: 500, noNaN: true }),
      fc.double({ min: 0.01, max: 2, noNaN: true }),
      fc.double({ min: 0.05, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 0.08, noNaN: true }),
      (strike, spot, years, iv, rate) => {
        // Long a call, short a put, both with zero premium: the position is worth C − P.
        const legs: Leg[] = [
          { type: "call", side: "buy", strike, years, quantity: 1, premium: 0, iv },
          { type: "put", side: "sell", strike, years, quantity: 1, premium: 0, iv },
        ];
        const value = pnlFunction(legs, 0, { rate })(spot) / CONTRACT_SHARES;
        near(value, spot - strike * Math.exp(-rate * years), 1e-8 * (spot + strike), "C − P");
      },
    ),
  );
});

Deno.test("a straddle's breakevens are the strike ± the total premium", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 20, max: 300 }),
      fc.double({ min: 0.1, max: 15, noNaN: true }),
      fc.double({ min: 0.1, max: 15, noNaN: true }),
      (strike, call, put) => {
        // A premium at or above the strike leaves no lower breakeven above a price of 0.
        fc.pre(call + put < 0.99 * strike);
        const legs: Leg[] = [
          { type: "call", side: "buy", strike, years: YEARS, quantity: 1, premium: call, iv: 0.3 },
          { type: "put", side: "buy", strike, years: YEARS, quantity: 1, premium: put, iv: 0.3 },
        ];
        const a = analyze(legs, { spot: strike, rate: 0.01 });
        assert.equal(a.breakevens.length, 2, JSON.stringify(a.breakevens));
        near(a.breakevens[0], strike - call - put, 1e-7 * strike, "lower");
        near(a.breakevens[1], strike + call + put, 1e-7 * strike, "upper");
        assert.equal(a.maxProfit, "unlimited");
        near(a.maxLoss as number, (call + put) * 100, 1e-9, "max loss");
        assert.equal(a.net.kind, "debit");
      },
    ),
  );
});

Deno.test("unlimited loss for a naked call, bounded loss for a covered one", () => {
  const call: OptionLeg = {
    type: "call",
    side: "sell",
    strike: 110,
    years: YEARS,
    quantity: 1,
    premium: 2,
    iv: 0.3,
  };
  const naked = analyze([call], { spot: 100, rate: 0.01 });
  assert.equal(naked.maxLoss, "unlimited");
  assert.equal(naked.maxProfit, 200);
  assert.equal(naked.net.kind, "credit");
  const covered = analyze([{ type: "stock", side: "buy", quantity: 100, premium: 100 }, call], {
    spot: 100,
    rate: 0.01,
  });
  near(covered.maxProfit as number, (110 - 100 + 2) * 100, 1e-9, "covered max profit");
  near(covered.maxLoss as number, (100 - 2) * 100, 1e-9, "covered max loss");
  near(covered.breakevens[0], 98, 1e-7, "covered breakeven");
  near(
    covered.greeks.delta,
    100 - 100 * positionGreeks([{ ...call, side: "buy" }], {
          spot: 100,
          rate: 0.01,
        }).delta /
        100,
    1e-9,
    "delta",
  );
});

Deno.test("an iron condor: credit, max loss = wing width − credit, two breakevens", () => {
  const leg = (type: "call" | "put", side: "buy" | "sell", strike: number, premium: number) => ({
    type,
    side,
    strike,
    years: YEARS,
    quantity: 1,
    premium,
    iv: 0.25,
  });
  const legs: Leg[] = [
    leg("put", "buy", 90, 0.5),
    leg("put", "sell", 95, 1.5),
    leg("call", "sell", 105, 1.4),
    leg("call", "buy", 110, 0.4),
  ];
  const a = analyze(legs, { spot: 100, rate: 0.01 });
  near(a.net.amount, -200, 1e-9, "credit");
  near(a.maxProfit as number, 200, 1e-9, "max profit");
  near(a.maxLoss as number, 500 - 200, 1e-9, "max loss");
  near(a.breakevens[0], 93, 1e-7, "lower");
  near(a.breakevens[1], 107, 1e-7, "upper");
  assert.ok(a.probabilityOfProfit > 0.3 && a.probabilityOfProfit < 0.9, `${a.probabilityOfProfit}`);
});

Deno.test("probability of profit of a long call is the lognormal tail past its breakeven", () => {
  const call: OptionLeg = {
    type: "call",
    side: "buy",
    strike: 100,
    years: 0.25,
    quantity: 1,
    premium: 4,
    iv: 0.3,
  };
  const s = { spot: 100, rate: 0.02 };
  const a = analyze([call], s);
  const sd = 0.3 * Math.sqrt(0.25);
  const expected = 1 - normCdf((Math.log(104 / 100) - (0.02 - 0.045) * 0.25) / sd);
  near(a.probabilityOfProfit, expected, 1e-9, "PoP");
  const f = pnlFunction([call], 0.25, s);
  assert.equal(probabilityOfProfit(f, breakevens(f, [call], 100), s, 0.3, 0), 0);
});

Deno.test("an IV shift moves the value before expiry, not at expiry", () => {
  const call: OptionLeg = {
    type: "call",
    side: "buy",
    strike: 100,
    years: 0.25,
    quantity: 2,
    premium: 4,
    iv: 0.3,
  };
  const before = pnlFunction([call], 0.1, { rate: 0.01, ivShift: 0.1 })(100);
  const fair = bsPrice({
    type: "call",
    spot: 100,
    strike: 100,
    years: 0.15,
    rate: 0.01,
    volatility: 0.4,
  });
  near(before, 200 * (fair - 4), 1e-9, "before");
  near(pnlFunction([call], 0.25, { rate: 0.01, ivShift: 0.1 })(120), 200 * 16, 1e-9, "at expiry");
});

Deno.test("a calendar's loss is bounded both ways and greatest far from the strike", () => {
  const legs: Leg[] = [
    { type: "call", side: "sell", strike: 100, years: YEARS, quantity: 1, premium: 2.5, iv: 0.3 },
    {
      type: "call",
      side: "buy",
      strike: 100,
      years: 3 * YEARS,
      quantity: 1,
      premium: 4.2,
      iv: 0.3,
    },
  ];
  const f = pnlFunction(legs, YEARS, { rate: 0.01 });
  const e = extremes(f, legs, 100);
  assert.equal(typeof e.maxLoss, "number");
  assert.equal(typeof e.maxProfit, "number");
  near(e.maxLoss as number, 170, 1, "loss is the debit, at either end");
  assert.ok(f(100) > 0, "profit at the strike");
});
