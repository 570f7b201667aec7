import assert from "node:assert/strict";
import fc from "fast-check";
import { formatOcc, parseOcc } from "./occ.ts";
import { settle, type Settlement, type SettlementContext } from "./expiry.ts";

function contract(type: "call" | "put", strike: number) {
  const c = parseOcc(formatOcc("AAPL", "2024-06-21", type, strike));
  if (!c) throw new Error("bad contract");
  return c;
}

const cents = (lo: number, hi: number) =>
  fc.integer({ min: lo * 100, max: hi * 100 }).map((n) => n / 100);

const arbitrary = fc.record({
  type: fc.constantFrom("call" as const, "put" as const),
  strike: fc.oneof(fc.integer({ min: 1, max: 500 }), cents(1, 500)),
  qty: fc.integer({ min: -20, max: 20 }).filter((n) => n !== 0),
  close: cents(0.01, 700),
  cash: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000_000 })),
  sharesHeld: fc.integer({ min: -5000, max: 5000 }),
  allowShortSelling: fc.boolean(),
});

function ctxOf(r: { close: number; cash: number; sharesHeld: number; allowShortSelling: boolean }) {
  return {
    underlyingClose: r.close,
    cash: r.cash,
    sharesHeld: r.sharesHeld,
    allowShortSelling: r.allowShortSelling,
  } satisfies SettlementContext;
}

/** Cash and the market value of shares moved by the settlement, marked at the close. */
function valueMoved(s: Settlement, close: number): number {
  const sign = (side: "buy" | "sell") => side === "buy" ? -1 : 1;
  let value = sign(s.option.side) * s.option.qty * 100 * s.option.price;
  if (s.shares) value += sign(s.shares.side) * s.shares.qty * (s.shares.price - close);
  return value;
}

Deno.test("examples: the notes say what happened", () => {
  const ctx = { underlyingClose: 155.25, cash: 100_000, sharesHeld: 0, allowShortSelling: false };
  assert.equal(
    settle({ contract: contract("call", 150), qty: 1 }, ctx).note,
    "AAPL 2024-06-21 150 call exercised at 150: bought 100 AAPL",
  );
  assert.equal(
    settle({ contract: contract("call", 150), qty: -2 }, { ...ctx, sharesHeld: 200 }).note,
    "AAPL 2024-06-21 150 call assigned at 150: sold 200 AAPL",
  );
  assert.equal(
    settle({ contract: contract("call", 150), qty: -1 }, ctx).note,
    "AAPL 2024-06-21 150 call assigned for cash at its intrinsic value 5.25 (AAPL closed at " +
      "155.25): 100 AAPL are not held and short selling is off.",
  );
  assert.equal(
    settle({ contract: contract("put", 152.5), qty: 1 }, ctx).note,
    "AAPL 2024-06-21 152.5 put expired worthless: AAPL closed at 155.25, out of the money.",
  );
});

Deno.test("the threshold: a cent in the money is exercised, less expires", () => {
  const at = (close: number) =>
    settle({ contract: contract("call", 150), qty: 1 }, {
      underlyingClose: close,
      cash: 1e6,
      sharesHeld: 0,
      allowShortSelling: false,
    }).reason;
  assert.equal(at(150.01), "exercise"); // 150.01 − 150 is 0.00999… in floating point
  assert.equal(at(150.005), "expired");
  assert.equal(at(150), "expired");
});

Deno.test("property: value is conserved, for shares and for cash", () => {
  fc.assert(fc.property(arbitrary, (r) => {
    const s = settle({ contract: contract(r.type, r.strike), qty: r.qty }, ctxOf(r));
    const intrinsic = Math.max(0, r.type === "call" ? r.close - r.strike : r.strike - r.close);
    const held = Math.sign(r.qty) * Math.abs(r.qty) * 100 *
      (s.reason === "expired" ? 0 : intrinsic);
    const moved = valueMoved(s, r.close);
    assert.ok(Math.abs(moved - held) < 1e-6 * (1 + Math.abs(held)), `${moved} vs ${held}`);
  }));
});

