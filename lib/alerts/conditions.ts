/**
 * What an alert watches and when it fires: pure functions, no I/O.
 *
 * Every condition reduces to a value compared with a level in one direction: the last price
 * against a price, the move from the previous close (%) against a %, the day's volume as a
 * multiple of its average, RSI against a level, the price's distance from its SMA (%) against
 * an offset. The crossing rule is the same for all of them (`step`).
 */

export const CONDITIONS = [
  "price_above",
  "price_below",
  "change_above",
  "change_below",
  "volume_above",
  "rsi_below",
  "rsi_above",
  "price_above_sma",
  "price_below_sma",
] as const;
export type Condition = typeof CONDITIONS[number];

/** Conditions decided by each streamed quote; the others need daily bars (the minute job). */
export const QUOTE_CONDITIONS: ReadonlySet<Condition> = new Set([
  "price_above",
  "price_below",
  "change_above",
  "change_below",
  "volume_above",
]);

export type RearmMode = "margin" | "session";

/** The part of an alert the crossing rule needs. */
export interface AlertRule {
  condition: Condition;
  threshold: number;
  /** RSI / SMA period, or the days of the average volume. */
  period: number | null;
  rearm: RearmMode;
  /** How far back the value must go to re-arm: % of the level for prices and volume, points for %, RSI. */
  rearmMargin: number;
}

/** The crossing state kept per alert. */
export interface CrossingState {
  armed: boolean;
  /** The exchange day of the last firing (`YYYY-MM-DD`), for session re-arming. */
  firedSession: string | null;
}

/** What is known about a symbol at one moment. Missing inputs leave a condition undecided. */
export interface Observation {
  price: number | null;
  prevClose?: number | null;
  volume?: number | null;
  averageVolume?: number | null;
  rsi?: number | null;
  sma?: number | null;
  /** The exchange day the observation belongs to. */
  session: string;
}

export const DEFAULT_PERIOD: Record<Condition, number | null> = {
  price_above: null,
  price_below: null,
  change_above: null,
  change_below: null,
  volume_above: 20,
  rsi_below: 14,
  rsi_above: 14,
  price_above_sma: 200,
  price_below_sma: 200,
};

/** Whether the condition fires upward (value ≥ level) or downward (value ≤ level). */
export function direction(c: Condition): "up" | "down" {
  return c.endsWith("_below") || c === "price_below_sma" ? "down" : "up";
}

/** The value the condition compares, or null when the observation lacks an input. */
export function valueOf(rule: AlertRule, o: Observation): number | null {
  switch (rule.condition) {
    case "price_above":
    case "price_below":
      return o.price;
    case "change_above":
    case "change_below":
      return o.price != null && o.prevClose ? (o.price / o.prevClose - 1) * 100 : null;
    case "volume_above":
      return o.volume != null && o.averageVolume ? o.volume / o.averageVolume : null;
    case "rsi_below":
    case "rsi_above":
      return o.rsi ?? null;
    case "price_above_sma":
    case "price_below_sma":
      return o.price != null && o.sma ? (o.price / o.sma - 1) * 100 : null;
  }
}

/** The distance the value must move back past the level before the alert re-arms. */
export function rearmBand(rule: AlertRule): number {
  const relative = rule.condition.startsWith("price_") && !rule.condition.endsWith("_sma") ||
    rule.condition === "volume_above";
  return relative ? Math.abs(rule.threshold) * rule.rearmMargin / 100 : rule.rearmMargin;
}

/** Whether `value` meets the condition. */
export function met(rule: AlertRule, value: number): boolean {
  return direction(rule.condition) === "up" ? value >= rule.threshold : value <= rule.threshold;
}

export type Step = "fire" | "rearm" | "none";

/**
 * The crossing rule. An armed alert fires when its condition is met and disarms. A disarmed
 * alert re-arms when the value is back beyond the level by the margin ("margin"), or on a later
 * exchange day than its firing ("session"). So a price hovering at the level fires once, not on
 * every tick.
 */
export function step(rule: AlertRule, state: CrossingState, o: Observation): Step {
  const value = valueOf(rule, o);
  const newSession = rule.rearm === "session" && state.firedSession !== null &&
    o.session > state.firedSession;
  // A new session arms it at once, so its first touch that day fires on that very quote.
  if (state.armed || newSession) {
    if (value !== null && met(rule, value)) return "fire";
    return state.armed ? "none" : "rearm";
  }
  if (value === null || rule.rearm === "session") return "none";
  const band = rearmBand(rule);
  const back = direction(rule.condition) === "up"
    ? value < rule.threshold - band
    : value > rule.threshold + band;
  return back ? "rearm" : "none";
}

/** Applies `step`'s answer to the state. */
export function advance(state: CrossingState, s: Step, session: string): CrossingState {
  if (s === "fire") return { armed: false, firedSession: session };
  if (s === "rearm") return { ...state, armed: true };
  return state;
}

const fmt = (n: number, digits = 2) =>
  n.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: digits });

/** The alert in words: "AAPL above 150 USD". */
export function describe(symbol: string, rule: AlertRule): string {
  const t = rule.threshold;
  const p = rule.period ?? DEFAULT_PERIOD[rule.condition];
  switch (rule.condition) {
    case "price_above":
      return `${symbol} at or above ${fmt(t, 4)} USD`;
    case "price_below":
      return `${symbol} at or below ${fmt(t, 4)} USD`;
    case "change_above":
      return `${symbol} up ${fmt(t)} % or more from the previous close`;
    case "change_below":
      return `${symbol} down ${fmt(Math.abs(t))} % or more from the previous close`;
    case "volume_above":
      return `${symbol} volume at ${fmt(t)} × its ${p}-day average`;
    case "rsi_below":
      return `${symbol} RSI(${p}) at or below ${fmt(t)}`;
    case "rsi_above":
      return `${symbol} RSI(${p}) at or above ${fmt(t)}`;
    case "price_above_sma":
      return t === 0
        ? `${symbol} at or above its SMA(${p})`
        : `${symbol} ${fmt(t)} % or more above its SMA(${p})`;
    case "price_below_sma":
      return t === 0
        ? `${symbol} at or below its SMA(${p})`
        : `${symbol} ${fmt(Math.abs(t))} % or more below its SMA(${p})`;
  }
}

/** The observed value in words, for the notification. */
export function describeValue(rule: AlertRule, value: number): string {
  switch (rule.condition) {
    case "price_above":
    case "price_below":
      return `${fmt(value, 4)} USD`;
    case "change_above":
    case "change_below":
    case "price_above_sma":
    case "price_below_sma":
      return `${value >= 0 ? "+" : ""}${fmt(value)} %`;
    case "volume_above":
      return `${fmt(value)} × average`;
    case "rsi_below":
    case "rsi_above":
      return `RSI ${fmt(value, 1)}`;
  }
}
