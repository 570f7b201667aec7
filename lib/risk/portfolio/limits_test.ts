import { deepEqual, equal } from "node:assert/strict";
import { limitUsage } from "./limits.ts";
import { exposure } from "./exposure.ts";

const settings = {
  maxPositionPercent: 10,
  dailyLossLimit: 2_000,
  maxOrderValue: 5_000,
  allowShortSelling: false,
};

Deno.test("limit usage reads the book against each setting", () => {
  const exp = exposure([
    { symbol: "AAPL", qty: 80, price: 100, sector: null },
    { symbol: "KO", qty: -10, price: 50, sector: null },
  ], 100_000);
  const u = limitUsage(settings, exp, -500, 1_500);
  const by = Object.fromEntries(u.map((x) => [x.rule, x]));
  deepEqual([by.max_position_percent.value, by.max_position_percent.usedPercent], [8, 80]);
  equal(by.max_position_percent.symbol, "AAPL");
  deepEqual([by.daily_loss_limit.value, by.daily_loss_limit.usedPercent], [500, 25]);
  equal(by.var_vs_daily_loss.usedPercent, 75);
  equal(by.max_order_value.usedPercent, 160);
  equal(by.short_selling.value, 500);
});

Deno.test("a gain today uses none of the daily loss limit; no VaR, no VaR row", () => {
  const u = limitUsage({ ...settings, allowShortSelling: true }, exposure([], 1_000), 300, null);
  deepEqual(u.map((x) => x.rule), ["max_position_percent", "daily_loss_limit", "max_order_value"]);
  equal(u[1].usedPercent, 0);
});
