/**
 * "Backtest this scan": a scan written as a strategy rule document (lib/strategy/schema.ts), so
 * the Backtesting stage can run it. The entry is the scan's conditions (all of them), the
 * universe its sector or every stock, and the parts a scan does not have are assumptions the
 * screen states: the exit (hold `holdDays` trading days), equal-weight sizing with at most 10
 * positions, no commission, the paper broker's spread.
 *
 * The two vocabularies map one to one where they can:
 * - `close`/`open`/`high`/`low`/`volume` → a price operand; `ago` → `barsAgo`;
 * - `sma`, `ema`, `rsi`, `atr` → the same indicator with the same period (same definitions:
 *   Wilder's RSI and ATR in both);
 * - `atr_pct(n)`, `volume_ratio(n)` → the same indicators (ATR ÷ close × 100; volume ÷ the mean
 *   volume of the n bars before), `gap` → `gap_pct` (open over the previous close, %);
 * - `return(n)` → `roc(n)` on closes (both 100 × (close ÷ close n bars back − 1));
 * - `highest(n)` / `lowest(n)` (the n days *before* the scan day) → `highest`/`lowest` of highs /
 *   lows over n bars read one bar further back (the strategy's window includes its own bar);
 * - a `times` factor → the operand's `times`; a number → a constant.
 * So every preset translates. The liquidity floor (a 20-day mean of close × volume) has no
 * operand; as a filter it is left out and said so, not refused.
 *
 * @module
 */
import type { Condition, Operand as RuleOperand, RulesInput } from "../strategy/schema.ts";
import {
  type IndicatorOperand,
  isNumberOperand,
  type Operand,
  type ScanCondition,
  type ScanSpec,
} from "../shared/scan.ts";

/** The default holding period, in trading days. */
export const DEFAULT_HOLD_DAYS = 20;

export interface ScanToRules {
  ok: true;
  rules: RulesInput;
  assumptions: string[];
}

function operand(o: Operand): RuleOperand {
  if (isNumberOperand(o)) return { type: "const", value: o.value };
  const ago = o.ago ?? 0;
  const at = (extra = 0) => ({
    ...(ago + extra ? { barsAgo: ago + extra } : {}),
    ...(o.times !== undefined && o.times !== 1 ? { times: o.times } : {}),
  });
  const i = o as IndicatorOperand;
  // Exhaustive over the scan vocabulary: a new scan indicator without a rule equivalent does
  // not compile here.
  switch (i.indicator) {
    case "close":
    case "open":
    case "high":
    case "low":
    case "volume":
      return { type: "price", field: i.indicator, ...at() };
    case "sma":
    case "ema":
    case "rsi":
    case "atr":
    case "atr_pct":
    case "volume_ratio":
      return {
        type: "indicator",
        name: i.indicator,
        period: i.period ?? defaults[i.indicator],
        ...at(),
      };
    case "return":
      return { type: "indicator", name: "roc", period: i.period ?? 20, ...at() };
    case "highest":
      return {
        type: "indicator",
        name: "highest",
        input: "high",
        period: i.period ?? 20,
        ...at(1),
      };
    case "lowest":
      return { type: "indicator", name: "lowest", input: "low", period: i.period ?? 20, ...at(1) };
    case "gap":
      return { type: "indicator", name: "gap_pct", ...at() };
  }
}
const defaults = { sma: 50, ema: 20, rsi: 14, atr: 14, atr_pct: 14, volume_ratio: 20 } as const;

function condition(c: ScanCondition): Condition {
  return { left: operand(c.left), op: c.op, right: operand(c.right) };
}

/** The strategy document for `spec` named `name`. */
export function scanToRules(
  name: string,
  spec: ScanSpec,
  holdDays = DEFAULT_HOLD_DAYS,
): ScanToRules {
  const entry: Condition[] = spec.conditions.map(condition);
  const assumptions: string[] = [
    `Entry: every condition of the scan at a day's close, filled at the next open.`,
    `Exit (the scan has none): sell after ${holdDays} trading days.`,
    spec.sector
      ? `Universe: the ${spec.sector} stocks of the shipped history.`
      : "Universe: every stock of the shipped history.",
    "Sizing: equal weight, at most 10 positions at a time; no commission, the paper broker's " +
    "spread.",
  ];
  if (spec.minPrice !== undefined) {
    entry.push({
      left: { type: "price", field: "close" },
      op: ">=",
      right: { type: "const", value: spec.minPrice },
    });
    assumptions.push(`Price floor kept: close ≥ ${spec.minPrice} USD.`);
  }
  if (spec.minDollarVolume !== undefined) {
    assumptions.push(
      `Liquidity floor not applied: the rule language cannot write the 20-day average dollar ` +
        `volume (≥ ${spec.minDollarVolume} USD).`,
    );
  }
  if (spec.sort || spec.limit !== undefined) {
    assumptions.push("The scan's sort and limit are not used: every match may be bought.");
  }
  const rules: RulesInput = {
    name: name.slice(0, 100),
    universe: spec.sector ? { type: "sector", sector: spec.sector } : { type: "all" },
    entry: entry.length === 1 ? entry[0] : { all: entry },
    exits: { maxBars: holdDays },
    sizing: { method: "equal_weight" },
    constraints: { maxPositions: 10, maxWeightPercent: 100, direction: "long" },
  };
  return { ok: true, rules, assumptions };
}
