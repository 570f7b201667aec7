/**
 * Runs a scan over a universe of daily series on one day: every condition must hold on the
 * scan day's row (crosses also read the row before), then the floors and the sector filter,
 * then the sort and the limit. Each hit carries the values it was judged on and a sentence per
 * condition that says why it matched.
 *
 * The engine never reads a row after the scan day: it evaluates at `row` and `row - ago`, and
 * the indicator columns are causal (series.ts).
 *
 * @module
 */
import {
  formatOperandValue,
  type IndicatorOperand,
  isNumberOperand,
  type Operand,
  operandLabel,
  OPERATOR_TEXT,
  type ScanCondition,
  type ScanHit,
  type ScanSpec,
} from "../shared/scan.ts";
import { averageDollarVolume, column, rowOnOrBefore, type ScanSeries } from "./series.ts";

/** Closes in a hit's sparkline. */
export const SPARK_DAYS = 30;
export const DEFAULT_LIMIT = 50;

/** The operand's value on `row` (NaN when the history is too short). */
export function valueAt(s: ScanSeries, o: Operand, row: number): number {
  if (isNumberOperand(o)) return o.value;
  const r = row - (o.ago ?? 0);
  if (r < 0) return NaN;
  return column(s, o.indicator, o.period)[r] * (o.times ?? 1);
}

function holds(s: ScanSeries, c: ScanCondition, row: number): boolean {
  const l = valueAt(s, c.left, row);
  const r = valueAt(s, c.right, row);
  if (Number.isNaN(l) || Number.isNaN(r)) return false;
  switch (c.op) {
    case ">":
      return l > r;
    case ">=":
      return l >= r;
    case "<":
      return l < r;
    case "<=":
      return l <= r;
    case "crosses_above":
    case "crosses_below": {
      const pl = valueAt(s, c.left, row - 1);
      const pr = valueAt(s, c.right, row - 1);
      if (Number.isNaN(pl) || Number.isNaN(pr)) return false;
      return c.op === "crosses_above" ? pl <= pr && l > r : pl >= pr && l < r;
    }
  }
}

function sameIndicator(a: IndicatorOperand, b: Operand): boolean {
  return !isNumberOperand(b) && a.indicator === b.indicator && a.period === b.period &&
    (a.times ?? 1) === (b.times ?? 1) && (a.ago ?? 0) === 0 && (b.ago ?? 0) > 0;
}

/** "RSI(14) 27.4 < 30", "RSI(14) 27.4, up from 24.9", "SMA(50) $101.20 crossed above …". */
export function reason(s: ScanSeries, c: ScanCondition, row: number): string {
  const l = valueAt(s, c.left, row);
  const r = valueAt(s, c.right, row);
  const left = `${operandLabel(c.left)} ${formatOperandValue(c.left, l)}`;
  if (sameIndicator(c.left, c.right) && !c.op.startsWith("crosses")) {
    const way = c.op.startsWith(">") ? "up" : "down";
    return `${left}, ${way} from ${formatOperandValue(c.right, r)}`;
  }
  const right = isNumberOperand(c.right)
    ? String(c.right.value)
    : `${operandLabel(c.right)} ${formatOperandValue(c.right, r)}`;
  return `${left} ${OPERATOR_TEXT[c.op]} ${right}`;
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** The series and the row each has on `asOf`: symbols with no bar that day are left out. */
export function rowsOn(universe: readonly ScanSeries[], asOf: string): [ScanSeries, number][] {
  const out: [ScanSeries, number][] = [];
  for (const s of universe) {
    const row = rowOnOrBefore(s, asOf);
    if (row >= 0 && s.dates[row] === asOf) out.push([s, row]);
  }
  return out;
}

/** Runs `spec` over `universe` on the day `asOf`. */
export function runScan(
  universe: readonly ScanSeries[],
  asOf: string,
  spec: ScanSpec,
): { scanned: number; hits: ScanHit[] } {
  const rows = rowsOn(universe, asOf);
  const matched: { s: ScanSeries; row: number; key: number }[] = [];
  for (const [s, row] of rows) {
    if (spec.sector !== undefined && s.sector !== spec.sector) continue;
    if (spec.minPrice !== undefined && !(s.close[row] >= spec.minPrice)) continue;
    if (
      spec.minDollarVolume !== undefined &&
      !(averageDollarVolume(s, row) >= spec.minDollarVolume)
    ) continue;
    if (!spec.conditions.every((c) => holds(s, c, row))) continue;
    const key = spec.sort ? valueAt(s, spec.sort.by, row) : 0;
    if (spec.sort && Number.isNaN(key)) continue;
    matched.push({ s, row, key });
  }
  if (spec.sort) {
    const sign = spec.sort.direction === "asc" ? 1 : -1;
    matched.sort((a, b) => sign * (a.key - b.key) || a.s.symbol.localeCompare(b.s.symbol));
  } else {
    matched.sort((a, b) => a.s.symbol.localeCompare(b.s.symbol));
  }
  const hits = matched.slice(0, spec.limit ?? DEFAULT_LIMIT).map(({ s, row }): ScanHit => {
    const values: Record<string, number> = {};
    const operands: Operand[] = spec.conditions.flatMap((c) => [c.left, c.right]);
    if (spec.sort) operands.push(spec.sort.by);
    for (const o of operands) {
      if (!isNumberOperand(o)) values[operandLabel(o)] = round(valueAt(s, o, row));
    }
    const spark: number[] = [];
    for (let r = Math.max(0, row - SPARK_DAYS + 1); r <= row; r++) spark.push(s.close[r]);
    return {
      symbol: s.symbol,
      name: s.name,
      sector: s.sector,
      close: s.close[row],
      values,
      reasons: spec.conditions.map((c) => reason(s, c, row)),
      spark,
    };
  });
  return { scanned: rows.length, hits };
}
