import { deepEqual, equal, throws } from "node:assert/strict";
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { type Holding, nextPosition } from "./ledger.ts";

const flat = (): Holding => ({ qty: new Decimal(0), costBasis: new Decimal(0) });
const show = (h: Holding) => [h.qty.toString(), h.costBasis.toFixed(2)];

Deno.test("ledger: buy, add, sell part, sell the rest", () => {
  let h = flat();
  let e = nextPosition(h, "buy", 10, "100.1");
  deepEqual(show(e.next), ["10", "1001.00"]);
  equal(e.cashDelta.toFixed(2), "-1001.00");
  h = e.next;
  e = nextPosition(h, "buy", 5, "99");
  deepEqual(show(e.next), ["15", "1496.00"]);
  h = e.next;
  e = nextPosition(h, "sell", 5, "110");
  // 5 of 15 carry a third of the cost: 498.67 (rounded); sold for 550.
  deepEqual(show(e.next), ["10", "997.33"]);
  equal(e.realized.toFixed(2), "51.33");
  h = e.next;
  e = nextPosition(h, "sell", 10, "90");
  deepEqual(show(e.next), ["0", "0.00"]);
  equal(e.realized.toFixed(2), "-97.33");
});

Deno.test("ledger: a sell through zero closes the long and opens a short", () => {
  const long = nextPosition(flat(), "buy", 10, 100).next;
  const e = nextPosition(long, "sell", 15, 110);
  deepEqual(show(e.next), ["-5", "-550.00"]);
  equal(e.realized.toFixed(2), "100.00");
  equal(e.cashDelta.toFixed(2), "1650.00");
  const cover = nextPosition(e.next, "buy", 5, 100);
  deepEqual(show(cover.next), ["0", "0.00"]);
  equal(cover.realized.toFixed(2), "50.00");
});

Deno.test("ledger: notionals round half up to the cent", () => {
  equal(nextPosition(flat(), "buy", "0.5", "0.01").notional.toFixed(2), "0.01");
  equal(nextPosition(flat(), "buy", "3", "0.335").notional.toFixed(2), "1.01");
  throws(() => nextPosition(flat(), "buy", 0, 1), RangeError);
  throws(() => nextPosition(flat(), "buy", 1, -1), RangeError);
});

Deno.test("ledger: cash + cost basis − realized never drifts, whatever the fills", () => {
  const fill = fc.record({
    side: fc.constantFrom("buy" as const, "sell" as const),
    qty: fc.integer({ min: 1, max: 100_000_000 }).map((n) => new Decimal(n).div(1e6)),
    price: fc.integer({ min: 1, max: 50_000_000 }).map((n) => new Decimal(n).div(1e4)),
  });
  fc.assert(
    fc.property(fc.array(fill, { maxLength: 60 }), (fills) => {
      let h = flat();
      let cash = new Decimal(100_000);
      let realized = new Decimal(0);
      for (const f of fills) {
        const e = nextPosition(h, f.side, f.qty, f.price);
        cash = cash.plus(e.cashDelta);
        realized = realized.plus(e.realized);
        h = e.next;
        // Cents only, and the identity holds exactly after every fill.
        equal(h.costBasis.decimalPlaces() <= 2, true);
        equal(cash.plus(h.costBasis).minus(realized).toFixed(2), "100000.00");
        if (h.qty.isZero()) equal(h.costBasis.toFixed(2), "0.00");
      }
    }),
    { numRuns: 300 },
  );
});

Deno.test("ledger: options book qty × price × 100, and settle at 0 only as a settlement", () => {
  const e = nextPosition(flat(), "buy", 2, "2.605", { multiplier: 100 });
  equal(e.notional.toFixed(2), "521.00");
  deepEqual(show(e.next), ["2", "521.00"]);
  const part = nextPosition(e.next, "sell", 1, "3.1", { multiplier: 100 });
  equal(part.realized.toFixed(2), "49.50");
  deepEqual(show(part.next), ["1", "260.50"]);
  throws(() => nextPosition(part.next, "sell", 1, 0, { multiplier: 100 }), RangeError);
  const expired = nextPosition(part.next, "sell", 1, 0, { multiplier: 100, settlement: true });
  deepEqual(show(expired.next), ["0", "0.00"]);
  equal(expired.realized.toFixed(2), "-260.50");
  equal(expired.cashDelta.toFixed(2), "0.00");
  throws(() => nextPosition(flat(), "buy", 1, 1, { multiplier: 0 }), RangeError);
});

Deno.test("ledger: the invariant holds across shares and contracts, trades and settlements", () => {
  // Fills of one account over a stock (× 1) and an option (× 100), settlements at 0 included.
  const fill = fc.record({
    option: fc.boolean(),
    side: fc.constantFrom("buy" as const, "sell" as const),
    qty: fc.integer({ min: 1, max: 50 }),
    price: fc.integer({ min: 0, max: 200_000 }).map((n) => new Decimal(n).div(1e4)),
  });
  fc.assert(
    fc.property(fc.array(fill, { maxLength: 60 }), (fills) => {
      const held = { stock: flat(), option: flat() };
      let cash = new Decimal(100_000);
      let realized = new Decimal(0);
      for (const f of fills) {
        const key = f.option ? "option" : "stock";
        const settlement = f.price.isZero();
        // A settlement only ever closes an option position (an expired or exercised contract).
        if (settlement && (!f.option || held.option.qty.isZero())) continue;
        const side = settlement ? (held.option.qty.gt(0) ? "sell" : "buy") : f.side;
        const qty = settlement ? held.option.qty.abs() : f.qty;
        const e = nextPosition(held[key], side, qty, f.price, {
          multiplier: f.option ? 100 : 1,
          settlement,
        });
        cash = cash.plus(e.cashDelta);
        realized = realized.plus(e.realized);
        held[key] = e.next;
        const cost = held.stock.costBasis.plus(held.option.costBasis);
        equal(cash.plus(cost).minus(realized).toFixed(2), "100000.00");
        if (held[key].qty.isZero()) equal(held[key].costBasis.toFixed(2), "0.00");
      }
    }),
    { numRuns: 300 },
  );
});
