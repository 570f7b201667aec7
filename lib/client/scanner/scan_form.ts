/**
 * The Scanner stage's filter builder as plain data: rows of text fields the inputs edit, turned
 * into the scan the API takes (`toSpec`), or back from a preset's spec (`fromSpec`) so a preset
 * can be opened and edited. Field problems are caught here with a message per row; the server
 * checks everything again.
 */
import {
  INDICATOR_INFO,
  type IndicatorName,
  type IndicatorOperand,
  isNumberOperand,
  type Operator,
  type ScanSpec,
} from "../../shared/scan.ts";

export interface ConditionRow {
  indicator: IndicatorName;
  period: string;
  op: Operator;
  /** "value" compares with a number, otherwise with another indicator. */
  rightKind: "value" | "indicator";
  value: string;
  rightIndicator: IndicatorName;
  rightPeriod: string;
  rightAgo: string;
  rightTimes: string;
}

export interface ScanForm {
  rows: ConditionRow[];
  sector: string;
  minPrice: string;
  minDollarVolume: string;
  limit: string;
}

export const NEW_ROW: ConditionRow = {
  indicator: "rsi",
  period: "14",
  op: "<",
  rightKind: "value",
  value: "30",
  rightIndicator: "sma",
  rightPeriod: "50",
  rightAgo: "",
  rightTimes: "",
};

export const EMPTY_FORM: ScanForm = {
  rows: [NEW_ROW],
  sector: "",
  minPrice: "",
  minDollarVolume: "",
  limit: "50",
};

/** Whether the indicator takes a period (the bar's own values and the gap do not). */
export function hasPeriod(name: IndicatorName): boolean {
  return INDICATOR_INFO[name].period !== null;
}

function operand(name: IndicatorName, period: string, ago = "", times = ""): IndicatorOperand {
  const o: IndicatorOperand = { indicator: name };
  if (hasPeriod(name)) o.period = Number(period);
  if (ago.trim()) o.ago = Number(ago);
  if (times.trim()) o.times = Number(times);
  return o;
}

const isWhole = (s: string) => /^\d+$/.test(s.trim()) && Number(s) >= 1 && Number(s) <= 500;
const isNumber = (s: string) => s.trim() !== "" && Number.isFinite(Number(s));

/** The scan, or the first problem found ("Condition 2: the period must be 1–500 days."). */
export function toSpec(
  form: ScanForm,
): { ok: true; spec: ScanSpec } | { ok: false; error: string } {
  if (form.rows.length === 0) return { ok: false, error: "Add at least one condition." };
  const conditions = [];
  for (const [i, r] of form.rows.entries()) {
    const at = `Condition ${i + 1}`;
    if (hasPeriod(r.indicator) && !isWhole(r.period)) {
      return { ok: false, error: `${at}: the period must be a whole number of days, 1–500.` };
    }
    if (r.rightKind === "value") {
      if (!isNumber(r.value)) return { ok: false, error: `${at}: enter a number to compare with.` };
      conditions.push({
        left: operand(r.indicator, r.period),
        op: r.op,
        right: { value: Number(r.value) },
      });
    } else {
      if (hasPeriod(r.rightIndicator) && !isWhole(r.rightPeriod)) {
        return { ok: false, error: `${at}: the right-hand period must be 1–500 days.` };
      }
      if (r.rightAgo.trim() && !/^\d+$/.test(r.rightAgo.trim())) {
        return { ok: false, error: `${at}: “days ago” must be a whole number.` };
      }
      if (r.rightTimes.trim() && !(Number(r.rightTimes) > 0)) {
        return { ok: false, error: `${at}: the factor must be a positive number.` };
      }
      conditions.push({
        left: operand(r.indicator, r.period),
        op: r.op,
        right: operand(r.rightIndicator, r.rightPeriod, r.rightAgo, r.rightTimes),
      });
    }
  }
  const spec: ScanSpec = { conditions };
  if (form.sector) spec.sector = form.sector;
  for (const key of ["minPrice", "minDollarVolume"] as const) {
    if (form[key].trim()) {
      const n = Number(form[key]);
      if (!(n >= 0)) return { ok: false, error: "Floors must be numbers of zero or more." };
      spec[key] = n;
    }
  }
  if (form.limit.trim()) {
    if (!isWhole(form.limit)) return { ok: false, error: "Show 1–500 results." };
    spec.limit = Number(form.limit);
  }
  return { ok: true, spec };
}

/** The builder's rows for a spec (a preset opened for editing); floors and sector kept. */
export function fromSpec(spec: ScanSpec): ScanForm {
  return {
    rows: spec.conditions.map((c): ConditionRow => {
      const row: ConditionRow = {
        ...NEW_ROW,
        indicator: c.left.indicator,
        period: String(c.left.period ?? INDICATOR_INFO[c.left.indicator].period ?? ""),
        op: c.op,
      };
      if (isNumberOperand(c.right)) {
        return { ...row, rightKind: "value", value: String(c.right.value) };
      }
      return {
        ...row,
        rightKind: "indicator",
        rightIndicator: c.right.indicator,
        rightPeriod: String(c.right.period ?? INDICATOR_INFO[c.right.indicator].period ?? ""),
        rightAgo: c.right.ago ? String(c.right.ago) : "",
        rightTimes: c.right.times !== undefined ? String(c.right.times) : "",
      };
    }),
    sector: spec.sector ?? "",
    minPrice: spec.minPrice !== undefined ? String(spec.minPrice) : "",
    minDollarVolume: spec.minDollarVolume !== undefined ? String(spec.minDollarVolume) : "",
    limit: String(spec.limit ?? 50),
  };
}
