/**
 * The option ticket's review: the structure the server recognised, its premium, max profit and
 * loss, breakevens, the buying power it uses and by which rule, the legs at their quotes, the
 * label of a modelled chain, and every pre-trade check; Confirm is disabled while one refuses.
 */
import { useEffect, useRef } from "preact/hooks";
import { ReplayLabel } from "../../../components/ReplayLabel.tsx";
import { STATUS_LABEL } from "../../shared/market_status.ts";
import { formatUsd } from "../../shared/money.ts";
import { CheckList } from "../order_ticket/CheckList.tsx";
import { isRefused, ruleLabel } from "../trade_checks.ts";
import { contractsWithUnit, INTENT_LABELS, symbolLabel } from "./labels.ts";
import { breakevensText, levelText, limitText, premiumText } from "./preview.ts";
import type { OptionReview } from "./use_option_review.ts";

const MODEL_NOTE = "The chain is modelled from real history (Black-Scholes on the day's " +
  "prices), so option fills here are priced on that model.";

export function OptionReviewPanel(
  { review, placing, onConfirm, onBack }: {
    review: OptionReview;
    placing: boolean;
    onConfirm(): void;
    onBack(): void;
  },
) {
  const { body, preview: p } = review;
  const titleRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => titleRef.current?.focus(), [review.key, p]);
  const o = p.option;
  const refused = isRefused(p.checks) || review.refusal !== null;
  const refusals = p.checks.filter((c) => !c.ok && c.severity === "refuse");
  const figures: [string, string, string][] = [
    ["Premium", premiumText(o.premium), "opt-review-premium"],
    ["Max profit", limitText(o.maxProfit), "opt-review-max-profit"],
    ["Max loss", limitText(o.maxLoss), "opt-review-max-loss"],
    ["Breakevens at expiry", breakevensText(o.breakevens), "opt-review-breakevens"],
    ["Buying power used", formatUsd(o.buyingPower.amount), "opt-review-bp"],
  ];
  return (
    <section
      class="ticket-review"
      aria-labelledby="opt-review-title"
      data-testid="opt-review-panel"
    >
      <h3 id="opt-review-title" class="ticket-review-title" tabIndex={-1} ref={titleRef}>
        Review: {o.label} · {"legs" in body
          ? `${body.qty} ${body.qty === 1 ? "unit" : "units"}`
          : contractsWithUnit(body.qty)} ·{" "}
        {body.type === "limit" ? `limit ${formatUsd(body.limitPrice)}` : "market"} ·{" "}
        {body.timeInForce === "day" ? "Day" : "GTC"}
      </h3>
      {o.chain === "replay-model" && (
        <p class="muted" data-testid="opt-review-model">
          <ReplayLabel id="opt-review-replay" note={MODEL_NOTE} />{" "}
          Chain modelled from real history: option quotes and fills are the model's.
        </p>
      )}
      <dl class="ticket-summary">
        {figures.map(([label, value, id]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd class="num" data-testid={id}>{value}</dd>
          </div>
        ))}
        <div>
          <dt>Buying power rule</dt>
          <dd data-testid="opt-review-bp-rule">{o.buyingPower.rule}</dd>
        </div>
        {p.buyingPower !== null && (
          <div>
            <dt>Account buying power</dt>
            <dd class="num">
              {formatUsd(p.buyingPower)} → {formatUsd(p.buyingPowerAfter)}
            </dd>
          </div>
        )}
        <div>
          <dt>Option level needed</dt>
          <dd>{levelText(o.requires)}</dd>
        </div>
        {p.marketState && (
          <div>
            <dt>Market</dt>
            <dd>
              {STATUS_LABEL[p.marketState as keyof typeof STATUS_LABEL] ?? p.marketState}
              {p.marketOpen === false && <span class="muted">— works from the open</span>}
            </dd>
          </div>
        )}
      </dl>
      <table class="chain-table opt-review-legs">
        <caption class="muted">Legs, USD per share (× 100 per contract)</caption>
        <thead>
          <tr>
            <th scope="col">Leg</th>
            <th scope="col">Bid</th>
            <th scope="col">Ask</th>
            <th scope="col">Mark</th>
          </tr>
        </thead>
        <tbody>
          {o.legs.map((l) => (
            <tr key={l.symbol}>
              <th scope="row">
                {INTENT_LABELS[l.positionIntent] ?? l.side}{" "}
                {l.ratioQty !== 1 ? `${l.ratioQty} × ` : ""}
                {symbolLabel(l.symbol)}
              </th>
              <td class="num">{formatUsd(l.bid)}</td>
              <td class="num">{formatUsd(l.ask)}</td>
              <td class="num">{formatUsd(l.mark)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h4 class="section-title">Pre-trade checks</h4>
      <CheckList checks={p.checks} />
      {refused && (
        <p class="ticket-refusal" role="alert" data-testid="opt-review-refusal">
          {refusals.length
            ? `Refused by ${refusals.map((c) => ruleLabel(c.rule)).join(", ")}. `
            : ""}
          {review.refusal ?? "Change the order to pass these checks;"} Confirm is disabled.
        </p>
      )}
      <div class="ticket-actions">
        <button type="button" class="ticket-secondary" onClick={onBack} disabled={placing}>
          Back to edit
        </button>
        <button
          type="button"
          class={`button ticket-confirm ticket-confirm--${body.side}`}
          data-testid="opt-ticket-confirm"
          disabled={refused || placing}
          aria-busy={placing}
          onClick={onConfirm}
        >
          {placing ? "Placing…" : "Confirm and place"}
        </button>
      </div>
      <p class="ticket-hint">Paper trading: orders go to the paper account, not the market.</p>
    </section>
  );
}
