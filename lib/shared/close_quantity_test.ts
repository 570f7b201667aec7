import { deepEqual, equal } from "node:assert/strict";
import fc from "fast-check";
import { closeQuantity, floorShares } from "./close_quantity.ts";

Deno.test("close quantity: nothing asked closes exactly what is held, long or short", () => {
  deepEqual(closeQuantity(3, {}), { ok: true, qty: 3, all: true });
  deepEqual(closeQuantity(-10, {}), { ok: true, qty: 10, all: true });
  deepEqual(closeQuantity(1 / 3, {}), { ok: true, qty: 1 / 3, all: true });
});

Deno.test("close quantity: a share count above what is held is refused, naming it", () => {
  const r = closeQuantity(10, { qty: 11 });
  equal(r.ok, false);
  if (r.ok) return;
  equal(r.reason, "more_than_held");
  equal(r.held, 10);
  equal(r.message, "You hold 10 shares; you cannot close 11.");
  deepEqual(closeQuantity(10, { qty: 4 }), { ok: true, qty: 4, all: false });
  // Exactly what is held is a full close, also for a short.
  deepEqual(closeQuantity(-2.5, { qty: 2.5 }), { ok: true, qty: 2.5, all: true });
  equal(closeQuantity(10, { qty: 0 }).ok, false);
});

Deno.test("close quantity: a percentage rounds down to share precision", () => {
  deepEqual(closeQuantity(10, { percentage: 25 }), { ok: true, qty: 2.5, all: false });
  deepEqual(closeQuantity(3, { percentage: 33.33 }), { ok: true, qty: 0.9999, all: false });
  deepEqual(closeQuantity(3, { percentage: 100 }), { ok: true, qty: 3, all: true });
  equal(floorShares(0.29 * 100), 29);
  const tiny = closeQuantity(0.00000001, { percentage: 50 });
  equal(tiny.ok, false);
  equal(!tiny.ok && tiny.reason, "rounds_to_zero");
  equal(closeQuantity(10, { percentage: 101 }).ok, false);
  equal(closeQuantity(10, { qty: 1, percentage: 5 }).ok, false);
});

Deno.test("close quantity: a percentage never closes more than is held, nor a negative", () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 10_000_000_000 }).map((n) => n / 1e4),
    fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100),
    (held, pct) => {
      const r = closeQuantity(held, { percentage: pct });
      if (!r.ok) return r.reason === "rounds_to_zero";
      return r.qty > 0 && r.qty <= held && Number(r.qty.toFixed(8)) === r.qty;
    },
  ));
});
