/**
 * The ticket's review: what the order will do (estimated price and cost, buying power and
 * position after, market state, the quote it was priced at) and every pre-trade check's
 * verdict; Confirm is disabled while any check refuses.
 */
import { STATUS_LABEL } from "../../shared/market_status.ts";
import { formatUsd, sharesWithUnit } from "../../shared/money.ts";
import { orderTypeLabel } from "../../shared/ticket.ts";
import { checkVerdict, isRefused, ruleLabel } from "../trade_checks.ts";
import { CheckList } from "./CheckList.tsx";
import { TicketReplayLabel } from "./TicketReplayLabel.tsx";
import type { Review } from "./use_order_review.ts";

export function ReviewPanel(
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
            <TicketReplayLabel quote={p.quote} inReview />
          </dd>
        </div>
      </dl>

      <h4 class="section-title">Pre-trade checks</h4>
      <CheckList checks={p.checks} />

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
