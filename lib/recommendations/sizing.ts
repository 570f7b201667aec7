/**
 * The suggested size of a recommendation, from the user's settings: risk per trade is
 * `0.5 % + 1.5 % × riskTolerance / 100` of equity (0.5 % for the most careful setting, 1.25 % at
 * the default 50, 2 % at 100), sized fixed-fractionally between entry and stop
 * (lib/risk/sizing.ts), then held within `maxOrderValue` and `maxPositionPercent` of equity.
 *
 * | action | size                                                                  |
 * | ------ | --------------------------------------------------------------------- |
 * | buy    | the risk-per-trade shares, capped by the limits                       |
 * | sell   | the shares held (closing the position); 0 when none are held          |
 * | trim   | half the shares held, rounded down                                    |
 * | hold   | 0 (nothing to trade)                                                  |
 * | avoid  | 0                                                                     |
 *
 * @module
 */
import type { Settings } from "../settings.ts";
import type { Action } from "./schema.ts";

export interface SuggestedSize {
  shares: number;
  /** shares × entry, USD. */
  value: number;
  /** % of equity risked per trade by the settings. */
  riskPercent: number;
  /** USD risked per trade. */
  riskAmount: number;
  /** What the shares lose if the stop is hit, USD. */
  lossAtStop: number;
  /** The rule with its numbers, for the card. */
  rule: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function riskPercentOf(settings: Pick<Settings, "riskTolerance">): number {
  return round2(0.5 + 1.5 * settings.riskTolerance / 100);
}

export function suggestSize(input: {
  action: Action;
  entry: number;
  stop: number;
  equity: number;
  heldShares: number;
  settings: Pick<Settings, "riskTolerance" | "maxOrderValue" | "maxPositionPercent">;
}): SuggestedSize {
  const { action, entry, stop, equity, heldShares, settings } = input;
  const riskPercent = riskPercentOf(settings);
  const riskAmount = round2(Math.max(0, equity) * riskPercent / 100);
  const perShare = Math.abs(entry - stop);
  let shares = 0;
  let rule: string;
  if (action === "buy") {
    const byRisk = perShare > 0 ? Math.floor(riskAmount / perShare + 1e-9) : 0;
    const byOrder = Math.floor(settings.maxOrderValue / entry + 1e-9);
    const byPosition = Math.floor(
      Math.max(0, equity * settings.maxPositionPercent / 100) / entry + 1e-9,
    );
    shares = Math.max(0, Math.min(byRisk, byOrder, byPosition));
    rule =
      `${riskPercent} % of equity ($${riskAmount.toFixed(2)}) ÷ $${
        perShare.toFixed(2)
      } a share to the stop = ${byRisk} shares` +
      (shares < byRisk
        ? `, capped at ${shares} by the max order ($${settings.maxOrderValue}) and max position ` +
          `(${settings.maxPositionPercent} %) limits`
        : "");
  } else if (action === "sell") {
    shares = Math.max(0, Math.floor(heldShares));
    rule = shares ? `Sell the ${shares} shares held.` : "Nothing held to sell.";
  } else if (action === "trim") {
    shares = Math.max(0, Math.floor(heldShares / 2));
    rule = shares ? `Half of the ${heldShares} shares held.` : "Nothing held to trim.";
  } else {
    rule = action === "hold" ? "Keep the position as it is." : "Stay out.";
  }
  return {
    shares,
    value: round2(shares * entry),
    riskPercent,
    riskAmount,
    lossAtStop: round2(shares * perShare),
    rule,
  };
}
