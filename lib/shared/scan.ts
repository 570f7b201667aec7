/**
 * The scanner's condition vocabulary, zod-free so the filter builder in the browser and the
 * engine on the server name things alike. A condition compares two operands at the scan day;
 * an operand is an indicator (with its period, read `ago` days back, optionally `times` a
 * factor) or a plain number. The server checks every field with zod (lib/scanner/spec.ts).
 *
 * Definitions (t is the scan day, all on daily bars):
 * - `close`, `open`, `high`, `low`: the bar's prices (USD); `volume`: shares.
 * - `sma`, `ema`: moving averages of closes; `rsi`: Wilder's RSI of closes.
 * - `atr`: Wilder's average true range (USD); `atr_pct`: ATR ÷ close × 100.
 * - `return`: close over the close `period` days earlier, in % (−5 = down 5 %).
 * - `volume_ratio`: volume ÷ the mean volume of the `period` days before t (×), so a spike
 *   does not inflate its own average.
 * - `highest` / `lowest`: the highest high / lowest low of the `period` days before t, so
 *   "close > highest(20)" is a new 20-day high.
 * - `gap`: open over the previous close, in %.
 */

export const INDICATORS = [
  "close",
  "open",
  "high",
  "low",
  "volume",
  "sma",
  "ema",
  "rsi",
  "atr",
  "atr_pct",
  "return",
  "volume_ratio",
  "highest",
  "lowest",
  "gap",
] as const;
export type IndicatorName = typeof INDICATORS[number];

export interface IndicatorInfo {
  label: string;
  /** Default period; null for the bar's own values. */
  period: number | null;
  unit: "USD" | "shares" | "%" | "×" | "";
}

export const INDICATOR_INFO: Record<IndicatorName, IndicatorInfo> = {
  close: { label: "Close", period: null, unit: "USD" },
  open: { label: "Open", period: null, unit: "USD" },
  high: { label: "High", period: null, unit: "USD" },
  low: { label: "Low", period: null, unit: "USD" },
  volume: { label: "Volume", period: null, unit: "shares" },
  sma: { label: "SMA", period: 50, unit: "USD" },
  ema: { label: "EMA", period: 20, unit: "USD" },
  rsi: { label: "RSI", period: 14, unit: "" },
  atr: { label: "ATR", period: 14, unit: "USD" },
  atr_pct: { label: "ATR %", period: 14, unit: "%" },
  return: { label: "return", period: 20, unit: "%" },
  volume_ratio: { label: "volume ÷ avg", period: 20, unit: "×" },
  highest: { label: "high", period: 20, unit: "USD" },
  lowest: { label: "low", period: 20, unit: "USD" },
  gap: { label: "Gap", period: null, unit: "%" },
};

export const OPERATORS = [">", ">=", "<", "<=", "crosses_above", "crosses_below"] as const;
export type Operator = typeof OPERATORS[number];

export const OPERATOR_TEXT: Record<Operator, string> = {
  ">": ">",
  ">=": "≥",
  "<": "<",
  "<=": "≤",
  crosses_above: "crossed above",
  crosses_below: "crossed below",
};

export interface IndicatorOperand {
  indicator: IndicatorName;
  period?: number;
  /** Trading days back from the scan day (0 = the scan day). */
  ago?: number;
  /** A factor applied to the value (1.05 × the 52-week low). */
  times?: number;
}
export interface NumberOperand {
  value: number;
}
export type Operand = IndicatorOperand | NumberOperand;

export interface ScanCondition {
  left: IndicatorOperand;
  op: Operator;
  right: Operand;
}

export interface ScanSort {
  by: IndicatorOperand;
  direction: "asc" | "desc";
}

/** A custom scan: every condition must hold. */
export interface ScanSpec {
  conditions: ScanCondition[];
  sector?: string;
  /** Closing price floor, USD. */
  minPrice?: number;
  /** Floor on the 20-day average dollar volume (close × volume), USD. */
  minDollarVolume?: number;
  sort?: ScanSort;
  limit?: number;
}

export interface ScanHit {
  symbol: string;
  name: string;
  sector: string | null;
  close: number;
  /** Each operand the scan read, by its label ("RSI(14)"), rounded for display. */
  values: Record<string, number>;
  /** Why it matched, one sentence per condition with the values. */
  reasons: string[];
  /** Closes of the last days through the scan day, oldest first, for a sparkline. */
  spark: number[];
}

export interface ScanResult {
  /** The trading day whose completed bars the scan read (`YYYY-MM-DD`). */
  asOf: string;
  source: "replay" | "tradier";
  /** Symbols the scan looked at (those with a bar on `asOf`). */
  scanned: number;
  hits: ScanHit[];
}

export function isNumberOperand(o: Operand): o is NumberOperand {
  return "value" in o;
}

/** `RSI(14)`, `SMA(50) 1 day ago`, `1.05 × 252-day low`, `Close`. */
export function operandLabel(o: Operand): string {
  if (isNumberOperand(o)) return String(o.value);
  const info = INDICATOR_INFO[o.indicator];
  const period = o.period ?? info.period;
  let base: string;
  if (o.indicator === "return") base = `${period}-day return`;
  else if (o.indicator === "volume_ratio") base = `volume ÷ ${period}-day avg`;
  else if (o.indicator === "highest") base = `${period}-day high`;
  else if (o.indicator === "lowest") base = `${period}-day low`;
  else base = period === null ? info.label : `${info.label}(${period})`;
  const ago = o.ago ? ` ${o.ago} day${o.ago === 1 ? "" : "s"} ago` : "";
  const times = o.times !== undefined && o.times !== 1 ? `${o.times} × ` : "";
  return times + base + ago;
}

/** A value with its unit, as the reasons write it. */
export function formatOperandValue(o: Operand, v: number): string {
  if (isNumberOperand(o)) return String(o.value);
  const unit = INDICATOR_INFO[o.indicator].unit;
  if (unit === "shares") return Math.round(v).toLocaleString("en-US");
  if (unit === "%") return `${v.toFixed(2)} %`;
  if (unit === "×") return `${v.toFixed(2)}×`;
  if (unit === "USD") return `$${v.toFixed(2)}`;
  return v.toFixed(1);
}
