/**
 * The PaiiD mark (a ring of ten segments, one per stage, around a rising line) and wordmark.
 * The mark is its own `<svg>`, so it can sit in HTML or be nested inside another SVG (the radial
 * menu's centre) with `x`/`y`/`size`.
 */

interface LogoMarkProps {
  size?: number;
  x?: number;
  y?: number;
  class?: string;
}

const RING_RADIUS = 12.5;
// Ten equal dashes with a small gap echo the ten wedges of the radial menu.
const RING_SEGMENT = (2 * Math.PI * RING_RADIUS) / 10;

export function LogoMark({ size = 32, x, y, class: className }: LogoMarkProps) {
  return (
    <svg
      class={className}
      viewBox="0 0 32 32"
      width={size}
      height={size}
      x={x}
      y={y}
      aria-hidden="true"
      focusable="false"
    >
      <circle
        cx="16"
        cy="16"
        r={RING_RADIUS}
        fill="none"
        stroke="#10b981"
        stroke-width="3"
        stroke-dasharray={`${RING_SEGMENT - 1.6} 1.6`}
        transform="rotate(-72 16 16)"
      />
      <polyline
        points="9.5,20 13.5,15.5 17,18.5 22.5,11.5"
        fill="none"
        stroke="#e2e8f0"
        stroke-width="2.4"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
      <circle cx="22.5" cy="11.5" r="2" fill="#10b981" />
    </svg>
  );
}

interface LogoProps {
  /** Adds "Personal AI Investment Dashboard" under the wordmark. */
  tagline?: boolean;
}

export default function Logo({ tagline = false }: LogoProps) {
  return (
    <span class="logo">
      <LogoMark class="logo-mark" size={tagline ? 40 : 32} />
      <span class="logo-text">
        <span class="logo-word">
          Pa<span class="logo-accent">ii</span>D
        </span>
        {tagline && <span class="logo-tagline">Personal AI Investment Dashboard</span>}
      </span>
    </span>
  );
}
