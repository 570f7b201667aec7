/**
 * How much of each risk limit in the user's settings the portfolio uses now. The limits are the
 * ones lib/broker/checks.ts enforces on orders; here they are read against the whole book:
 *
 * - max position %: the largest holding's |value| as % of equity against `maxPositionPercent`;
 * - daily loss: today's loss so far against `dailyLossLimit`;
 * - 1-day 95 % VaR against `dailyLossLimit`: how much of the daily limit an ordinary bad day
 *   (one in twenty) would take;
 * - max order value: the largest holding against `maxOrderValue`, i.e. how many orders of the
 *   maximum size it took (a ratio past 100 % says it was built in several orders);
 * - short selling: short exposure held while `allowShortSelling` is off.
 *
 * @module
 */
import type { Settings } from "../../settings.ts";
import type { Exposure } from "./exposure.ts";
import { cents } from "./exposure.ts";

export type LimitSettings = Pick<
  Settings,
  "maxPositionPercent" | "dailyLossLimit" | "maxOrderValue" | "allowShortSelling"
>;

export interface LimitUsage {
  rule:
    | "max_position_percent"
    | "daily_loss_limit"
    | "var_vs_daily_loss"
    | "max_order_value"
    | "short_selling";
  label: string;
  unit: "%" | "USD";
  limit: number;
  value: number;
  /** `value / limit × 100`; past 100 means over the limit. */
  usedPercent: number;
  /** Which holding the figure is about, when it is one. */
  symbol: string | null;
  note: string;
}

export function limitUsage(
  settings: LimitSettings,
  exp: Exposure,
  dayPl: number,
  var95OneDay: number | null,
): LimitUsage[] {
  const used = (v: number, limit: number) => (limit > 0 ? cents((v / limit) * 100) : 0);
  const largest = exp.bySymbol[0];
  const out: LimitUsage[] = [];
  const largestPct = largest ? Math.abs(largest.percentOfEquity ?? 0) : 0;
  out.push({
    rule: "max_position_percent",
    label: "Largest position (% of equity)",
    unit: "%",
    limit: settings.maxPositionPercent,
    value: largestPct,
    usedPercent: used(largestPct, settings.maxPositionPercent),
    symbol: largest?.symbol ?? null,
    note: "|value| of the largest holding ÷ equity, against your max position %.",
  });
  const loss = cents(Math.max(0, -dayPl));
  out.push({
    rule: "daily_loss_limit",
    label: "Today's loss",
    unit: "USD",
    limit: settings.dailyLossLimit,
    value: loss,
    usedPercent: used(loss, settings.dailyLossLimit),
    symbol: null,
    note: "Loss so far today against your daily loss limit; at 100 % only reducing orders pass.",
  });
  if (var95OneDay !== null) {
    const v = cents(Math.max(0, var95OneDay));
    out.push({
      rule: "var_vs_daily_loss",
      label: "1-day 95 % VaR vs daily loss limit",
      unit: "USD",
      limit: settings.dailyLossLimit,
      value: v,
      usedPercent: used(v, settings.dailyLossLimit),
      symbol: null,
      note: "Historical 1-day 95 % VaR: a loss this large or larger came one day in twenty.",
    });
  }
  const largestValue = largest ? Math.abs(largest.value) : 0;
  out.push({
    rule: "max_order_value",
    label: "Largest position vs max order value",
    unit: "USD",
    limit: settings.maxOrderValue,
    value: largestValue,
    usedPercent: used(largestValue, settings.maxOrderValue),
    symbol: largest?.symbol ?? null,
    note: "The limit applies per order; past 100 % the position took more than one order.",
  });
  if (!settings.allowShortSelling && exp.short < 0) {
    out.push({
      rule: "short_selling",
      label: "Short exposure with short selling off",
      unit: "USD",
      limit: 0,
      value: -exp.short,
      usedPercent: 100,
      symbol: null,
      note: "Short selling is off in your settings: only orders that cover are accepted.",
    });
  }
  return out;
}
