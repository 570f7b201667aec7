/**
 * Active Positions' option legs, grouped by underlying and expiration (see positions.ts): per
 * group its days to expiry, value, P&L and Greeks, and "Close strategy", one order for all its
 * legs; per leg its own figures and a Close. Both ask first, under the table. P&L and Greeks
 * come first, so a narrow pane scrolls the entry price and value out of view, not them.
 */
import { useEffect, useRef } from "preact/hooks";
import { ReplayLabel } from "../../../components/ReplayLabel.tsx";
import { formatShares, formatSignedUsd, formatUsd, tone } from "../../shared/money.ts";
import { symbolHref } from "../../shared/search_nav.ts";
import type { ToastKind } from "../toast.tsx";
import { shortDate, strikeText } from "./labels.ts";
import {
  daysToExpiry,
  dteText,
  greeksOnPosition,
  groupCloseTarget,
  groupOptionPositions,
  legCloseTarget,
  type OptionPosition,
  type PositionGreeks,
  scaleGreeks,
  sumGreeks,
} from "./positions.ts";
import { useOptionClose } from "./use_option_close.ts";
import { type LegGreeks, useOptionGreeks } from "./use_option_greeks.ts";

const GREEKS_NOTE = "Greeks for the whole position: Δ in shares, Γ in shares per $1, " +
  "Θ in USD per day, vega in USD per volatility point. ≈ marks Greeks computed here " +
  "(Black-Scholes) where the chain listed none.";

const MODEL_NOTE = "Option marks and Greeks come from a chain modelled from real history " +
  "(Black-Scholes on the replayed day's prices), not from quoted options.";

export default function OptionPositions(
  { options, csrfToken, showToast, refresh }: {
    options: OptionPosition[];
    csrfToken: string;
    showToast(kind: ToastKind, text: string): void;
    refresh(): Promise<void>;
  },
) {
  const groups = groupOptionPositions(options);
  const { today, bySymbol } = useOptionGreeks(options);
  const close = useOptionClose({ csrfToken, showToast, refresh });
  const closing = close.closing;
  // The broker's own Greeks paint at once; the chain's (or the model's) arrive after.
  const legGreeks = (p: OptionPosition) =>
    scaleGreeks(p, greeksOnPosition(p) ?? bySymbol[p.symbol]?.greeks ?? null);

  return (
    <section
      class="positions-card glass"
      aria-labelledby="opt-positions-title"
      data-testid="option-positions"
    >
      <div class="positions-head">
        <h2 id="opt-positions-title" class="positions-title">Option positions</h2>
        <span class="muted positions-note">
          Grouped by underlying and expiration · prices USD per share, values × 100
        </span>
        {options.some((p) => p.chain === "replay-model") && (
          <span class="muted" data-testid="opt-positions-model">
            <ReplayLabel id="opt-positions-replay" note={MODEL_NOTE} /> Chain modelled from history
          </span>
        )}
      </div>
      <div class="positions-scroll" tabIndex={0} role="region" aria-label="Option positions table">
        <table class="positions-table opt-positions-table">
          <thead>
            <tr>
              <th scope="col">Contract</th>
              <th scope="col" class="positions-num">Qty (contracts)</th>
              <th scope="col" class="positions-num">Mark</th>
              <th scope="col" class="positions-num">Unrealized P&amp;L</th>
              <th scope="col" class="positions-num" title={GREEKS_NOTE}>Greeks</th>
              <th scope="col" class="positions-num">Avg entry</th>
              <th scope="col" class="positions-num">Market value</th>
              <th scope="col" class="positions-action">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          {groups.map((g) => {
            const target = groupCloseTarget(g);
            const days = today ? daysToExpiry(g.expiration, today) : null;
            return (
              <tbody key={g.key} data-testid={`opt-group-${g.underlying}-${g.expiration}`}>
                <tr class="opt-group-head">
                  <th scope="rowgroup" colSpan={3}>
                    <a href={symbolHref(g.underlying)}>{g.underlying}</a> · expires{" "}
                    {shortDate(g.expiration)} ·{" "}
                    <span data-testid="opt-group-dte">{dteText(days)}</span>
                  </th>
                  <td class={`num positions-num ${tone(g.unrealizedPl)}`}>
                    {formatSignedUsd(g.unrealizedPl)}
                  </td>
                  <GreekCell g={sumGreeks(g.legs.map(legGreeks))} testId="opt-group-greeks" />
                  <td />
                  <td class="num positions-num">{formatUsd(g.marketValue)}</td>
                  <td class="positions-action">
                    {target && g.legs.length > 1 && (
                      <button
                        type="button"
                        class="positions-btn"
                        data-testid={`close-strategy-${g.underlying}-${g.expiration}`}
                        disabled={closing?.id === g.key}
                        onClick={() => close.open(g.key, target)}
                      >
                        Close strategy
                      </button>
                    )}
                  </td>
                </tr>
                {g.legs.map((p) => (
                  <LegRow
                    key={p.symbol}
                    p={p}
                    greeks={legGreeks(p)}
                    info={bySymbol[p.symbol]}
                    confirming={closing?.id === p.symbol}
                    onClose={() => close.open(p.symbol, legCloseTarget(p))}
                  />
                ))}
              </tbody>
            );
          })}
        </table>
      </div>
      <p class="muted opt-positions-note">{GREEKS_NOTE}</p>
      {closing && (
        <CloseConfirm
          question={closing.target.question}
          error={closing.error}
          sending={close.sending}
          onConfirm={close.confirm}
          onCancel={close.cancel}
        />
      )}
    </section>
  );
}

