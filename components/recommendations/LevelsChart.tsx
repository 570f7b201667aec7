/**
 * Entry, stop and target of a recommendation on one small price axis, drawn by hand in SVG
 * (a chart library would cost the page more script than three lines are worth).
 */
interface Props {
  entry: number;
  stop: number;
  target: number;
}

const W = 220;
const H = 56;
const PAD = 8;

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
  ];
  return (
    <svg
      class="rec-levels"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-label={`Target $${target.toFixed(2)}, entry $${entry.toFixed(2)}, stop $${
        stop.toFixed(2)
      }`}
    >
      <rect
        class="rec-zone--gain"
        x={70}
        width={W - 70}
        y={Math.min(y(entry), y(target))}
        height={Math.abs(y(target) - y(entry))}
      />
      <rect
        class="rec-zone--loss"
        x={70}
        width={W - 70}
        y={Math.min(y(entry), y(stop))}
        height={Math.abs(y(stop) - y(entry))}
      />
      {lines.map((l) => (
        <g key={l.label} class={l.cls}>
          <line x1={70} x2={W} y1={y(l.price)} y2={y(l.price)} />
          <text x={0} y={y(l.price) + 4}>{l.label} ${l.price.toFixed(2)}</text>
        </g>
      ))}
    </svg>
  );
}
