/**
 * How the pre-trade checks of a preview or a refusal read in the order ticket's review: a
 * verdict per check, the rule's name in words, and by how much a refused order is over its limit.
 */
import type { CheckResult } from "../broker/types.ts";
import { formatPrice } from "../shared/format.ts";
import { finite, formatUsd, sharesWithUnit } from "../shared/money.ts";

/** True when some check refuses the order: Confirm must stay disabled. */
export function isRefused(checks: readonly CheckResult[]): boolean {
  return checks.some((c) => !c.ok && c.severity === "refuse");
}

/** How a check is shown: passed, a warning, or a refusal. */
export function checkVerdict(check: CheckResult): "ok" | "warn" | "refuse" {
  if (!check.ok && check.severity === "refuse") return "refuse";
  if (check.severity === "warn" || !check.ok) return "warn";
  return "ok";
}

const RULE_LABELS: Record<CheckResult["rule"], string> = {
  quantity: "Quantity",
  notional: "Dollar amount",
  max_order_value: "Maximum order value",
  max_position_percent: "Maximum position size",
  daily_loss_limit: "Daily loss limit",
  buying_power: "Buying power",
  short_sale: "Short selling",
  market_hours: "Market hours",
  price: "Price sanity",
  option_level: "Option level",
  option_structure: "Option structure",
};

export function ruleLabel(rule: string): string {
  return RULE_LABELS[rule as CheckResult["rule"]] ?? rule.replace(/_/g, " ");
}

/** "over by $1,234.00" for a refused check that says by how much; "" otherwise. */
export function excessText(check: CheckResult): string {
  if (!finite(check.excess) || check.excess <= 0) return "";
  const amount = check.unit === "USD"
    ? formatUsd(check.excess)
    : check.unit === "%"
    ? `${formatPrice(check.excess)} percentage points`
    : check.unit === "shares"
    ? sharesWithUnit(check.excess)
    : check.unit === "contracts"
    ? `${check.excess} ${check.excess === 1 ? "contract" : "contracts"}`
    : String(check.excess);
  return `over by ${amount}`;
}
