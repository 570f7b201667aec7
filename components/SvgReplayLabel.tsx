/** The replay label inside an SVG, with the same words as components/ReplayLabel.tsx. */
import { formatDate } from "../lib/shared/format.ts";
import { REPLAY_MODEL, replayLabelText } from "./replay_text.ts";

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