/** Δ, Γ, Θ and vega stacked in one cell, so the table fits beside the wheel. */
function GreekCell({ g, approx = false, testId }: {
  g: PositionGreeks | null;
  approx?: boolean;
  testId: string;
}) {
  const mark = approx ? "≈" : "";
  const values = g
    ? [
      g.delta.toFixed(1),
      g.gamma.toFixed(2),
      formatSignedUsd(g.theta),
      formatSignedUsd(g.vega),
    ].map((v) => mark + v)
    : ["—", "—", "—", "—"];
  const labels = ["Δ", "Γ", "Θ/day", "Vega"];
  return (
    <td class="num positions-num">
      <div class="opt-greeks">
        {values.map((v, i) => (
          <span key={i} class="opt-greek">
            {labels[i]} <span data-testid={`${testId}-${i}`}>{v}</span>
          </span>
        ))}
      </div>
    </td>
  );
}

function LegRow(
  { p, greeks, info, confirming, onClose }: {
    p: OptionPosition;
    greeks: PositionGreeks | null;
    info: LegGreeks | undefined;
    confirming: boolean;
    onClose(): void;
  },
) {
  const o = p.option;
  return (
    <tr data-testid={`position-row-${p.symbol}`}>
      <th scope="row" title={p.symbol}>
        {strikeText(o.strike)} {o.type}{" "}
        <span class={`positions-side positions-side--${p.side}`}>
          {p.side === "long" ? "long" : "short"}
        </span>
      </th>
      <td class="num positions-num">{formatShares(Math.abs(p.qty))}</td>
      <td class="num positions-num">{formatUsd(p.currentPrice)}</td>
      <td class={`num positions-num ${tone(p.unrealizedPl)}`} data-testid={`pl-${p.symbol}`}>
        {formatSignedUsd(p.unrealizedPl)}
      </td>
      <GreekCell g={greeks} approx={info?.source === "computed"} testId={`greeks-${p.symbol}`} />
      <td class="num positions-num">{formatUsd(p.avgEntryPrice)}</td>
      <td class="num positions-num">{formatUsd(p.marketValue)}</td>
      <td class="positions-action">
        <button
          type="button"
          class="positions-btn"
          data-testid={`close-${p.symbol}`}
          aria-label={`Close ${o.underlying} ${strikeText(o.strike)} ${o.type} position`}
          disabled={confirming}
          onClick={onClose}
        >
          Close
        </button>
      </td>
    </tr>
  );
}

function CloseConfirm(
  { question, error, sending, onConfirm, onCancel }: {
    question: string;
    error: string | null;
    sending: boolean;
    onConfirm(): void;
    onCancel(): void;
  },
) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), [question]);
  return (
    <div
      class="positions-close opt-close-confirm"
      role="group"
      aria-labelledby="opt-close-question"
      data-testid="opt-close-confirm"
      onKeyDown={(e) => e.key === "Escape" && !sending && onCancel()}
    >
      <p id="opt-close-question">{question}</p>
      {error && <p class="ticket-error" role="alert">{error}</p>}
      <button type="button" ref={cancelRef} class="positions-btn" onClick={onCancel}>
        Keep <kbd>Esc</kbd>
      </button>
      <button
        type="button"
        class="positions-btn positions-btn--danger"
        data-testid="opt-close-yes"
        disabled={sending}
        onClick={onConfirm}
      >
        {sending ? "Closing…" : "Yes, close at market"}
      </button>
    </div>
  );
}
