/**
 * The custom scan's filter builder: one row per condition (indicator, period, comparison, a
 * number or another indicator), then the sector, the floors and the number of results. Plain
 * inputs and selects with labels, so it works from the keyboard as it is.
 */
import {
  INDICATOR_INFO,
  type IndicatorName,
  INDICATORS,
  type Operator,
  OPERATOR_TEXT,
  OPERATORS,
} from "../../shared/scan.ts";
import { type ConditionRow, hasPeriod, NEW_ROW, type ScanForm } from "./scan_form.ts";

interface Props {
  form: ScanForm;
  sectors: string[];
  onChange: (form: ScanForm) => void;
}

const name = (n: IndicatorName) =>
  `${INDICATOR_INFO[n].label}${INDICATOR_INFO[n].unit ? ` (${INDICATOR_INFO[n].unit})` : ""}`;

export function FilterBuilder({ form, sectors, onChange }: Props) {
  const setRow = (i: number, patch: Partial<ConditionRow>) =>
    onChange({ ...form, rows: form.rows.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  const pickIndicator = (i: number, key: "indicator" | "rightIndicator", n: IndicatorName) => {
    const period = String(INDICATOR_INFO[n].period ?? "");
    setRow(
      i,
      key === "indicator" ? { indicator: n, period } : { rightIndicator: n, rightPeriod: period },
    );
  };
  return (
    <fieldset class="scan-builder" data-testid="scan-builder">
      <legend class="section-title">Conditions (all must hold)</legend>
      {form.rows.map((r, i) => (
        <div class="scan-row sizer-form" key={i} data-testid={`scan-row-${i}`}>
          <label>
            Indicator
            <select
              value={r.indicator}
              onChange={(e) =>
                pickIndicator(i, "indicator", value(e) as IndicatorName)}
            >
              {INDICATORS.map((n) => <option key={n} value={n}>{name(n)}</option>)}
            </select>
          </label>
          {hasPeriod(r.indicator) && (
            <label>
              Period (days)
              <input
                inputMode="numeric"
                value={r.period}
                onInput={(e) => setRow(i, { period: value(e) })}
              />
            </label>
          )}
          <label>
            Is
            <select
              value={r.op}
              onChange={(e) =>
                setRow(i, { op: value(e) as Operator })}
            >
              {OPERATORS.map((o) => <option key={o} value={o}>{OPERATOR_TEXT[o]}</option>)}
            </select>
          </label>
          <label>
            Compared with
            <select
              value={r.rightKind}
              onChange={(e) =>
                setRow(i, { rightKind: value(e) as ConditionRow["rightKind"] })}
            >
              <option value="value">a number</option>
              <option value="indicator">an indicator</option>
            </select>
          </label>
          {r.rightKind === "value"
            ? (
              <label>
                Number
                <input
                  inputMode="decimal"
                  value={r.value}
                  onInput={(e) => setRow(i, { value: value(e) })}
                />
              </label>
            )
            : (
              <>
                <label>
                  Indicator
                  <select
                    value={r.rightIndicator}
                    onChange={(e) => pickIndicator(i, "rightIndicator", value(e) as IndicatorName)}
                  >
                    {INDICATORS.map((n) => <option key={n} value={n}>{name(n)}</option>)}
                  </select>
                </label>
                {hasPeriod(r.rightIndicator) && (
                  <label>
                    Period (days)
                    <input
                      inputMode="numeric"
                      value={r.rightPeriod}
                      onInput={(e) => setRow(i, { rightPeriod: value(e) })}
                    />
                  </label>
                )}
                <label>
                  Days ago
                  <input
                    inputMode="numeric"
                    value={r.rightAgo}
                    placeholder="0"
                    onInput={(e) => setRow(i, { rightAgo: value(e) })}
                  />
                </label>
                <label>
                  Times (factor)
                  <input
                    inputMode="decimal"
                    value={r.rightTimes}
                    placeholder="1"
                    onInput={(e) => setRow(i, { rightTimes: value(e) })}
                  />
                </label>
              </>
            )}
          <button
            type="button"
            class="button button--small"
            aria-label={`Remove condition ${i + 1}`}
            onClick={() => onChange({ ...form, rows: form.rows.filter((_, k) => k !== i) })}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        class="button button--small"
        onClick={() => onChange({ ...form, rows: [...form.rows, NEW_ROW] })}
        data-testid="scan-add-row"
      >
        Add condition
      </button>
      <div class="sizer-form scan-filters">
        <label>
          Sector
          <select value={form.sector} onChange={(e) => onChange({ ...form, sector: value(e) })}>
            <option value="">All sectors</option>
            {sectors.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Minimum close (USD)
          <input
            inputMode="decimal"
            value={form.minPrice}
            onInput={(e) => onChange({ ...form, minPrice: value(e) })}
          />
        </label>
        <label>
          Minimum 20-day avg dollar volume (USD)
          <input
            inputMode="decimal"
            value={form.minDollarVolume}
            onInput={(e) => onChange({ ...form, minDollarVolume: value(e) })}
          />
        </label>
        <label>
          Results (at most)
          <input
            inputMode="numeric"
            value={form.limit}
            onInput={(e) => onChange({ ...form, limit: value(e) })}
          />
        </label>
      </div>
    </fieldset>
  );
}
