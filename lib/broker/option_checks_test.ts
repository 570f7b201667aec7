import { deepEqual, equal, ok } from "node:assert/strict";
import { formatOcc } from "../options/occ.ts";
import { assessOption, type LegPrices, type OptionCheckInput } from "./option_checks.ts";
import type { OrderRequest } from "./types.ts";

const c = (k: number, u = "AAPL") => formatOcc(u, "2026-11-20", "call", k);
const quotes = new Map<string, LegPrices>([
  [c(150), { symbol: c(150), bid: 2.4, ask: 2.6 }],
  [c(155), { symbol: c(155), bid: 0.9, ask: 1.1 }],
  [c(150, "MSFT"), { symbol: c(150, "MSFT"), bid: 1, ask: 1.2 }],
]);
const buy = (o: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: c(150),
  side: "buy",
  type: "market",
  timeInForce: "day",
  qty: 1,
  positionIntent: "buy_to_open",
  clientOrderId: "k",
  ...o,
});
const input = (over: Partial<OptionCheckInput> = {}): OptionCheckInput => ({
  request: buy(),
  quotes,
  held: { sharesHeld: 0, cash: 100_000, options: {} },
  settings: {
    maxOrderValue: 25_000,
    maxPositionPercent: 10,
    dailyLossLimit: 5_000,
    optionLevel: "spreads",
  },
  equity: 100_000,
  buyingPower: 100_000,
  dayPl: 0,
  marketOpen: true,
  ...over,
});
const refused = (i: OptionCheckInput) => assessOption(i).refusals.map((r) => r.rule);

Deno.test("option checks: a long call passes, costs its ask × 100 and holds that", () => {
  const a = assessOption(input({ request: buy({ qty: 3 }) }));
  deepEqual(a.refusals, []);
  equal(a.cost, 780);
  equal(a.buyingPowerAfter, 100_000 - 780);
  equal(a.structure.kind, "long_call");
  equal(a.positionQtyAfter, 3);
  equal(a.checks.find((x) => x.rule === "quantity")?.unit, "contracts");
});

Deno.test("option checks: size, premium, risk share, buying power and the day's loss refuse opening", () => {
  deepEqual(refused(input({ request: buy({ qty: 1_001 }) })), [
    "quantity",
    "max_order_value",
    "max_position_percent",
    "buying_power",
  ]);
  deepEqual(refused(input({ buyingPower: 100 })), ["buying_power"]);
  deepEqual(refused(input({ dayPl: -6_000 })), ["daily_loss_limit"]);
  const closing = input({
    request: buy({ side: "sell", positionIntent: "sell_to_close" }),
    held: { sharesHeld: 0, cash: 0, options: { [c(150)]: 1 } },
    dayPl: -6_000,
    buyingPower: 0,
  });
  // Closing reduces risk: no loss, size-of-risk or buying-power rule applies.
  deepEqual(refused(closing), []);
  equal(assessOption(closing).structure.kind, "closing");
});

Deno.test("option checks: legs on another underlying, or unlisted, are not a structure", () => {
  const mleg = buy({
    orderClass: "mleg",
    symbol: "AAPL",
    positionIntent: undefined,
    legs: [
      { symbol: c(150), side: "buy", ratioQty: 1, positionIntent: "buy_to_open" },
      { symbol: c(150, "MSFT"), side: "sell", ratioQty: 1, positionIntent: "sell_to_open" },
    ],
  });
  const a = assessOption(input({ request: mleg }));
  ok(a.refusals.some((r) => r.rule === "option_structure"));
  ok(
    a.checks.find((x) => x.rule === "option_structure")!.message.includes("not on AAPL"),
    a.checks.find((x) => x.rule === "option_structure")!.message,
  );
  const unlisted = assessOption(input({ request: buy({ symbol: c(160) }) }));
  ok(unlisted.refusals.some((r) => r.rule === "option_structure"));
});

Deno.test("option checks: a closed market is a warning, not a refusal", () => {
  const a = assessOption(input({ marketOpen: false }));
  deepEqual(a.refusals, []);
  equal(a.checks.find((x) => x.rule === "market_hours")?.severity, "warn");
});
