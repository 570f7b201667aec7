import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { OrderSide } from "../lib/broker/types.ts";
import type { SymbolMatch, SymbolSearch as SearchResult } from "../lib/market/types.ts";
import { formatDate } from "../lib/shared/format.ts";
import { STATUS_LABEL } from "../lib/shared/market_status.ts";
import { useLiveQuotes } from "../lib/client/quote_hub.ts";
import type { LiveQuote } from "../lib/client/quote_stream.ts";
import { moveActive } from "../lib/shared/search_nav.ts";
import { Toast, useToast } from "../lib/client/toast.tsx";
import { replayDay } from "../lib/shared/market_day.ts";
import { formatUsd, sharesWithUnit } from "../lib/shared/money.ts";
import { placedMessage } from "../lib/shared/order_labels.ts";
import {
  buildOrder,
  checkTicketSymbol,
  type FieldErrors,
  FRACTIONAL_RULE,
  fractionalAllowed,
  needsLimit,
  needsStop,
  ORDER_TYPES,
  type OrderBody,
  orderTypeLabel,
  type TicketField,
  type TicketForm,
} from "../lib/shared/ticket.ts";
import { checkVerdict, excessText, isRefused, ruleLabel } from "../lib/client/trade_checks.ts";
import { type OrderPreview, readPlaced, readPreview } from "../lib/client/trading_api.ts";
import { callApi, ORDER_PLACED_EVENT } from "../lib/client/trading_fetch.ts";

interface OrderTicketProps {
  csrfToken: string;
  /** Prefill from the page's query (`?symbol=AAPL&side=sell&qty=5`). */
  symbol?: string;
  side?: OrderSide;
  qty?: string;
}

interface Review {
  body: OrderBody;
  /** The order's idempotency key: Confirm and any retry of it send this same key. */
  key: string;
  preview: OrderPreview;
  /** Why the server refused on Confirm, when it did. */
  refusal: string | null;
}

const SEARCH_DEBOUNCE_MS = 200;
const QUOTE_DEBOUNCE_MS = 350;

/**
 * The order ticket: symbol, side, size (shares or dollars), type, prices and time in force;
 * "Review order" asks the API for a preview (estimated cost, buying power after, every
 * pre-trade check) and only "Confirm" places it, under the key made for that review, so a
 * double click or a retry can never make a second order.
 */
