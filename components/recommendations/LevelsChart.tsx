/**
 * Entry, stop and target of a recommendation on one small price axis, drawn by hand in SVG
 * (a chart library would cost the page more script than three lines are worth).
 */
import { formatUsd } from "../../lib/shared/money.ts";

interface Props {
  entry: number;
  stop: number;
  target: number;
}

const W = 240;
const H = 64;
const PAD = 8;
/** Where the lines start: the labels sit to their left. */
const LINE_X = 104;
/** The least vertical distance between two labels' baselines, so close levels stay readable. */
const LABEL_GAP = 11;

/**
 * Label baselines for lines at `ys` (sorted top to bottom), pushed apart to at least LABEL_GAP
 * while staying inside the chart.
 */
export function spreadLabels(ys: number[], gap = LABEL_GAP, top = 9, bottom = H - 2): number[] {
  const out = ys.map((y) => y + 4);
  for (let i = 1; i < out.length; i++) out[i] = Math.max(out[i], out[i - 1] + gap);
  const over = out[out.length - 1] - bottom;
  if (over > 0) { for (let i = 0; i < out.length; i++) out[i] -= over; }
  for (let i = out.length - 2; i >= 0; i--) out[i] = Math.min(out[i], out[i + 1] - gap);
  const under = top - out[0];
  return under > 0 ? out.map((v) => v + under) : out;
}

export function LevelsChart({ entry, stop, target }: Props) {
  const lo = Math.min(stop, target, entry);
  const hi = Math.max(stop, target, entry);
  const span = hi - lo || 1;
  // Higher prices further up.
  const y = (p: number) => PAD + (1 - (p - lo) / span) * (H - 2 * PAD);
  const lines = [
    { label: "Target", price: target, cls: "rec-level--target" },
    { label: "Entry", price: entry, cls: "rec-level--entry" },
    { label: "Stop", price: stop, cls: "rec-level--stop" },
  ].sort((a, b) => b.price - a.price);
  const labelY = spreadLabels(lines.map((l) => y(l.price)));
  return (
    <svg
      class="rec-levels"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-label={`Target ${formatUsd(target)}, entry ${formatUsd(entry)}, stop ${formatUsd(stop)}`}
    >
      <rect
        class="rec-zone--gain"
        x={LINE_X}
        width={W - LINE_X}
        y={Math.min(y(entry), y(target))}
        height={Math.abs(y(target) - y(entry))}
      />
      <rect
        class="rec-zone--loss"
        x={LINE_X}
        width={W - LINE_X}
        y={Math.min(y(entry), y(stop))}
        height={Math.abs(y(stop) - y(entry))}
      />
      {lines.map((l, i) => (
        <g key={l.label} class={l.cls}>
          <line x1={LINE_X} x2={W} y1={y(l.price)} y2={y(l.price)} />
          <text x={0} y={labelY[i]}>{l.label} {formatUsd(l.price)}</text>
        </g>
      ))}
    </svg>
  );
}
