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
 * - `return(n)` → `roc(n)` on closes (both 100 × (close ÷ close n bars back − 1));
 * - `highest(n)` / `lowest(n)` (the n days *before* the scan day) → `highest`/`lowest` of highs /
 *   lows over n bars read one bar further back (the strategy's window includes its own bar);
 * - a number → a constant.
 * `atr_pct`, `volume_ratio`, `gap` and a `times` factor are ratios or products that the rule
 * language cannot write, so such a scan is refused with the conditions named; the liquidity
 * floor likewise, but as a filter it is left out and said so, not refused.
 *
 * @module
 */
import type { Condition, Operand as RuleOperand, RulesInput } from "../strategy/schema.ts";
import {
  type IndicatorOperand,
  isNumberOperand,
  type Operand,
  operandLabel,
  OPERATOR_TEXT,
  type ScanCondition,
  type ScanSpec,
} from "../shared/scan.ts";

const conditionText = (c: ScanCondition) =>
  `${operandLabel(c.left)} ${OPERATOR_TEXT[c.op]} ${operandLabel(c.right)}`;

/** The default holding period, in trading days. */
export const DEFAULT_HOLD_DAYS = 20;

export type ScanToRules =
  | { ok: true; rules: RulesInput; assumptions: string[] }
  | { ok: false; problems: string[] };

const PRICES = new Set(["close", "open", "high", "low", "volume"]);

function operand(o: Operand): RuleOperand | string {
  if (isNumberOperand(o)) return { type: "const", value: o.value };
  if (o.times !== undefined && o.times !== 1) return "a factor (×) has no equivalent in rules";
  const ago = o.ago ?? 0;
  const at = (extra = 0) => (ago + extra ? { barsAgo: ago + extra } : {});
  const i = o as IndicatorOperand;
  if (PRICES.has(i.indicator)) {
    return { type: "price", field: i.indicator as "close", ...at() };
  }
  switch (i.indicator) {
    case "sma":
    case "ema":
    case "rsi":
    case "atr":
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
    default:
      return `${i.indicator} has no equivalent in the rule language`;
  }
}
const defaults = { sma: 50, ema: 20, rsi: 14, atr: 14 } as const;

function condition(c: ScanCondition): Condition | string {
  const left = operand(c.left);
  const right = operand(c.right);
  if (typeof left === "string") return left;
  if (typeof right === "string") return right;
  return { left, op: c.op, right };
}

/** The strategy document for `spec` named `name`, or why it cannot be written. */
export function scanToRules(
  name: string,
  spec: ScanSpec,
  holdDays = DEFAULT_HOLD_DAYS,
): ScanToRules {
  const problems: string[] = [];
  const entry: Condition[] = [];
  for (const c of spec.conditions) {
    const r = condition(c);
    if (typeof r === "string") problems.push(`“${conditionText(c)}”: ${r}.`);
    else entry.push(r);
  }
  if (problems.length) return { ok: false, problems };
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
