/** The order ticket's fields: each a label, a control and the error announced beside it. */
import type { JSX } from "preact";
import type { OrderSide } from "../../broker/types.ts";
import type { SymbolMatch } from "../../market/types.ts";
import {
  type FieldErrors,
  FRACTIONAL_RULE,
  needsLimit,
  needsStop,
  type TicketForm,
} from "../../shared/ticket.ts";
import { SymbolCombobox } from "../SymbolCombobox.tsx";

/** Sets one ticket field (the island also drops a review the change makes stale). */
export type Edit = <K extends keyof TicketForm>(key: K, value: TicketForm[K]) => void;

export function Field(
  { id, label, error, children }: {
    id: string;
    label: string;
    error?: string;
    children: JSX.Element;
  },
) {
  return (
    <div class={`ticket-field${error ? " ticket-field--error" : ""}`}>
      <label class="ticket-label" for={id}>{label}</label>
      {children}
      {error && <p id={`${id}-error`} class="ticket-error" role="alert">{error}</p>}
    </div>
  );
}

export function PriceField(
  { id, label, value, error, onInput }: {
    id: string;
    label: string;
    value: string;
    error?: string;
    onInput(v: string): void;
  },
) {
  return (
    <Field id={id} label={label} error={error}>
      <input
        id={id}
        inputMode="decimal"
        autocomplete="off"
        value={value}
        data-testid={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    </Field>
  );
}

// Indexes are quotes, not securities: the ticket cannot trade them.
const tradable = (m: SymbolMatch) => m.type !== "index";

/** The symbol box: typed text is upper-cased, a suggestion fills it. */
export function SymbolField(
  { value, error, onChange }: { value: string; error?: string; onChange(v: string): void },
) {
  return (
    <div class={`ticket-field ticket-symbol${error ? " ticket-field--error" : ""}`}>
      <label class="ticket-label" for="ticket-symbol">Symbol</label>
      <SymbolCombobox
        id="ticket-symbol"
        name="symbol"
        value={value}
        onInput={(text) => onChange(text.toUpperCase())}
        onPick={(m) => onChange(m.symbol)}
        accept={tradable}
        max={6}
        debounceMs={200}
        placeholder="e.g. AAPL"
        maxLength={10}
        testId="ticket-symbol"
        errorId={error ? "ticket-symbol-error" : undefined}
      />
      {error && <p id="ticket-symbol-error" class="ticket-error" role="alert">{error}</p>}
    </div>
  );
}

export function SideField({ side, onChange }: { side: OrderSide; onChange(s: OrderSide): void }) {
  return (
    <fieldset class="ticket-field ticket-field--wide">
      <legend class="ticket-label">Side</legend>
      <div class="segmented ticket-side">
        {(["buy", "sell"] as const).map((s) => (
          <button
            key={s}
            type="button"
            class={`segmented-btn ticket-side-btn ticket-side-btn--${s}`}
            aria-pressed={side === s}
            data-testid={`ticket-side-${s}`}
            onClick={() => onChange(s)}
          >
            {s === "buy" ? "Buy" : "Sell"}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

/** Shares or dollars; dollars only where fractions are allowed, with the rule said why not. */
export function AmountModeField(
  { mode, fractional, onChange }: {
    mode: TicketForm["amountMode"];
    fractional: boolean;
    onChange(mode: TicketForm["amountMode"]): void;
  },
) {
  return (
    <fieldset class="ticket-field ticket-field--wide">
      <legend class="ticket-label">Amount in</legend>
      <div class="segmented">
        <button
          type="button"
          class="segmented-btn"
          aria-pressed={mode === "shares"}
          onClick={() => onChange("shares")}
        >
          Shares
        </button>
        <button
          type="button"
          class="segmented-btn"
          aria-pressed={mode === "dollars"}
          disabled={!fractional}
          aria-describedby={!fractional ? "ticket-dollars-why" : undefined}
          onClick={() => onChange("dollars")}
        >
          Dollars
        </button>
      </div>
      {!fractional && (
        <p id="ticket-dollars-why" class="ticket-hint">
          {FRACTIONAL_RULE} Pick Market and Day to enter dollars or fractions.
        </p>
      )}
    </fieldset>
  );
}

/** The stop, limit and trail fields the order type asks for, and only those. */
export function OrderPriceFields(
  { form, errors, edit }: { form: TicketForm; errors: FieldErrors; edit: Edit },
) {
  return (
    <>
      {needsStop(form.type) && (
        <PriceField
          id="ticket-stop"
          label="Stop price (USD)"
          value={form.stopPrice}
          error={errors.stopPrice}
          onInput={(v) => edit("stopPrice", v)}
        />
      )}
      {needsLimit(form.type) && (
        <PriceField
          id="ticket-limit"
          label="Limit price (USD)"
          value={form.limitPrice}
          error={errors.limitPrice}
          onInput={(v) => edit("limitPrice", v)}
        />
      )}
      {form.type === "trailing_stop" && (
        <div class="ticket-field ticket-trail">
          <PriceField
            id="ticket-trail"
            label={form.trailMode === "percent" ? "Trail (%)" : "Trail (USD)"}
            value={form.trail}
            error={errors.trail}
            onInput={(v) => edit("trail", v)}
          />
          <label class="ticket-label" for="ticket-trail-mode">Trail in</label>
          <select
            id="ticket-trail-mode"
            value={form.trailMode}
            onChange={(e) => edit("trailMode", e.currentTarget.value as TicketForm["trailMode"])}
          >
            <option value="percent">Percent of price</option>
            <option value="price">Dollars</option>
          </select>
        </div>
      )}
    </>
  );
}
