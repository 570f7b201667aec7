/**
 * The option ticket's legs: for each, what it does (buy or sell, to open or to close), its
 * ratio in a multi-leg order, the contract and its quote; a leg can be removed while two remain.
 */
import type { PositionIntent } from "../../broker/types.ts";
import { formatUsd } from "../../shared/money.ts";
import { contractLabel, INTENT_LABELS, INTENTS } from "./labels.ts";
import type { TicketLeg } from "./ticket.ts";

export function OptionLegs(
  { legs, error, onIntent, onRatio, onRemove }: {
    legs: readonly TicketLeg[];
    error?: string;
    onIntent(i: number, intent: PositionIntent): void;
    onRatio(i: number, ratio: number): void;
    onRemove(i: number): void;
  },
) {
  const multi = legs.length > 1;
  return (
    <fieldset class="ticket-field ticket-field--wide opt-ticket-legs">
      <legend class="ticket-label">{multi ? `Legs (${legs.length})` : "Contract"}</legend>
      <ul class="opt-ticket-leg-list" data-testid="opt-ticket-legs">
        {legs.map((l, i) => (
          <li key={l.symbol} class="opt-ticket-leg" data-testid={`opt-ticket-leg-${i}`}>
            <select
              aria-label={`Leg ${i + 1}: action`}
              value={l.positionIntent}
              data-testid={`opt-ticket-intent-${i}`}
              onChange={(e) =>
                onIntent(i, e.currentTarget.value as PositionIntent)}
            >
              {INTENTS.map((k) => <option key={k} value={k}>{INTENT_LABELS[k]}</option>)}
            </select>
            {multi && (
              <input
                aria-label={`Leg ${i + 1}: ratio (contracts per unit)`}
                class="opt-ticket-ratio"
                inputMode="numeric"
                size={2}
                value={String(l.ratioQty)}
                onInput={(e) => onRatio(i, Number(e.currentTarget.value))}
              />
            )}
            <span class="opt-ticket-contract" title={l.symbol}>{contractLabel(l)}</span>
            <span class="muted num">
              bid {formatUsd(l.bid)} · ask {formatUsd(l.ask)}
            </span>
            {multi && legs.length > 2 && (
              <button
                type="button"
                class="link-button"
                aria-label={`Remove leg ${i + 1}`}
                onClick={() => onRemove(i)}
              >
                ✕
              </button>
            )}
          </li>
        ))}
      </ul>
      {error && <p id="opt-ticket-legs-error" class="ticket-error" role="alert">{error}</p>}
    </fieldset>
  );
}
