import { deepEqual, equal } from "node:assert/strict";
import { activitiesSchema, type AlpacaOtherActivity } from "./schemas.ts";
import { settlementTrades } from "./settlement.ts";
import { OPTION_EXERCISE } from "./testdata.ts";

const C190 = "AAPL240621C00190000";
const P180 = "AAPL240621P00180000";
const events = (list: unknown[]) => activitiesSchema.parse(list) as AlpacaOtherActivity[];
const event = (id: string, activity_type: string, symbol: string, qty: string, extra = {}) => ({
  id,
  activity_type,
  date: "2024-06-21",
  net_amount: "0",
  symbol,
  qty,
  status: "executed",
  ...extra,
});

Deno.test("an exercise is the option leaving at 0 and the shares bought at the strike", () => {
  const [group] = settlementTrades(events(OPTION_EXERCISE), [
    { userId: 7, symbol: C190, qty: 2 },
  ]);
  const note = "AAPL 2024-06-21 190 call exercised at 190: bought 200 AAPL";
  deepEqual(
    group.map((t) => [t.userId, t.symbol, t.side, t.qty, t.price, t.multiplier, t.reason]),
    [
      [7, C190, "sell", 2, 0, 100, "exercise"],
      [7, "AAPL", "buy", 200, 190, 1, "exercise"],
    ],
  );
  deepEqual(group.map((t) => t.note), [note, note]);
  deepEqual(group.map((t) => t.brokerFillId), [
    `${OPTION_EXERCISE[0].id}:7`,
    `${OPTION_EXERCISE[1].id}:7`,
  ]);
  // No created_at: the close of its date.
  equal(group[0].at.toISOString(), "2024-06-21T20:00:00.000Z");
});

Deno.test("one event is split between the users holding that side, up to what each holds", () => {
  const groups = settlementTrades(
    events([event("a1", "OPEXP", C190, "-3")]),
    [
      { userId: 9, symbol: C190, qty: 2 },
      { userId: 4, symbol: C190, qty: 2 },
      // A short holder of the same contract is not on the side that expired.
      { userId: 5, symbol: C190, qty: -1 },
    ],
  );
  deepEqual(groups.flat().map((t) => [t.userId, t.side, t.qty, t.reason, t.note]), [
    [4, "sell", 2, "expired", "AAPL 2024-06-21 190 call expired worthless: 2 long contracts"],
    [9, "sell", 1, "expired", "AAPL 2024-06-21 190 call expired worthless: 1 long contract"],
  ]);
});

Deno.test("an assignment of a short put buys the shares; without its OPTRD nothing is booked", () => {
  const assigned = event("b1", "OPASN", P180, "1");
  const trade = event("b2", "OPTRD", "AAPL", "100", { price: "180", net_amount: "-18000" });
  const holdings = [{ userId: 3, symbol: P180, qty: -1 }];
  deepEqual(settlementTrades(events([assigned]), holdings), []);
  const [group] = settlementTrades(events([assigned, trade]), holdings);
  deepEqual(group.map((t) => [t.symbol, t.side, t.qty, t.price, t.reason]), [
    [P180, "buy", 1, 0, "assignment"],
    ["AAPL", "buy", 100, 180, "assignment"],
  ]);
  equal(group[1].note, "AAPL 2024-06-21 180 put assigned at 180: bought 100 AAPL");
});

Deno.test("events nobody in PaiiD holds, and other activity types, book nothing", () => {
  deepEqual(
    settlementTrades(
      events([
        event("c1", "OPEXP", C190, "-1"),
        event("c2", "DIV", "AAPL", "10"),
        event("c3", "OPEXP", "AAPL", "-1"),
      ]),
      [{ userId: 1, symbol: P180, qty: 1 }],
    ),
    [],
  );
});