export default function OrderTicket(props: OrderTicketProps) {
  const [form, setForm] = useState<TicketForm>({
    symbol: props.symbol ?? "",
    side: props.side ?? "buy",
    amountMode: "shares",
    amount: props.qty ?? "",
    type: "market",
    timeInForce: "day",
    limitPrice: "",
    stopPrice: "",
    trailMode: "percent",
    trail: "",
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [review, setReview] = useState<Review | null>(null);
  const [busy, setBusy] = useState<"preview" | "place" | null>(null);
  const inFlight = useRef(false);
  // One key per intent: kept while the order stays the same and has not been placed, so a
  // Confirm whose answer was lost is retried under the key the server may already have.
  const intent = useRef<{ json: string; key: string } | null>(null);
  const [toast, showToast, clearToast] = useToast();
  const reviewTitle = useRef<HTMLHeadingElement>(null);
  const reviewButton = useRef<HTMLButtonElement>(null);

  const fractional = fractionalAllowed(form.type, form.timeInForce);
  const mode = fractional ? form.amountMode : "shares";
  const quoteSymbol = useDebounced(checkTicketSymbol(form.symbol), QUOTE_DEBOUNCE_MS);

  function update<K extends keyof TicketForm>(key: K, value: TicketForm[K]) {
    setForm((f) => ({ ...f, [key]: value }));
    const field = (key === "amountMode" ? "amount" : key === "trailMode" ? "trail" : key) as
      | TicketField
      | string;
    setErrors((e) => (field in e ? { ...e, [field]: undefined } : e));
    // The preview was for the order as it was: any change needs a new review.
    setReview(null);
  }

  async function startReview(event?: Event) {
    event?.preventDefault();
    if (inFlight.current) return;
    const built = buildOrder({ ...form, amountMode: mode });
    if (!built.ok) {
      setErrors(built.errors);
      setReview(null);
      focusFirstError(built.errors);
      return;
    }
    setErrors({});
    const json = JSON.stringify(built.body);
    if (intent.current?.json !== json) intent.current = { json, key: crypto.randomUUID() };
    const key = intent.current.key;
    inFlight.current = true;
    setBusy("preview");
    const res = await callApi<unknown>("/api/orders", {
      method: "POST",
      body: { ...built.body, clientOrderId: key, preview: true },
      csrfToken: props.csrfToken,
    });
    inFlight.current = false;
    setBusy(null);
    if (!res.ok) {
      setErrors(res.problem.fieldErrors);
      showToast("error", res.problem.message);
      return;
    }
    const preview = readPreview(res.data);
    if (!preview) {
      showToast("error", "The preview came back in a form this page does not understand.");
      return;
    }
    clearToast();
    setReview({ body: built.body, key, preview, refusal: null });
  }

  async function confirm() {
    if (!review || inFlight.current) return;
    inFlight.current = true;
    setBusy("place");
    const res = await callApi<unknown>("/api/orders", {
      method: "POST",
      body: { ...review.body, clientOrderId: review.key, preview: false },
      csrfToken: props.csrfToken,
    });
    inFlight.current = false;
    setBusy(null);
    if (res.ok) {
      const placed = readPlaced(res.data);
      intent.current = null;
      setReview(null);
      if (!placed) {
        showToast("info", "The order was sent; refresh Today's orders to see it.");
      } else {
        const msg = placedMessage(placed.order, placed.duplicate);
        showToast(msg.kind, msg.text);
      }
      globalThis.dispatchEvent(
        new CustomEvent(ORDER_PLACED_EVENT, { detail: { order: placed?.order ?? null } }),
      );
      reviewButton.current?.focus();
      return;
    }
    const p = res.problem;
    showToast("error", p.message);
    if (p.status === 422) {
      // Refused: nothing was placed. Show the server's verdicts in place of the preview's.
      setReview({
        ...review,
        preview: p.checks.length ? { ...review.preview, checks: p.checks } : review.preview,
        refusal: p.message,
      });
    } else if (p.status === 400) {
      setErrors(p.fieldErrors);
      setReview(null);
    }
    // Otherwise (network, 5xx) the review stays open: Confirm retries under the same key.
  }

  function closeReview() {
    setReview(null);
    reviewButton.current?.focus();
  }

  useEffect(() => {
    if (review) reviewTitle.current?.focus();
  }, [review?.key, review?.preview]);

  function onKeyDown(event: JSX.TargetedKeyboardEvent<HTMLElement>) {
    if (event.key === "Escape" && review && !busy) {
      event.preventDefault();
      closeReview();
    }
  }

  const showLimit = needsLimit(form.type);
  const showStop = needsStop(form.type);
  const showTrail = form.type === "trailing_stop";

  return (
    <section
      class="ticket glass"
      aria-labelledby="ticket-title"
      data-testid="order-ticket"
      onKeyDown={onKeyDown}
    >
      <h2 id="ticket-title" class="ticket-title">Order ticket</h2>
      <form class="ticket-form" onSubmit={startReview} noValidate>
        <SymbolField
          value={form.symbol}
          error={errors.symbol}
          onChange={(v) => update("symbol", v)}
        />
        <QuoteLine symbol={quoteSymbol.ok ? quoteSymbol.symbol : null} />

        <fieldset class="ticket-field ticket-field--wide">
          <legend class="ticket-label">Side</legend>
          <div class="segmented ticket-side">
            {(["buy", "sell"] as const).map((side) => (
              <button
                key={side}
                type="button"
                class={`segmented-btn ticket-side-btn ticket-side-btn--${side}`}
                aria-pressed={form.side === side}
                data-testid={`ticket-side-${side}`}
                onClick={() => update("side", side)}
              >
                {side === "buy" ? "Buy" : "Sell"}
              </button>
            ))}
          </div>
        </fieldset>

        <fieldset class="ticket-field ticket-field--wide">
          <legend class="ticket-label">Amount in</legend>
          <div class="segmented">
            <button
              type="button"
              class="segmented-btn"
              aria-pressed={mode === "shares"}
              onClick={() => update("amountMode", "shares")}
            >
              Shares
            </button>
            <button
              type="button"
              class="segmented-btn"
              aria-pressed={mode === "dollars"}
              disabled={!fractional}
              aria-describedby={!fractional ? "ticket-dollars-why" : undefined}
              onClick={() => update("amountMode", "dollars")}
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
            onInput={(e) => update("amount", e.currentTarget.value)}
          />
        </Field>

        <Field id="ticket-type" label="Order type" error={errors.type}>
          <select
            id="ticket-type"
            value={form.type}
            data-testid="ticket-type"
            onChange={(e) => update("type", e.currentTarget.value as TicketForm["type"])}
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
              update("timeInForce", e.currentTarget.value as TicketForm["timeInForce"])}
          >
            <option value="day">Day (ends at today's close)</option>
            <option value="gtc">Good till canceled</option>
          </select>
        </Field>

        {showStop && (
          <PriceField
            id="ticket-stop"
            label="Stop price (USD)"
            value={form.stopPrice}
            error={errors.stopPrice}
            onInput={(v) => update("stopPrice", v)}
          />
        )}
        {showLimit && (
          <PriceField
            id="ticket-limit"
            label="Limit price (USD)"
            value={form.limitPrice}
            error={errors.limitPrice}
            onInput={(v) => update("limitPrice", v)}
          />
        )}
        {showTrail && (
          <div class="ticket-field ticket-trail">
            <PriceField
              id="ticket-trail"
              label={form.trailMode === "percent" ? "Trail (%)" : "Trail (USD)"}
              value={form.trail}
              error={errors.trail}
              onInput={(v) => update("trail", v)}
            />
            <label class="ticket-label" for="ticket-trail-mode">Trail in</label>
            <select
              id="ticket-trail-mode"
              value={form.trailMode}
              onChange={(e) =>
                update("trailMode", e.currentTarget.value as TicketForm["trailMode"])}
            >
              <option value="percent">Percent of price</option>
              <option value="price">Dollars</option>
            </select>
          </div>
        )}

        <div class="ticket-actions">
          <button
            ref={reviewButton}
            type="submit"
            class="button ticket-review-btn"
            data-testid="ticket-review"
            disabled={busy !== null}
            aria-busy={busy === "preview"}
          >
            {busy === "preview" ? "Pricing…" : "Review order"}
          </button>
          <span class="ticket-hint">Nothing is sent until you confirm the review.</span>
        </div>
      </form>

      {review && (
        <ReviewPanel
          review={review}
          placing={busy === "place"}
          titleRef={reviewTitle}
          onConfirm={confirm}
          onClose={closeReview}
        />
      )}
      <Toast toast={toast} onClose={clearToast} />
    </section>
  );
}

function focusFirstError(errors: FieldErrors) {
  const order: [TicketField, string][] = [
    ["symbol", "ticket-symbol"],
    ["amount", "ticket-qty"],
    ["stopPrice", "ticket-stop"],
    ["limitPrice", "ticket-limit"],
    ["trail", "ticket-trail"],
  ];
  const first = order.find(([f]) => errors[f]);
  if (first) (document.getElementById(first[1]) as HTMLInputElement | null)?.focus();
}

/** `value` once it has stayed the same for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const json = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [json]);
  return settled;
}

function Field(
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

function PriceField(
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

/** The symbol box with suggestions from the search API (arrow keys, Enter picks, Esc closes). */
function SymbolField(
  { value, error, onChange }: { value: string; error?: string; onChange(v: string): void },
) {
  const [matches, setMatches] = useState<SymbolMatch[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const listId = "ticket-symbol-list";

  useEffect(() => {
    const q = value.trim();
    if (!q || !open) {
      setMatches([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/market/search?q=${encodeURIComponent(q)}`, { signal: ctl.signal })
        .then((res) => (res.ok ? res.json() as Promise<SearchResult> : null))
        .then((body) => {
          const list = Array.isArray(body?.matches) ? body.matches : [];
          // Indexes are quotes, not securities: the ticket cannot trade them.
          setMatches(list.filter((m) => m.type !== "index").slice(0, 6));
          setActive(-1);
        })
        // Suggestions are a convenience: a typed symbol works without them.
        .catch(() => {});
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [value, open]);

  function pick(symbol: string) {
    onChange(symbol);
    setOpen(false);
    setMatches([]);
  }

  function onKeyDown(event: JSX.TargetedKeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => moveActive(i, event.key === "ArrowDown" ? 1 : -1, matches.length));
    } else if (event.key === "Escape" && open && matches.length) {
      // Close the list only; a second Escape reaches the ticket.
      event.stopPropagation();
      setOpen(false);
    } else if (event.key === "Enter" && open && active >= 0 && matches[active]) {
      event.preventDefault();
      pick(matches[active].symbol);
    }
  }

  const expanded = open && matches.length > 0;
  return (
    <div class={`ticket-field ticket-symbol${error ? " ticket-field--error" : ""}`}>
      <label class="ticket-label" for="ticket-symbol">Symbol</label>
      <input
        id="ticket-symbol"
        name="symbol"
        value={value}
        placeholder="e.g. AAPL"
        autocomplete="off"
        spellcheck={false}
        maxLength={10}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "ticket-symbol-error" : undefined}
        data-testid="ticket-symbol"
        onInput={(e) => {
          onChange(e.currentTarget.value.toUpperCase());
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul id={listId} role="listbox" class="ticket-suggestions" hidden={!expanded}>
        {matches.map((m, i) => (
          <li
            key={m.symbol}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            class="ticket-suggestion"
            onMouseDown={(e) => {
              e.preventDefault();
              pick(m.symbol);
            }}
          >
            <strong>{m.symbol}</strong>
            <span>{m.name}</span>
          </li>
        ))}
      </ul>
      {error && <p id="ticket-symbol-error" class="ticket-error" role="alert">{error}</p>}
    </div>
  );
}

/** Bid, ask and last of the chosen symbol, live, labelled REPLAY when replayed. */
function QuoteLine({ symbol }: { symbol: string | null }) {
  const live = useLiveQuotes(symbol ? [symbol] : []);
  const [fetched, setFetched] = useState<LiveQuote | null>(null);
  const [missing, setMissing] = useState<string | null>(null);

  useEffect(() => {
    setFetched(null);
    setMissing(null);
    if (!symbol) return;
    // The stream may stay quiet while the market is closed: ask once so the line is not empty.
    const ctl = new AbortController();
    fetch(`/api/market/quote/${encodeURIComponent(symbol)}`, { signal: ctl.signal })
      .then(async (res) => {
        const body = await res.json().catch(() => null);
        if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
        setFetched(body as LiveQuote);
      })
      .catch((err) => {
        if (!ctl.signal.aborted) setMissing((err as Error).message);
      });
    return () => ctl.abort();
  }, [symbol]);

  if (!symbol) {
    return (
      <p class="ticket-quote muted" data-testid="ticket-quote">Choose a symbol to see its quote.</p>
    );
  }
  const q = live[symbol] ?? fetched;
  if (!q) {
    return (
      <p class="ticket-quote muted" data-testid="ticket-quote">
        {missing ? `No quote for ${symbol}: ${missing}` : `Loading ${symbol} quote…`}
      </p>
    );
  }
  const day = q.source === "replay" ? replayDay(q) : null;
  return (
    <p class="ticket-quote" data-testid="ticket-quote" aria-label={`${symbol} quote, USD`}>
      <strong>{symbol}</strong>
      <span>
        Bid <span class="num">{formatUsd(q.bid)}</span>
      </span>
      <span>
        Ask <span class="num">{formatUsd(q.ask)}</span>
      </span>
      <span>
        Last <span class="num">{formatUsd(q.last)}</span>
      </span>
      <span class="muted">USD</span>
      {day && (
        <span class="badge badge--replay" data-testid="replay-badge">
          Replay · {formatDate(day)}
        </span>
      )}
      {q.stale && <span class="badge badge--todo">Stale</span>}
    </p>
  );
}

function ReviewPanel(
  { review, placing, titleRef, onConfirm, onClose }: {
    review: Review;
    placing: boolean;
    titleRef: { current: HTMLHeadingElement | null };
    onConfirm(): void;
    onClose(): void;
  },
) {
  const { body, preview: p } = review;
  const refusals = p.checks.filter((c) => checkVerdict(c) === "refuse");
  const refused = isRefused(p.checks) || review.refusal !== null;
  const size = body.notional !== undefined
    ? `${formatUsd(body.notional)} of ${body.symbol}`
    : `${sharesWithUnit(body.qty)} of ${body.symbol}`;
  const terms = [
    body.stopPrice !== undefined ? `stop ${formatUsd(body.stopPrice)}` : "",
    body.limitPrice !== undefined ? `limit ${formatUsd(body.limitPrice)}` : "",
    body.trailPrice !== undefined ? `trail ${formatUsd(body.trailPrice)}` : "",
    body.trailPercent !== undefined ? `trail ${body.trailPercent} %` : "",
  ].filter(Boolean).join(", ");
  const day = p.quote.source === "replay" ? replayDay(p.quote) : null;
  const marketState = STATUS_LABEL[p.marketState] ?? p.marketState;

  return (
    <section
      class="ticket-review"
      aria-labelledby="ticket-review-title"
      data-testid="ticket-review-panel"
    >
      <h3 id="ticket-review-title" class="ticket-review-title" tabIndex={-1} ref={titleRef}>
        Review: {body.side === "buy" ? "Buy" : "Sell"} {size} · {orderTypeLabel(body.type)}
        {terms ? ` (${terms})` : ""} · {body.timeInForce === "day" ? "Day" : "GTC"}
      </h3>
      <dl class="ticket-summary">
        <div>
          <dt>Estimated price</dt>
          <dd class="num">{formatUsd(p.estimatedPrice)} per share</dd>
        </div>
        <div>
          <dt>Shares{body.notional !== undefined ? " (estimated)" : ""}</dt>
          <dd class="num">{sharesWithUnit(p.qty)}</dd>
        </div>
        <div>
          <dt>{body.side === "buy" ? "Estimated cost" : "Estimated proceeds"}</dt>
          <dd class="num" data-testid="ticket-estimated-cost">{formatUsd(p.estimatedCost)}</dd>
        </div>
        <div>
          <dt>Buying power</dt>
          <dd class="num">
            {formatUsd(p.buyingPower)} → {formatUsd(p.buyingPowerAfter)}
          </dd>
        </div>
        <div>
          <dt>Position in {p.symbol}</dt>
          <dd class="num">
            {sharesWithUnit(p.positionQty)} → {sharesWithUnit(p.positionQtyAfter)}
          </dd>
        </div>
        <div>
          <dt>Market</dt>
          <dd>
            {marketState}
            {!p.marketOpen && (
              <span class="muted">
                {` — ${
                  body.type === "market" ? "queued for the open" : "starts working at the open"
                }`}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Quote (USD)</dt>
          <dd class="num">
            {`bid ${formatUsd(p.quote.bid)} · ask ${formatUsd(p.quote.ask)} · last ${
              formatUsd(p.quote.last)
            }`}
            {day && (
              <span class="badge badge--replay ticket-replay">Replay · {formatDate(day)}</span>
            )}
          </dd>
        </div>
      </dl>

      <h4 class="section-title">Pre-trade checks</h4>
      <ul class="ticket-checks" data-testid="ticket-checks">
        {p.checks.map((c, i) => {
          const verdict = checkVerdict(c);
          const excess = verdict === "refuse" ? excessText(c) : "";
          return (
            <li
              key={`${c.rule}-${i}`}
              class={`ticket-check ticket-check--${verdict}`}
              data-verdict={verdict}
              data-rule={c.rule}
            >
              <span class="ticket-check-icon" aria-hidden="true">
                {verdict === "ok" ? "✓" : verdict === "warn" ? "!" : "✕"}
              </span>
              <span class="sr-only">
                {verdict === "ok" ? "Passed:" : verdict === "warn" ? "Warning:" : "Refused:"}
              </span>
              <span>
                <strong>{ruleLabel(c.rule)}</strong> {c.message}
                {excess && <em class="ticket-excess">{` — ${excess}`}</em>}
              </span>
            </li>
          );
        })}
      </ul>

      {refused && (
        <p class="ticket-refusal" role="alert" data-testid="ticket-refusal">
          {refusals.length
            ? `Refused by ${refusals.map((c) => ruleLabel(c.rule)).join(", ")}. `
            : ""}
          {review.refusal ?? "Change the order to pass these checks;"} Confirm is disabled.
        </p>
      )}

      <div class="ticket-actions">
        <button type="button" class="ticket-secondary" onClick={onClose} disabled={placing}>
          Back to edit <kbd>Esc</kbd>
        </button>
        <button
          type="button"
          class={`button ticket-confirm ticket-confirm--${body.side}`}
          data-testid="ticket-confirm"
          disabled={refused || placing}
          aria-busy={placing}
          onClick={onConfirm}
        >
          {placing
            ? "Placing…"
            : `Confirm ${body.side === "buy" ? "buy" : "sell"} · ${
              body.notional !== undefined ? formatUsd(body.notional) : sharesWithUnit(body.qty)
            }`}
        </button>
      </div>
      <p class="ticket-hint">Paper trading: orders go to the paper account, not the market.</p>
    </section>
  );
}
