/**
 * The ticket's label for replayed prices, in one place for both its uses (the quote line and
 * the review). Nothing for live quotes.
 */
import { formatDate } from "../../shared/format.ts";
import { replayDay } from "../../shared/market_day.ts";

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
    <span
      class={`badge badge--replay${inReview ? " ticket-replay" : ""}`}
      data-testid={inReview ? undefined : "replay-badge"}
    >
      Replay · {formatDate(day)}
    </span>
  );
}
