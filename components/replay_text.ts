/**
 * The replay label's words, apart from its components, so a page that shows only the SVG label
 * (the radial centre) does not ship the badge as well.
 */
import { formatDate } from "../lib/shared/format.ts";

/** What the replay's intraday values are, for the label's tooltip and accessible description. */
export const REPLAY_MODEL =
  "Replay of real history: each day's open, high, low and close come from the shipped daily " +
  "history. The path within the day, the bid/ask sizes and the volume split are simulated.";

/** `REPLAY · Wed 5 Feb 2020 · intraday simulated` (the date left out when unknown). */
export function replayLabelText(date?: string | null): string {
  return ["REPLAY", date ? formatDate(date) : null, "intraday simulated"]
    .filter(Boolean)
    .join(" · ");
}

/** The tooltip: the model, then what it means for the values next to this label, if given. */
export function replayModelText(note?: string | null): string {
  return note ? `${REPLAY_MODEL} ${note}` : REPLAY_MODEL;
}
