/**
 * The ticket's label for replayed prices, in one place for both its uses (the quote line and
 * the review): the shared replay label, which says the intraday path is simulated and that a
 * fill is priced on it. Nothing for live quotes.
 */
import { ReplayLabel } from "../../../components/ReplayLabel.tsx";
import { replayDay } from "../../shared/market_day.ts";

const FILL_NOTE = "A paper order here fills at the simulated intraday price.";

export function TicketReplayLabel(
  { quote, inReview = false }: {
    quote: { source: string; timestamp: string; replayDate?: string };
    /** In the review's quote row rather than the quote line. */
    inReview?: boolean;
  },
) {
  const day = quote.source === "replay" ? replayDay(quote) : null;
  if (!day) return null;
  return (
    <ReplayLabel
      id={inReview ? "ticket-review-replay" : "ticket-replay"}
      date={day}
      note={FILL_NOTE}
      testId={inReview ? "ticket-review-replay-badge" : "replay-badge"}
    />
  );
}
