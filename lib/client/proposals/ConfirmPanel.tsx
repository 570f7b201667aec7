/**
 * The approval's confirmation: what the order will do now (estimated price and cost, buying
 * power and position after, the market's state), every pre-trade check's verdict and the kill
 * switch. Approve is disabled while a check refuses or trading is halted.
 */
import type { ApprovalPreview } from "../../proposals/approve.ts";
import { formatUsd, sharesWithUnit } from "../../shared/money.ts";
import { checkVerdict, excessText, isRefused, ruleLabel } from "../trade_checks.ts";
import { orderText } from "./view.ts";

export function ConfirmPanel(
  { data, busy, titleRef, onConfirm, onClose }: {
    data: ApprovalPreview;
    busy: boolean;
    titleRef: { current: HTMLHeadingElement | null };
    onConfirm(): void;
    onClose(): void;
  },
) {
  const { proposal, preview: p, halt } = data;
  const blocked = isRefused(p.checks) || halt !== null;
  return (
    <section
      class={`proposal-confirm proposal-confirm--${p.side}`}
      role="dialog"
      aria-labelledby="proposal-confirm-title"
      data-testid="proposal-confirm"
      onKeyDown={(e) => e.key === "Escape" && onClose()}
    >
      <h3 id="proposal-confirm-title" tabIndex={-1} ref={titleRef}>
        Approve: {orderText(proposal.order)}
      </h3>
      <dl class="ticket-summary">
        <div>
          <dt>Estimated price</dt>
          <dd class="num">{formatUsd(p.estimatedPrice)} per share</dd>
        </div>
        <div>
          <dt>{p.side === "buy" ? "Estimated cost" : "Estimated proceeds"}</dt>
          <dd class="num">{formatUsd(p.estimatedCost)}</dd>
        </div>
        <div>
          <dt>Buying power</dt>
          <dd class="num">{formatUsd(p.buyingPower)} → {formatUsd(p.buyingPowerAfter)}</dd>
        </div>
        <div>
          <dt>Position in {p.symbol}</dt>
          <dd class="num">
            {sharesWithUnit(p.positionQty)} → {sharesWithUnit(p.positionQtyAfter)}
          </dd>
        </div>
        <div>
          <dt>Quote</dt>
          <dd class="num">
            {`bid ${formatUsd(p.quote.bid)} · ask ${formatUsd(p.quote.ask)}`}
            {p.quote.source === "replay" && " "}
            {p.quote.source === "replay" && (
              <span class="badge badge--replay">REPLAY {p.quote.replayDate ?? ""}</span>
            )}
          </dd>
        </div>
      </dl>
      <h4 class="section-title">Pre-trade checks</h4>
      <ul class="ticket-checks" data-testid="proposal-checks">
        {p.checks.map((c, i) => {
          const verdict = checkVerdict(c);
          const excess = verdict === "refuse" ? excessText(c) : "";
          return (
            <li key={`${c.rule}-${i}`} class={`ticket-check ticket-check--${verdict}`}>
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
      {halt && (
        <p class="ticket-refusal" role="alert">
          Trading is halted ({halt.reason}): nothing can be approved until it is resumed.
        </p>
      )}
      <div class="ticket-actions">
        <button type="button" class="ticket-secondary" onClick={onClose} disabled={busy}>
          Cancel <kbd>Esc</kbd>
        </button>
        <button
          type="button"
          class={`button proposal-approve proposal-approve--${p.side}`}
          data-testid="proposal-confirm-approve"
          disabled={blocked || busy}
          aria-busy={busy}
          onClick={onConfirm}
        >
          {busy ? "Placing…" : "Approve and place the order"}
        </button>
      </div>
    </section>
  );
}
