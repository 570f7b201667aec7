import { deepEqual, equal, throws } from "node:assert/strict";
import { formatOcc } from "../options/occ.ts";
import { strategyCloseOrder } from "./close_strategy.ts";
import { OrderRefusedError } from "./types.ts";

const c = (k: number, type: "call" | "put" = "call", u = "AAPL") =>
  formatOcc(u, "2026-11-20", type, k);

Deno.test("close strategy: each leg closes its whole position, in the fewest units", () => {
  const r = strategyCloseOrder([
    { symbol: c(145), qty: 2, costBasis: 900 },
    { symbol: c(150), qty: -4, costBasis: -1000 },
    { symbol: c(155), qty: 2, costBasis: 200 },
  ], "k");
  equal(r.orderClass, "mleg");
  equal(r.symbol, "AAPL");
  equal(r.qty, 2);
  equal(r.type, "market");
  // A long butterfly cost money: closing it sells.
  equal(r.side, "sell");
  deepEqual(r.legs?.map((l) => [l.side, l.ratioQty, l.positionIntent]), [
    ["sell", 1, "sell_to_close"],
    ["buy", 2, "buy_to_close"],
    ["sell", 1, "sell_to_close"],
  ]);
});

Deno.test("close strategy: a credit spread is bought back", () => {
  const r = strategyCloseOrder([
    { symbol: c(145, "put"), qty: -3, costBasis: -420 },
    { symbol: c(140, "put"), qty: 3, costBasis: 210 },
  ], "k");
  equal(r.side, "buy");
  equal(r.qty, 3);
});

Deno.test("close strategy: legs on two underlyings, or stock, are refused", () => {
  throws(
    () =>
      strategyCloseOrder([
        { symbol: c(150), qty: 1, costBasis: 1 },
        { symbol: c(150, "call", "MSFT"), qty: 1, costBasis: 1 },
      ], "k"),
    (e) => e instanceof OrderRefusedError && /one underlying/.test(e.message),
  );
  throws(
    () =>
      strategyCloseOrder([{ symbol: "AAPL", qty: 100, costBasis: 1 }, {
        symbol: c(150),
        qty: -1,
        costBasis: -1,
      }], "k"),
    OrderRefusedError,
  );
  throws(
    () =>
      strategyCloseOrder([
        { symbol: c(150), qty: 101, costBasis: 1 },
        { symbol: c(155), qty: -1, costBasis: -1 },
      ], "k"),
    /one by one/,
  );
});
