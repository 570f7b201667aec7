import assert from "node:assert/strict";
import fc from "fast-check";
import { type FillIn, matchFifo, tripStats } from "./fifo.ts";

const fill = (ms: number, symbol: string, side: "buy" | "sell", qty: number, notional: number) => ({
  ms,
  symbol,
  side,
  qty,
  notional,
});

Deno.test("FIFO: a partial sell closes the oldest lot first", () => {
  const r = matchFifo([
    fill(1, "AAPL", "buy", 10, 1000), // 10 @ 100
    fill(2, "AAPL", "buy", 10, 1100), // 10 @ 110
    fill(3, "AAPL", "sell", 15, 1800), // 15 @ 120
  ]);
  // Lot 1: 10 shares sold for 1800 × 10/15 = 1200 that cost 1000 → +200.
  // Lot 2: 5 of 10 shares sold for the other 600 that cost 1100 × 5/10 = 550 → +50.
  assert.deepEqual(r.closed.map((c) => [c.openMs, c.qty, c.pnlCents]), [
    [1, 10, 20_000],
    [2, 5, 5_000],
  ]);
  assert.equal(r.roundTrips.length, 0, "still 5 shares open: no round trip yet");
  const open = r.open.get("AAPL")!;
  assert.equal(open.qty, 5);
  assert.equal(open.costCents, 55_000);
});

Deno.test("FIFO: a short round trip and a flip close one trip and open the next", () => {
  const r = matchFifo([
    fill(1, "XOM", "sell", 10, 500), // short 10 @ 50
    fill(2, "XOM", "buy", 15, 675), // cover 10 @ 45 (450) → +50, then long 5 for 225
    fill(3, "XOM", "sell", 5, 200), // 5 @ 40 → −25
  ]);
  assert.deepEqual(
    r.roundTrips.map((t) => [t.side, t.openMs, t.closeMs, t.pnlCents]),
    [["short", 1, 2, 5_000], ["long", 2, 3, -2_500]],
  );
  assert.equal(r.open.size, 0);
  assert.deepEqual(tripStats(r.roundTrips), {
    count: 2,
    wins: 1,
    losses: 1,
    winRate: 0.5,
    avgWin: 50,
    avgLoss: -25,
  });
});

Deno.test("tripStats: nothing closed is null, and a trip at exactly 0 is no win", () => {
  assert.equal(tripStats([]).winRate, null);
  assert.equal(tripStats([]).avgWin, null);
  const s = tripStats([{ pnlCents: 0 }, { pnlCents: 1000 }]);
  assert.equal(s.winRate, 0.5);
  assert.equal(s.avgLoss, null);
});

Deno.test("FIFO conserves cash: Σ sells − Σ buys = realized − open cost (property)", () => {
  const arb = fc.array(
    fc.record({
      symbol: fc.constantFrom("A", "B"),
      side: fc.constantFrom("buy" as const, "sell" as const),
      qty: fc.integer({ min: 1, max: 50 }),
      cents: fc.integer({ min: 1, max: 10_000_000 }),
    }),
    { maxLength: 60 },
  );
  fc.assert(fc.property(arb, (raw) => {
    const fills: FillIn[] = raw.map((f, i) => ({
      ms: i,
      symbol: f.symbol,
      side: f.side,
      qty: f.qty,
      notional: (f.cents / 100).toFixed(2),
    }));
    const r = matchFifo(fills);
    let cash = 0;
    for (const f of raw) cash += f.side === "sell" ? f.cents : -f.cents;
    const realized = r.closed.reduce((s, c) => s + c.pnlCents, 0);
    let openCost = 0;
    for (const o of r.open.values()) openCost += o.costCents;
    // Whole cents: exact, no tolerance.
    assert.equal(cash, realized - openCost);
    assert.ok(r.closed.every((c) => Number.isInteger(c.pnlCents)));
    // A symbol back to flat has every closed piece inside a finished round trip.
    for (const s of ["A", "B"]) {
      if (r.open.has(s)) continue;
      const sum = (xs: { symbol: string; pnlCents: number }[]) =>
        xs.filter((x) => x.symbol === s).reduce((a, x) => a + x.pnlCents, 0);
      assert.equal(sum(r.roundTrips), sum(r.closed));
    }
    // Open shares are the signed sum of the fills.
    for (const s of ["A", "B"]) {
      const net = fills.filter((f) => f.symbol === s).reduce(
        (q, f) => q + (f.side === "buy" ? Number(f.qty) : -Number(f.qty)),
        0,
      );
      assert.equal(r.open.get(s)?.qty ?? 0, net);
    }
  }));
});
