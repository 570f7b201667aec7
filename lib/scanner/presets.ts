/**
 * The preset scans, each written in the same condition vocabulary as a custom scan, so a
 * preset can be opened in the filter builder and edited. Thresholds are the common textbook
 * ones; the description says each one.
 *
 * @module
 */
import type { ScanSpec } from "../shared/scan.ts";

export interface Preset {
  id: string;
  name: string;
  description: string;
  spec: ScanSpec;
}

const rsi = { indicator: "rsi", period: 14 } as const;
const volumeRatio = { indicator: "volume_ratio", period: 20 } as const;

function breakout(id: string, days: number, name: string): Preset {
  return {
    id,
    name,
    description: `Closed above the highest high of the ${days} days before, on at least 1.5× ` +
      "its 20-day average volume.",
    spec: {
      conditions: [
        { left: { indicator: "close" }, op: ">", right: { indicator: "highest", period: days } },
        { left: volumeRatio, op: ">=", right: { value: 1.5 } },
      ],
      sort: { by: volumeRatio, direction: "desc" },
    },
  };
}

export const PRESETS: readonly Preset[] = [
  {
    id: "momentum",
    name: "Momentum",
    description: "The 15 strongest 63-day (about three months) returns, where that return is up.",
    spec: {
      conditions: [{ left: { indicator: "return", period: 63 }, op: ">", right: { value: 0 } }],
      sort: { by: { indicator: "return", period: 63 }, direction: "desc" },
      limit: 15,
    },
  },
  breakout("breakout_20", 20, "Breakout: 20-day high"),
  breakout("breakout_50", 50, "Breakout: 50-day high"),
  breakout("breakout_52w", 252, "Breakout: 52-week high"),
  {
    id: "oversold",
    name: "Oversold",
    description: "RSI(14) below 30.",
    spec: {
      conditions: [{ left: rsi, op: "<", right: { value: 30 } }],
      sort: { by: rsi, direction: "asc" },
    },
  },
  {
    id: "overbought",
    name: "Overbought",
    description: "RSI(14) above 70.",
    spec: {
      conditions: [{ left: rsi, op: ">", right: { value: 70 } }],
      sort: { by: rsi, direction: "desc" },
    },
  },
  {
    id: "reversal",
    name: "Reversal",
    description: "RSI(14) below 30 and higher than the day before: oversold and turning up.",
    spec: {
      conditions: [
        { left: rsi, op: "<", right: { value: 30 } },
        { left: rsi, op: ">", right: { ...rsi, ago: 1 } },
      ],
      sort: { by: rsi, direction: "asc" },
    },
  },
  {
    id: "unusual_volume",
    name: "Unusual volume",
    description: "Volume at least twice the average of the 20 days before.",
    spec: {
      conditions: [{ left: volumeRatio, op: ">=", right: { value: 2 } }],
      sort: { by: volumeRatio, direction: "desc" },
    },
  },
  {
    id: "gap_up",
    name: "Gap up",
    description: "Opened at least 2 % above the previous close.",
    spec: {
      conditions: [{ left: { indicator: "gap" }, op: ">=", right: { value: 2 } }],
      sort: { by: { indicator: "gap" }, direction: "desc" },
    },
  },
  {
    id: "gap_down",
    name: "Gap down",
    description: "Opened at least 2 % below the previous close.",
    spec: {
      conditions: [{ left: { indicator: "gap" }, op: "<=", right: { value: -2 } }],
      sort: { by: { indicator: "gap" }, direction: "asc" },
    },
  },
  {
    id: "golden_cross",
    name: "Golden cross",
    description: "SMA(50) crossed above SMA(200) on the scan day.",
    spec: {
      conditions: [{
        left: { indicator: "sma", period: 50 },
        op: "crosses_above",
        right: { indicator: "sma", period: 200 },
      }],
    },
  },
  {
    id: "death_cross",
    name: "Death cross",
    description: "SMA(50) crossed below SMA(200) on the scan day.",
    spec: {
      conditions: [{
        left: { indicator: "sma", period: 50 },
        op: "crosses_below",
        right: { indicator: "sma", period: 200 },
      }],
    },
  },
  {
    id: "near_52w_low",
    name: "Near 52-week low",
    description: "Closed within 5 % of the lowest low of the 252 days before.",
    spec: {
      conditions: [{
        left: { indicator: "close" },
        op: "<=",
        right: { indicator: "lowest", period: 252, times: 1.05 },
      }],
      sort: { by: { indicator: "return", period: 20 }, direction: "asc" },
    },
  },
  {
    id: "high_atr",
    name: "High ATR %",
    description: "ATR(14) at least 3 % of the close: the most volatile names.",
    spec: {
      conditions: [{ left: { indicator: "atr_pct", period: 14 }, op: ">=", right: { value: 3 } }],
      sort: { by: { indicator: "atr_pct", period: 14 }, direction: "desc" },
    },
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
