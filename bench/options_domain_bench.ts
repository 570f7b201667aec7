/**
 * The options domain's per-order costs (`deno bench -A bench/options_domain_bench.ts`): naming
 * and risking an iron condor (the pre-trade check and preview run it once per order), settling
 * one expiring option, and one mleg limit-order fill test (the paper broker runs it per quote).
 *
 * Measured on the shared 2-core machine (load average 1.4, Deno 2.9.6): describeStructure 111 µs
 * avg / 86 µs min (about 9,000 orders/s), settle 1.6 µs, optionFill 0.31 µs (3.2 M/s).
 */
import { describeStructure, type StructureLeg } from "../lib/options/structure.ts";
import { settle } from "../lib/options/expiry.ts";
import { optionFill } from "../lib/options/fills.ts";
import { formatOcc, parseOcc } from "../lib/options/occ.ts";
import type { OrderLeg } from "../lib/broker/types.ts";

const contract = (type: "call" | "put", strike: number) =>
  parseOcc(formatOcc("AAPL", "2024-06-21", type, strike))!;
const leg = (
  type: "call" | "put",
  side: "buy" | "sell",
  strike: number,
  premium: number,
): StructureLeg => ({
  contract: contract(type, strike),
  side,
  qty: 2,
  premium,
  positionIntent: side === "buy" ? "buy_to_open" : "sell_to_open",
});
const CONDOR = [
  leg("put", "buy", 85, 0.6),
  leg("put", "sell", 92, 1.5),
  leg("call", "sell", 108, 1.3),
  leg("call", "buy", 115, 0.5),
];
const HELD = { sharesHeld: 100, cash: 50_000, options: {}, underlyingPrice: 100 };
const LEGS: OrderLeg[] = CONDOR.map((l) => ({
  symbol: l.contract.symbol,
  side: l.side,
  ratioQty: 1,
  positionIntent: l.positionIntent,
}));
const QUOTES = CONDOR.map((l) => ({
  symbol: l.contract.symbol,
  bid: l.premium! - 0.05,
  ask: l.premium! + 0.05,
}));

let sink = 0;
Deno.bench("describeStructure: 4-leg iron condor", () => {
  sink += describeStructure(CONDOR, HELD).buyingPower.amount;
});

Deno.bench("settle: one ITM short put", () => {
  sink += settle({ contract: contract("put", 92), qty: -2 }, {
    underlyingClose: 90.5,
    cash: 10_000,
    sharesHeld: 0,
    allowShortSelling: false,
  }).option.price;
});

Deno.bench("optionFill: 4-leg credit limit order against its quotes", () => {
  const fill = optionFill(
    { symbol: "AAPL", side: "sell", type: "limit", limitPrice: 1.4, legs: LEGS },
    QUOTES,
  );
  sink += fill?.net ?? 0;
});

globalThis.addEventListener("unload", () => {
  if (Number.isNaN(sink)) console.log(sink);
});
