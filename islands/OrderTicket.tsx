import type { OrderSide } from "../lib/broker/types.ts";
import {
  AmountModeField,
  type Edit,
  Field,
  OrderPriceFields,
  SideField,
  SymbolField,
} from "../lib/client/order_ticket/fields.tsx";
import { QuoteLine } from "../lib/client/order_ticket/QuoteLine.tsx";
import { ReviewPanel } from "../lib/client/order_ticket/ReviewPanel.tsx";
import { useOrderReview } from "../lib/client/order_ticket/use_order_review.ts";
import { useTicketForm } from "../lib/client/order_ticket/use_ticket_form.ts";
import { Toast, useToast } from "../lib/client/toast.tsx";
import { useDebounced } from "../lib/client/use_debounced.ts";
import { checkTicketSymbol, ORDER_TYPES, type TicketForm } from "../lib/shared/ticket.ts";
import type { OrderTemplate } from "../lib/shared/order_template.ts";
import { afterFirstPaint } from "../lib/client/after_paint.ts";
import { useLazyComponent } from "../lib/client/lazy.ts";
import type { TemplateBarProps } from "../lib/client/order_ticket/TemplateBar.tsx";

interface OrderTicketProps {
  csrfToken: string;
  /** Prefill from the page's query (`?symbol=AAPL&side=sell&qty=5`). */
  symbol?: string;
  side?: OrderSide;
  qty?: string;
  /** The user's trading defaults from Settings. */
  type?: "market" | "limit";
  timeInForce?: "day" | "gtc";
  /** The order template the page started from (`/execute?template=ID`) and the fields it made. */
  template?: OrderTemplate | null;
  form?: TicketForm | null;
}

const QUOTE_DEBOUNCE_MS = 350;

/**
 * The order ticket: symbol, side, size (shares or dollars), type, prices and time in force;
 * "Review order" asks the API for a preview (estimated cost, buying power after, every
 * pre-trade check) and only "Confirm" places it, under the key made for that review, so a
 * double click or a retry can never make a second order. Order templates (apply, save) load
 * after the first paint.
 */
export default function OrderTicket(props: OrderTicketProps) {
  const ticket = useTicketForm(props);
  const { form, errors, mode } = ticket;
  const [toast, showToast, clearToast] = useToast();
  const flow = useOrderReview({
    csrfToken: props.csrfToken,
    setErrors: ticket.setErrors,
    showToast,
    clearToast,
  });
  const templates = useLazyComponent<TemplateBarProps>(() =>
    afterFirstPaint().then(() => import("../lib/client/order_ticket/TemplateBar.tsx"))
  );
  const quoteSymbol = useDebounced(checkTicketSymbol(form.symbol), QUOTE_DEBOUNCE_MS);

  const edit: Edit = (key, value) => {
    ticket.update(key, value);
    // The preview was for the order as it was: any change needs a new review.
    flow.discard();
  };

  function onSubmit(event: Event) {
    event.preventDefault();
    flow.start({ ...form, amountMode: mode });
  }

  return (
    <section
      class="ticket glass"
      aria-labelledby="ticket-title"
      data-testid="order-ticket"
      onKeyDown={flow.onKeyDown}
    >
      <h2 id="ticket-title" class="ticket-title">Order ticket</h2>
      {templates.Component && (
        <templates.Component
          csrfToken={props.csrfToken}
          form={form}
          opened={props.template ?? null}
          onApply={(next) => {
            ticket.replace(next);
            flow.discard();
          }}
        />
      )}
      <form class="ticket-form" onSubmit={onSubmit} noValidate>
        <SymbolField
          value={form.symbol}
          error={errors.symbol}
          onChange={(v) => edit("symbol", v)}
        />
        <QuoteLine symbol={quoteSymbol.ok ? quoteSymbol.symbol : null} />
        <SideField side={form.side} onChange={(s) => edit("side", s)} />
        <AmountModeField
          mode={mode}
          fractional={ticket.fractional}
          onChange={(m) => edit("amountMode", m)}
        />

        <Field
          id="ticket-qty"
          label={mode === "dollars" ? "Amount (USD)" : "Quantity (shares)"}
          error={errors.amount}
        >
          <input
            id="ticket-qty"
            name="amount"
            inputMode="decimal"
            autocomplete="off"
            placeholder={mode === "dollars" ? "e.g. 500.00" : "e.g. 10"}
            value={form.amount}
            data-testid="ticket-qty"
            aria-invalid={errors.amount ? true : undefined}
            aria-describedby={errors.amount ? "ticket-qty-error" : undefined}
            onInput={(e) => edit("amount", e.currentTarget.value)}
          />
        </Field>

        <Field id="ticket-type" label="Order type" error={errors.type}>
          <select
            id="ticket-type"
            value={form.type}
            data-testid="ticket-type"
            onChange={(e) => edit("type", e.currentTarget.value as TicketForm["type"])}
          >
            {ORDER_TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
          </select>
        </Field>

        <Field id="ticket-tif" label="Time in force" error={errors.timeInForce}>
          <select
            id="ticket-tif"
            value={form.timeInForce}
            data-testid="ticket-tif"
            onChange={(e) =>
              edit("timeInForce", e.currentTarget.value as TicketForm["timeInForce"])}
          >
            <option value="day">Day (ends at today's close)</option>
            <option value="gtc">Good till canceled</option>
          </select>
        </Field>

        <OrderPriceFields form={form} errors={errors} edit={edit} />

        <div class="ticket-actions">
          <button
            ref={flow.reviewButtonRef}
            type="submit"
            class="button ticket-review-btn"
            data-testid="ticket-review"
            disabled={flow.busy !== null}
            aria-busy={flow.busy === "preview"}
          >
            {flow.busy === "preview" ? "Pricing…" : "Review order"}
          </button>
          <span class="ticket-hint">Nothing is sent until you confirm the review.</span>
        </div>
      </form>

      {flow.review && (
        <ReviewPanel
          review={flow.review}
          placing={flow.busy === "place"}
          titleRef={flow.titleRef}
          onConfirm={flow.confirm}
          onClose={flow.close}
        />
      )}
      <Toast toast={toast} onClose={clearToast} />
    </section>
  );
}
