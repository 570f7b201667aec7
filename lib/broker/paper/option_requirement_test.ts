import { equal } from "node:assert/strict";
import { formatOcc } from "../../options/occ.ts";
import { heldOptionRequirement } from "./option_requirement.ts";

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
