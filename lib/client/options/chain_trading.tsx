/**
 * What the option chain needs to trade, loaded on the first click on a quote so the symbol
 * page's first paint does not carry it: the leg a quote makes, "+ leg" picking, the bar of
 * picked legs, and the option ticket itself.
 */
import { contractLabel } from "./labels.ts";
import type { TicketLeg } from "./ticket.ts";

export { default as OptionTicket } from "./OptionTicket.tsx";
export { legFromQuote, MAX_LEGS, pickLeg, type TicketLeg } from "./ticket.ts";

/** "+ leg" mode's picks, with Review (two legs or more) and Clear. */
export function PickedLegs(
  { legs, note, onReview, onClear }: {
    legs: readonly TicketLeg[];
    /** Why the last pick was refused, when it was. */
    note: string | null;
    onReview(): void;
    onClear(): void;
  },
) {
  return (
    <div class="chain-picked-bar" role="group" aria-label="Picked legs" data-testid="chain-picked">
      {legs.length === 0
        ? (
          <span class="muted">
            Click a bid (sell) or an ask (buy) for each leg: 2 to 4 contracts.
          </span>
        )
        : (
          <ol class="chain-picked-list">
            {legs.map((l) => (
              <li key={l.symbol}>
                {l.side === "buy" ? "Buy" : "Sell"} {contractLabel(l)}
              </li>
            ))}
          </ol>
        )}
      {note && <span class="ticket-error" role="alert">{note}</span>}
      <button
        type="button"
        class="button"
        data-testid="chain-review-legs"
        disabled={legs.length < 2}
        onClick={onReview}
      >
        Ticket for {legs.length} legs
      </button>
      <button type="button" class="ticket-secondary" disabled={!legs.length} onClick={onClear}>
        Clear
      </button>
    </div>
  );
}
