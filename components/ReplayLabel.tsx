/**
 * The label on values that replay mode makes up inside a real day. The replay's daily open, high,
 * low and close are real history; the price path within the day, the bid/ask sizes and the split
 * of the day's volume are simulated, so a "Replay · date" badge alone would pass them off as
 * recorded. Every screen that shows such values (quotes, the 1D chart, positions, fills, the
 * radial centre) uses this one wording.
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

interface SvgReplayLabelProps {
  date: string;
  /** Unique on the page: the description's id is made from it. */
  id: string;
  /** Font size of both lines (viewBox units). */
  fontSize: number;
  y: number;
  testId?: string;
  class?: string;
}

/**
 * The same label inside an SVG (the radial menu's centre): two centred lines, the model as
 * `<title>` (the hover tooltip) and as a `<desc>` the text points at for assistive technology.
 */
export function SvgReplayLabel(
  { date, id, fontSize, y, testId, class: cls }: SvgReplayLabelProps,
) {
  const descId = `${id}-model`;
  return (
    <g id={id} class={cls} data-testid={testId}>
      <title>{REPLAY_MODEL}</title>
      <desc id={descId}>{REPLAY_MODEL}</desc>
      <text
        y={y}
        font-size={fontSize}
        aria-label={replayLabelText(date)}
        aria-describedby={descId}
      >
        <tspan x="0">REPLAY · {formatDate(date).toUpperCase()}</tspan>
        <tspan x="0" dy="1.25em">INTRADAY SIMULATED</tspan>
      </text>
    </g>
  );
}
