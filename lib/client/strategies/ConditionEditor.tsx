/**
 * The form editor for an entry or exit condition: one row per comparison (what, its period,
 * how it compares, and a number or another indicator), all or any of them, with the server's
 * validation messages under the row they concern. Plain labelled selects and inputs, so it
 * works from the keyboard as it is.
 */
import {
  COMPARISONS,
  type Group,
  groupOf,
  newRow,
  NUMBER,
  numFrom,
  numText,
  operandFor,
  OUTPUTS,
  rowErrors,
  type Slot,
  slotErrors,
  sourceKey,
  SOURCES,
  withGroup,
} from "./conditions.ts";
import type { Doc } from "./draft.ts";

const TITLES: Record<Slot, string> = { entry: "Buy when", exit: "Sell when" };
const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;

/** The operand's own fields: what it is, its period and, for MACD and Bollinger, which line. */
function OperandFields(
  { o, side, allowNumber, onChange }: {
    o: Doc;
    side: string;
    allowNumber: boolean;
    onChange: (o: Doc) => void;
  },
) {
  const key = sourceKey(o);
  const hasPeriod = o.type === "indicator" && o.name !== "macd" && o.name !== "gap_pct";
  // A factor ("1.05 × the lowest low"): offered on the compared side, always shown when set.
  const hasFactor = o.type !== undefined && o.type !== "const" &&
    (side === "Compared with" || o.times !== undefined);
  return (
    <>
      <label>
        {side}
        <select
          value={key}
          onChange={(e) => onChange(operandFor(value(e), o.type === "const" ? o.value : undefined))}
        >
          {allowNumber && <option value={NUMBER}>A number</option>}
          {SOURCES.map((s) => <option key={s.key} value={s.key}>{s.label}</option>)}
        </select>
      </label>
      {o.type === "const" && (
        <label>
          Threshold
          <input
            inputMode="decimal"
            value={numText(o.value)}
            onInput={(e) => onChange({ ...o, value: numFrom(value(e)) })}
          />
        </label>
      )}
      {hasPeriod && (
        <label>
          Period (bars)
          <input
            inputMode="numeric"
            value={numText(o.period)}
            onInput={(e) => {
              const period = numFrom(value(e));
              const next = { ...o, period };
              if (period === undefined) delete next.period;
              onChange(next);
            }}
          />
        </label>
      )}
      {hasFactor && (
        <label>
          × factor
          <input
            inputMode="decimal"
            placeholder="1"
            value={numText(o.times)}
            onInput={(e) => {
              const times = numFrom(value(e));
              const next = { ...o, times };
              if (times === undefined) delete next.times;
              onChange(next);
            }}
          />
        </label>
      )}
      {OUTPUTS[key] && (
        <label>
          Line
          <select
            value={o.output ?? OUTPUTS[key][0]}
            onChange={(e) => onChange({ ...o, output: value(e) })}
          >
            {OUTPUTS[key].map((x) => <option key={x} value={x}>{x}</option>)}
          </select>
        </label>
      )}
    </>
  );
}

export function ConditionEditor(
  { doc, slot, errors, onChange }: {
    doc: Doc;
    slot: Slot;
    errors: string[];
    onChange: (d: Doc) => void;
  },
) {
  const title = TITLES[slot];
  const group = groupOf(doc[slot]);
  if (!group) {
    return (
      <fieldset class="sb-conditions" data-testid={`sb-${slot}-editor`}>
        <legend class="section-title">{title}</legend>
        <p class="muted">
          This condition is nested (a “not”, or a group inside a group), more than the form shows:
          edit it in words or in the JSON view, or replace it here.
        </p>
        <button
          type="button"
          class="button button--small"
          onClick={() => onChange(withGroup(doc, slot, { join: "all", rows: [newRow()] }))}
        >
          Replace with one condition
        </button>
      </fieldset>
    );
  }
  const set = (g: Group) => onChange(withGroup(doc, slot, g));
  const setRow = (i: number, row: Doc) =>
    set({ ...group, rows: group.rows.map((r, k) => (k === i ? row : r)) });
  const whole = slotErrors(errors, slot);
  return (
    <fieldset class="sb-conditions" data-testid={`sb-${slot}-editor`}>
      <legend class="section-title">{title}</legend>
      {group.rows.length > 1 && (
        <label class="sb-join">
          Join
          <select
            value={group.join}
            onChange={(e) => set({ ...group, join: value(e) as Group["join"] })}
          >
            <option value="all">all of these hold</option>
            <option value="any">any of these holds</option>
          </select>
        </label>
      )}
      {group.rows.length === 0 && (
        <p class="muted">
          {slot === "entry"
            ? "No entry condition yet: add one (or rank candidates in the JSON view)."
            : "No sell condition: positions close on the exits below or at a rebalance."}
        </p>
      )}
      {group.rows.map((row, i) => {
        const problems = rowErrors(errors, slot, group, i);
        const errId = `sb-${slot}-${i}-errors`;
        return (
          <div
            class="sb-row"
            key={i}
            role="group"
            aria-label={`${title}, condition ${i + 1}`}
            aria-describedby={problems.length ? errId : undefined}
            data-testid={`sb-${slot}-row-${i}`}
          >
            <div class="sizer-form sb-row-fields">
              <OperandFields
                o={row.left ?? {}}
                side="Indicator"
                allowNumber={row.left?.type === "const"}
                onChange={(left) => setRow(i, { ...row, left })}
              />
              <label>
                Comparison
                <select value={row.op} onChange={(e) => setRow(i, { ...row, op: value(e) })}>
                  {COMPARISONS.map((c) => <option key={c.op} value={c.op}>{c.label}</option>)}
                </select>
              </label>
              <OperandFields
                o={row.right ?? {}}
                side="Compared with"
                allowNumber
                onChange={(right) => setRow(i, { ...row, right })}
              />
              <button
                type="button"
                class="button button--small sb-remove"
                aria-label={`Remove ${title.toLowerCase()} condition ${i + 1}`}
                onClick={() => set({ ...group, rows: group.rows.filter((_, k) => k !== i) })}
              >
                Remove
              </button>
            </div>
            {problems.length > 0 && (
              <ul class="sb-row-errors" id={errId} role="alert">
                {problems.map((p, k) => <li key={k}>{p}</li>)}
              </ul>
            )}
          </div>
        );
      })}
      {whole.length > 0 && (
        <ul class="sb-row-errors" role="alert">{whole.map((p, k) => <li key={k}>{p}</li>)}</ul>
      )}
      <button
        type="button"
        class="button button--small"
        onClick={() => set({ ...group, rows: [...group.rows, newRow()] })}
        data-testid={`sb-${slot}-add`}
      >
        Add condition
      </button>
    </fieldset>
  );
}
