/**
 * The option order ticket, loaded on the first click on a quote in the chain (or on "Send as
 * order" in the strategy builder): the contract or legs, what each does, quantity in contracts
 * with the dollars they stand for (× 100), market or limit (a net debit or credit for several
 * legs), day or GTC; "Review order" previews it and only Confirm places it.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { OPTION_MULTIPLIER } from "../../shared/occ.ts";
import { formatUsd } from "../../shared/money.ts";
import { Field, PriceField } from "../order_ticket/fields.tsx";
import { Toast, useToast } from "../toast.tsx";
import { readPositions } from "../trading_api.ts";
import { callApi } from "../trading_fetch.ts";
import { OptionLegs } from "./OptionLegs.tsx";
import { OptionReviewPanel } from "./OptionReviewPanel.tsx";
import {
  type Held,
  legsTitle,
  newTicket,
  type OptionTicketForm,
  setIntent,
  ticketEstimate,
  type TicketLeg,
  withHoldings,
} from "./ticket.ts";
import { useOptionReview } from "./use_option_review.ts";

export interface OptionTicketProps {
  csrfToken: string;
  legs: TicketLeg[];
  /** Contracts (one leg) or units (several); 1 when absent. */
  qty?: number;
  /** Where the legs came from, said under the title. */
  origin: string;
  onClose(): void;
}

/** Signed contracts held per symbol, from `GET /api/positions`; empty when unknown. */
async function loadHeld(): Promise<Held> {
  const res = await callApi<unknown>("/api/positions");
  const list = res.ok ? readPositions(res.data)?.positions ?? [] : [];
  return Object.fromEntries(list.map((p) => [p.symbol, p.qty]));
}

export default function OptionTicket(
  { csrfToken, legs, qty, origin, onClose }: OptionTicketProps,
) {
  const [form, setForm] = useState<OptionTicketForm>(() => newTicket(legs, qty));
  const [toast, showToast, clearToast] = useToast();
  const flow = useOptionReview({ csrfToken, showToast, clearToast });
  const titleRef = useRef<HTMLHeadingElement>(null);
  const multi = form.legs.length > 1;

  useEffect(() => {
    titleRef.current?.focus();
    // Intents follow holdings: a bid on a contract held long sells it to close.
    // A review made before they arrived priced other intents: it goes.
    loadHeld().then((held) => {
      setForm((f) => ({ ...f, legs: withHoldings(f.legs, held) }));
      flow.discard();
    });
  }, []);

  const edit = (patch: Partial<OptionTicketForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    flow.discard();
    for (const k of Object.keys(patch)) {
      if (k === "qty" || k === "limitPrice" || k === "legs") flow.clearError(k);
    }
  };
  const editLeg = (i: number, change: (l: TicketLeg) => TicketLeg) =>
    edit({ legs: form.legs.map((l, j) => (j === i ? change(l) : l)) });

  const est = ticketEstimate(form);
  const qtyUnit = multi ? "units" : "contracts";
  return (
    <section
      class="ticket glass opt-ticket"
      aria-labelledby="opt-ticket-title"
      data-testid="opt-ticket"
      onKeyDown={(e) => {
        if (e.key !== "Escape" || flow.busy) return;
        e.preventDefault();
        if (flow.review) flow.discard();
        else onClose();
      }}
    >
      <div class="opt-ticket-head">
        <h3 id="opt-ticket-title" class="ticket-title" tabIndex={-1} ref={titleRef}>
          Option order · {legsTitle(form.legs)}
        </h3>
        <button type="button" class="ticket-secondary" onClick={onClose}>
          Close <kbd>Esc</kbd>
        </button>
      </div>
      <p class="muted">
        {origin} Prices are USD per share; one contract is {OPTION_MULTIPLIER} shares.
      </p>
      <form
        class="ticket-form"
        noValidate
        onSubmit={(e) => (e.preventDefault(), flow.start(form))}
      >
        <OptionLegs
          legs={form.legs}
          error={flow.errors.legs}
          onIntent={(i, intent) => editLeg(i, (l) => setIntent(l, intent))}
          onRatio={(i, ratioQty) => editLeg(i, (l) => ({ ...l, ratioQty }))}
          onRemove={(i) => edit({ legs: form.legs.filter((_, j) => j !== i) })}
        />
        {multi && (
          <Field id="opt-ticket-net" label="Net price">
            <select
              id="opt-ticket-net"
              value={form.netSide}
              data-testid="opt-ticket-net"
              onChange={(e) => edit({ netSide: e.currentTarget.value as "buy" | "sell" })}
            >
              <option value="buy">Net debit (I pay)</option>
              <option value="sell">Net credit (I receive)</option>
            </select>
          </Field>
        )}
        <Field id="opt-ticket-qty" label={`Quantity (${qtyUnit})`} error={flow.errors.qty}>
          <input
            id="opt-ticket-qty"
            inputMode="numeric"
            autocomplete="off"
            value={form.qty}
            data-testid="opt-ticket-qty"
            aria-invalid={flow.errors.qty ? true : undefined}
            onInput={(e) => edit({ qty: e.currentTarget.value })}
          />
        </Field>
        <Field id="opt-ticket-type" label="Order type">
          <select
            id="opt-ticket-type"
            value={form.type}
            data-testid="opt-ticket-type"
            onChange={(e) => edit({ type: e.currentTarget.value as "market" | "limit" })}
          >
            <option value="limit">Limit</option>
            <option value="market">Market</option>
          </select>
        </Field>
        {form.type === "limit" && (
          <PriceField
            id="opt-ticket-limit"
            label={multi ? "Net limit (USD per share)" : "Limit (USD per share)"}
            value={form.limitPrice}
            error={flow.errors.limitPrice}
            onInput={(v) => edit({ limitPrice: v })}
          />
        )}
        <Field id="opt-ticket-tif" label="Time in force">
          <select
            id="opt-ticket-tif"
            value={form.timeInForce}
            data-testid="opt-ticket-tif"
            onChange={(e) => edit({ timeInForce: e.currentTarget.value as "day" | "gtc" })}
          >
            <option value="day">Day</option>
            <option value="gtc">Good till canceled</option>
          </select>
        </Field>
        <p class="ticket-field ticket-field--wide opt-ticket-dollars" aria-live="polite">
          <span data-testid="opt-ticket-dollars">
            {est.perShare === null
              ? "No price to estimate from yet."
              : `${form.qty || "?"} × ${formatUsd(est.perShare)} × ${OPTION_MULTIPLIER} = ${
                formatUsd(est.dollars)
              }`}
          </span>{" "}
          <span class="muted">
            {est.kind === "debit" ? "to pay" : "to receive"}
            {est.basis === "market" ? " at the market's price now" : " at the limit"}
          </span>
        </p>
        <div class="ticket-actions">
          <button
            type="submit"
            class="button"
            data-testid="opt-ticket-review"
            disabled={flow.busy !== null}
            aria-busy={flow.busy === "preview"}
          >
            {flow.busy === "preview" ? "Pricing…" : "Review order"}
          </button>
          <span class="ticket-hint">Nothing is sent until you confirm the review.</span>
        </div>
      </form>
      {flow.review && (
        <OptionReviewPanel
          review={flow.review}
          placing={flow.busy === "place"}
          onConfirm={flow.confirm}
          onBack={flow.discard}
        />
      )}
      <Toast toast={toast} onClose={clearToast} testId="opt-ticket-toast" />
    </section>
  );
}