Deno.test("property: at or out of the money always expires at 0 with no shares", () => {
  fc.assert(fc.property(arbitrary, fc.integer({ min: 0, max: 10_000 }), (r, out) => {
    // A close on the strike, or on its worthless side by up to $100.
    const close = Math.max(0.01, r.strike + (r.type === "call" ? -1 : 1) * out / 100);
    const s = settle({ contract: contract(r.type, r.strike), qty: r.qty }, ctxOf({ ...r, close }));
    assert.equal(s.reason, "expired");
    assert.equal(s.option.price, 0);
    assert.equal(s.shares, null);
    assert.equal(s.cashSettled, false);
  }));
});

Deno.test("property: an ITM long call with the cash buys 100 shares a contract at the strike", () => {
  fc.assert(fc.property(arbitrary, cents(0.01, 100), (r, itm) => {
    const qty = Math.abs(r.qty);
    const cash = r.strike * 100 * qty + r.cash;
    const s = settle(
      { contract: contract("call", r.strike), qty },
      ctxOf({ ...r, close: r.strike + itm, cash }),
    );
    assert.equal(s.reason, "exercise");
    assert.equal(s.cashSettled, false);
    assert.deepEqual(s.shares, { symbol: "AAPL", side: "buy", qty: 100 * qty, price: r.strike });
    assert.equal(s.option.price, 0);
  }));
});

Deno.test("property: a short put assigned without the cash is settled for cash", () => {
  fc.assert(fc.property(arbitrary, cents(0.01, 100), (r, itm) => {
    const qty = Math.abs(r.qty);
    const cash = Math.max(0, r.strike * 100 * qty - 0.01 - r.cash);
    const close = Math.max(0.01, r.strike - itm);
    fc.pre(r.strike - close >= 0.01);
    const s = settle(
      { contract: contract("put", r.strike), qty: -qty },
      ctxOf({ ...r, close, cash }),
    );
    assert.equal(s.reason, "assignment");
    assert.equal(s.cashSettled, true);
    assert.equal(s.shares, null);
    assert.ok(Math.abs(s.option.price - (r.strike - close)) < 1e-6);
    assert.equal(s.option.side, "buy");
  }));
});

Deno.test("property: selling shares needs them held or short selling on", () => {
  fc.assert(fc.property(arbitrary, cents(0.01, 100), (r, itm) => {
    // Long puts and short calls in the money both sell shares.
    const long = r.type === "put";
    const close = Math.max(0.01, r.strike + (long ? -itm : itm));
    fc.pre(Math.abs(close - r.strike) >= 0.01);
    const qty = (long ? 1 : -1) * Math.abs(r.qty);
    const s = settle({ contract: contract(r.type, r.strike), qty }, ctxOf({ ...r, close }));
    const deliverable = r.allowShortSelling || r.sharesHeld >= 100 * Math.abs(qty);
    assert.equal(s.cashSettled, !deliverable);
    if (deliverable) assert.equal(s.shares?.side, "sell");
  }));
});

Deno.test("property: the option's close flattens the position exactly", () => {
  fc.assert(fc.property(arbitrary, (r) => {
    const s = settle({ contract: contract(r.type, r.strike), qty: r.qty }, ctxOf(r));
    const after = r.qty + (s.option.side === "buy" ? s.option.qty : -s.option.qty);
    assert.equal(after, 0);
    assert.equal(s.option.symbol, contract(r.type, r.strike).symbol);
    assert.ok(s.option.price >= 0);
  }));
});

Deno.test("settle refuses a zero quantity", () => {
  assert.throws(
    () =>
      settle({ contract: contract("call", 1), qty: 0 }, {
        underlyingClose: 1,
        cash: 0,
        sharesHeld: 0,
        allowShortSelling: false,
      }),
    RangeError,
  );
});
