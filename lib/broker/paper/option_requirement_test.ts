import { equal } from "node:assert/strict";
import { formatOcc } from "../../options/occ.ts";
import { heldOptionRequirement, pendingSellRequirement } from "./option_requirement.ts";

const o = (type: "call" | "put", k: number, qty: number) => ({
  symbol: formatOcc("AAPL", "2026-11-20", type, k),
  qty,
  multiplier: 100,
});
const shares = (qty: number) => ({ symbol: "AAPL", qty, multiplier: 1 });

Deno.test("held requirement: what each open option structure keeps from buying power", () => {
  equal(heldOptionRequirement([]), 0);
  equal(heldOptionRequirement([o("call", 150, 2)]), 0);
  // A short put alone is cash-secured: its strike × 100 per contract.
  equal(heldOptionRequirement([o("put", 145, -2)]), 29_000);
  // A credit spread: the width × 100 per contract.
  equal(heldOptionRequirement([o("put", 145, -2), o("put", 140, 2)]), 1_000);
  // A debit spread has paid its whole risk.
  equal(heldOptionRequirement([o("call", 150, 1), o("call", 155, -1)]), 0);
  // A covered call holds nothing but the shares.
  equal(heldOptionRequirement([shares(100), o("call", 160, -1)]), 0);
});

Deno.test("pending sell: the cover a resting option sell will add, less its limit's credit", () => {
  const sell = (symbol: string, qty: number, limit: number | null) => ({
    symbol,
    qty: String(qty),
    filled_qty: "0",
    limit_price: limit === null ? null : String(limit),
  });
  const p145 = o("put", 145, 0).symbol;
  // A cash-secured put at 3.00: 2 × (14,500 − 300); at market, waiting, no credit is counted.
  equal(pendingSellRequirement([], sell(p145, 2, 3)), 28_400);
  equal(pendingSellRequirement([], sell(p145, 1, null)), 14_500);
  // A call sold on shares held, or against a long call held, needs no more than that.
  equal(pendingSellRequirement([shares(100)], sell(o("call", 160, 0).symbol, 1, 1)), 0);
  equal(pendingSellRequirement([o("put", 140, 1)], sell(p145, 1, 1)), 400);
  // A credit spread: its width less the credit; a filled part holds nothing any more.
  const spread = {
    ...sell("AAPL", 2, 1.5),
    order_class: "mleg" as const,
    legs: [
      { symbol: p145, side: "sell" as const, ratio_qty: 1 },
      { symbol: o("put", 140, 0).symbol, side: "buy" as const, ratio_qty: 1 },
    ],
  };
  equal(pendingSellRequirement([], spread), 700);
  equal(pendingSellRequirement([], { ...spread, filled_qty: "2" }), 0);
  // Selling a long that covers nothing frees nothing and holds nothing.
  equal(pendingSellRequirement([o("call", 150, 1)], sell(o("call", 150, 0).symbol, 1, 2)), 0);
});
