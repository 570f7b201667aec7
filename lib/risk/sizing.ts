/**
 * Position sizing: how many shares a trade should be, by four rules traders use. Pure functions;
 * `/api/risk/size` (routes/api/risk.ts) fills their inputs from the quote, the bars and the
 * account. Every answer keeps the formula it used, so the screen can show it.
 *
 * - fixed fractional: risk `riskPercent` of equity between entry and stop;
 * - ATR stop: the same, with the stop `atrMultiple` average true ranges from the entry;
 * - volatility target: a position whose annualized volatility is `targetVolatility` of equity;
 * - Kelly: f* = p − (1 − p) / b from a win rate p and payoff ratio b, used at half (full Kelly's
 *   swings are more than most accounts can sit through, and p and b are only estimates).
 *
 * Shares are whole and rounded down; a long's stop is below the entry and a short's above.
 */

export type SizingMethod = "fixed_fractional" | "atr" | "volatility_target" | "kelly";

export interface SizingResult {
  method: SizingMethod;
  shares: number;
  /** shares × entry, USD. */
  value: number;
  /** value ÷ equity, percent. */
  percentOfEquity: number;
  entry: number;
  /** The stop the size is measured to (null for rules without one). */
  stop: number | null;
  /** What the position loses if the stop is hit, USD (null without a stop). */
  lossAtStop: number | null;
  /** The rule in words with its numbers, for the screen. */
  formula: string;
}

export class SizingError extends Error {}

const usd = (n: number) => `$${n.toFixed(2)}`;

function result(
  method: SizingMethod,
  rawShares: number,
  equity: number,
  entry: number,
  stop: number | null,
  formula: string,
): SizingResult {
  const shares = Math.max(0, Math.floor(rawShares + 1e-9));
  const value = shares * entry;
  return {
    method,
    shares,
    value: round2(value),
    percentOfEquity: round2(equity > 0 ? (value / equity) * 100 : 0),
    entry,
    stop,
    lossAtStop: stop === null ? null : round2(shares * Math.abs(entry - stop)),
    formula,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function checkCommon(equity: number, entry: number): void {
  if (!(equity > 0)) throw new SizingError("The account has no equity to size from.");
  if (!(entry > 0)) throw new SizingError("The entry price must be above 0.");
}

/** Shares so that a move from `entry` to `stop` costs `riskPercent` % of equity. */
export function fixedFractional(input: {
  equity: number;
  entry: number;
  stop: number;
  riskPercent: number;
  side: "buy" | "sell";
}): SizingResult {
  const { equity, entry, stop, riskPercent, side } = input;
  checkCommon(equity, entry);
  if (side === "buy" ? stop >= entry : stop <= entry) {
    throw new SizingError(
      side === "buy"
        ? "For a buy the stop must be below the entry."
        : "For a short sale the stop must be above the entry.",
    );
  }
  const risk = equity * riskPercent / 100;
  const perShare = Math.abs(entry - stop);
  return result(
    "fixed_fractional",
    risk / perShare,
    equity,
    entry,
    stop,
    `${riskPercent}% of ${usd(equity)} = ${usd(risk)} at risk ÷ ${usd(perShare)} per share ` +
      `(entry ${usd(entry)} to stop ${usd(stop)})`,
  );
}

/** Fixed fractional with the stop `atrMultiple` × ATR away from the entry. */
export function atrSized(input: {
  equity: number;
  entry: number;
  atr: number;
  atrMultiple: number;
  riskPercent: number;
  side: "buy" | "sell";
}): SizingResult {
  const { equity, entry, atr, atrMultiple, riskPercent, side } = input;
  checkCommon(equity, entry);
  if (!(atr > 0)) throw new SizingError("The average true range must be above 0.");
  const distance = atr * atrMultiple;
  const stop = round2(side === "buy" ? entry - distance : entry + distance);
  if (!(stop > 0)) {
    throw new SizingError("The ATR stop would be at or below $0; use a smaller multiple.");
  }
  const risk = equity * riskPercent / 100;
  return result(
    "atr",
    risk / distance,
    equity,
    entry,
    stop,
    `${riskPercent}% of ${usd(equity)} = ${usd(risk)} at risk ÷ (${atrMultiple} × ATR ` +
      `${usd(atr)} = ${usd(distance)} per share)`,
  );
}

/** A position whose annualized volatility contributes `targetVolatility` % of equity. */
export function volatilityTarget(input: {
  equity: number;
  entry: number;
  /** The symbol's annualized volatility, percent. */
  volatility: number;
  targetVolatility: number;
}): SizingResult {
  const { equity, entry, volatility, targetVolatility } = input;
  checkCommon(equity, entry);
  if (!(volatility > 0)) throw new SizingError("The symbol's volatility must be above 0.");
  const value = equity * targetVolatility / volatility;
  return result(
    "volatility_target",
    value / entry,
    equity,
    entry,
    null,
    `${usd(equity)} × target ${targetVolatility}% ÷ volatility ${volatility.toFixed(1)}% = ` +
      `${usd(value)} of stock at ${usd(entry)}`,
  );
}

/** Half Kelly from a win rate (0–1) and the ratio of the average win to the average loss. */
export function kelly(input: {
  equity: number;
  entry: number;
  winRate: number;
  payoffRatio: number;
}): SizingResult & { kellyFraction: number; usedFraction: number } {
  const { equity, entry, winRate: p, payoffRatio: b } = input;
  checkCommon(equity, entry);
  if (!(p > 0 && p < 1)) throw new SizingError("The win rate must be between 0 and 1.");
  if (!(b > 0)) throw new SizingError("The payoff ratio must be above 0.");
  const full = p - (1 - p) / b;
  const used = Math.max(0, full / 2);
  const sized = result(
    "kelly",
    equity * used / entry,
    equity,
    entry,
    null,
    `Kelly f* = ${p} − (1 − ${p}) ÷ ${b} = ${(full * 100).toFixed(1)}%; half Kelly ` +
      `${(used * 100).toFixed(1)}% of ${usd(equity)}` +
      (full <= 0 ? " (no edge: the rule says not to trade)" : ""),
  );
  return { ...sized, kellyFraction: full, usedFraction: used };
}
