/**
 * The label on values that replay mode makes up inside a real day. The replay's daily open, high,
 * low and close are real history; the price path within the day, the bid/ask sizes and the split
 * of the day's volume are simulated, so a "Replay · date" badge alone would pass them off as
 * recorded. Every screen that shows such values (quotes, the 1D chart, positions, fills, the
 * radial centre) uses this one wording.
 */
import { REPLAY_MODEL, replayLabelText, replayModelText } from "./replay_text.ts";

// Re-exported: the screens import the label and its words from here.
export { REPLAY_MODEL, replayLabelText, replayModelText };

interface ReplayLabelProps {
  /** The replayed day (`YYYY-MM-DD`), when known. */
  date?: string | null;
  /** Unique on the page: the description's id is made from it. */
  id: string;
  /** What the model means for the values beside the label (e.g. how fills are priced). */
  note?: string;
  testId?: string;
}

/**
 * The badge, with the model as its `title` (mouse) and as a description tied to it with
 * `aria-describedby`, shown on keyboard focus by CSS alone, so it needs no island.
 */
export function ReplayLabel({ date = null, id, note, testId }: ReplayLabelProps) {
  const tipId = `${id}-model`;
  const model = replayModelText(note);
  return (
    <span class="badge-wrap replay-label">
      <span
        id={id}
        class="badge badge--replay"
        tabIndex={0}
        title={model}
        aria-describedby={tipId}
        data-testid={testId}
      >
        {replayLabelText(date)}
      </span>
      <span class="tooltip replay-label-tip" role="tooltip" id={tipId}>{model}</span>
    </span>
  );
}
