/**
 * The alert form's rules, kept out of the island: which conditions there are, what their level
 * means, and a sensible first level from the current price.
 */
export const CONDITION_CHOICES = [
  { value: "price_above", label: "Price at or above", unit: "USD" },
  { value: "price_below", label: "Price at or below", unit: "USD" },
  { value: "change_above", label: "Up from previous close by", unit: "%" },
  { value: "change_below", label: "Down from previous close by", unit: "%" },
  { value: "volume_above", label: "Volume at least", unit: "× 20-day average" },
  { value: "rsi_below", label: "RSI(14) at or below", unit: "" },
  { value: "rsi_above", label: "RSI(14) at or above", unit: "" },
  { value: "price_above_sma", label: "% above SMA(200)", unit: "%" },
  { value: "price_below_sma", label: "% below SMA(200)", unit: "%" },
] as const;

export type ConditionChoice = typeof CONDITION_CHOICES[number]["value"];

/** A first level: 1 % beyond the price for price alerts, the textbook levels otherwise. */
export function defaultLevel(condition: ConditionChoice, last: number | null): number {
  switch (condition) {
    case "price_above":
      return last ? roundPrice(last * 1.01) : 0;
    case "price_below":
      return last ? roundPrice(last * 0.99) : 0;
    case "change_above":
    case "change_below":
      return 3;
    case "volume_above":
      return 2;
    case "rsi_below":
      return 30;
    case "rsi_above":
      return 70;
    case "price_above_sma":
    case "price_below_sma":
      return 0;
  }
}

function roundPrice(n: number): number {
  return n >= 1 ? Math.round(n * 100) / 100 : Math.round(n * 10_000) / 10_000;
}

export const EXPIRY_CHOICES = [
  { value: "never", label: "Until I delete it", days: null },
  { value: "1d", label: "For a day", days: 1 },
  { value: "1w", label: "For a week", days: 7 },
  { value: "1m", label: "For 30 days", days: 30 },
] as const;
export type ExpiryChoice = typeof EXPIRY_CHOICES[number]["value"];

/** The expiry instant for a choice, from `now` (ms); null for never. */
export function expiryFor(choice: ExpiryChoice, now: number): string | null {
  const days = EXPIRY_CHOICES.find((c) => c.value === choice)?.days ?? null;
  return days === null ? null : new Date(now + days * 86_400_000).toISOString();
}

/** The request body for `POST /api/alerts`, or the reason the input is not one. */
export function alertBody(
  symbol: string,
  condition: ConditionChoice,
  levelText: string,
  rearm: "margin" | "session",
  expiresAt: string | null = null,
): { ok: true; body: Record<string, unknown> } | { ok: false; message: string } {
  const level = Number(levelText);
  if (levelText.trim() === "" || !Number.isFinite(level)) {
    return { ok: false, message: "Enter the level as a number." };
  }
  if (
    (condition === "price_above" || condition === "price_below" || condition === "volume_above") &&
    level <= 0
  ) {
    return { ok: false, message: "The level must be above 0." };
  }
  const body: Record<string, unknown> = { symbol, condition, threshold: level, rearm };
  if (expiresAt) body.expiresAt = expiresAt;
  return { ok: true, body };
}
