import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { LogoMark } from "../components/Logo.tsx";
import IndexQuotes, { type IndexQuotesSeed } from "../lib/client/radial/index_quotes.tsx";
import { GROWN, INNER, R, type Wedge } from "../lib/client/radial/geometry.ts";
// Wedge paths come computed (lib/radial_wedges_gen.ts): browsers never download d3-shape
// for shapes that do not change, nor the stages' plans.
import { WEDGES } from "../lib/client/radial/wedges.ts";

interface RadialMenuProps {
  size: "full" | "compact";
  /** The stage whose page is open; its wedge gets `aria-current="page"`. */
  activeId?: string | null;
  /** Market clock and index quotes the server already had, shown before the stream starts. */
  market?: IndexQuotesSeed;
}

/** Label size in viewBox units: the compact wheel is drawn at half size, so its text is larger. */
const LABEL_SIZE = { full: 16, compact: 18 };

const MOVES: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowDown: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  ArrowUp: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_, n) => n - 1,
};

function moveFocus(event: JSX.TargetedKeyboardEvent<HTMLElement>) {
  const move = MOVES[event.key];
  // Alt+Arrow is the browser's Back/Forward: leave modified keys alone.
  if (!move || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const links = [...event.currentTarget.querySelectorAll<SVGAElement>("a.wedge")];
  const index = links.indexOf(event.target as SVGAElement);
  if (index < 0) return;
  event.preventDefault();
  links[move(index, links.length)].focus();
}

/**
 * The radial menu: ten wedges, each a plain link, so it works before hydration. Hydration adds
 * arrow-key movement between wedges and the caption naming the hovered or focused stage; the
 * hover and focus growth is CSS.
 */
export default function RadialMenu({ size, activeId = null, market }: RadialMenuProps) {
  const [pointed, setPointed] = useState<Wedge | null>(null);
  const ids = `radial-${size}`;
  const fontSize = LABEL_SIZE[size];

  return (
    <nav
      class={`radial radial--${size}`}
      aria-label="Workflow stages"
      data-has-active={activeId ? "" : undefined}
      onKeyDown={moveFocus}
    >
      <svg class="radial-svg" viewBox={`${-R} ${-R} ${2 * R} ${2 * R}`}>
        <defs>
          {WEDGES.map((stage) => (
            <radialGradient
              key={stage.id}
              id={`${ids}-${stage.id}`}
              cx="0"
              cy="0"
              r={GROWN}
              gradientUnits="userSpaceOnUse"
            >
              <stop offset="0.3" stop-color={stage.color} stop-opacity="0.42" />
              <stop offset="0.62" stop-color={stage.color} stop-opacity="0.78" />
              <stop offset="0.95" stop-color={stage.color} stop-opacity="0.96" />
            </radialGradient>
          ))}
          <radialGradient id={`${ids}-disc`} cx="0" cy="-0.3" r="1.1">
            <stop offset="0" stop-color="#1e293b" />
            <stop offset="1" stop-color="#0b1322" />
          </radialGradient>
          <filter id={`${ids}-shadow`} x="-20%" y="-20%" width="140%" height="140%">
            <feDropShadow
              dx="0"
              dy="6"
              stdDeviation="9"
              flood-color="#020617"
              flood-opacity="0.6"
            />
          </filter>
        </defs>

        <g filter={`url(#${ids}-shadow)`}>
          {WEDGES.map((stage) => (
            <a
              key={stage.id}
              href={stage.href}
              class="wedge"
              data-testid={`wedge-${stage.id}`}
              aria-label={`${stage.name} – ${stage.description}`}
              aria-current={stage.id === activeId ? "page" : undefined}
              onMouseEnter={() => setPointed(stage)}
              onMouseLeave={() => setPointed(null)}
              onFocus={() => setPointed(stage)}
              onBlur={() => setPointed(null)}
            >
              <path class="wedge-grown" d={stage.grown} fill={`url(#${ids}-${stage.id})`} />
              <path class="wedge-shape" d={stage.d} fill={`url(#${ids}-${stage.id})`} />
              <text class="wedge-label" font-size={fontSize} aria-hidden="true">
                <tspan x={stage.centre[0]} y={stage.centre[1] - 0.15 * fontSize}>
                  {stage.label[0].toUpperCase()}
                </tspan>
                <tspan x={stage.centre[0]} y={stage.centre[1] + 0.95 * fontSize}>
                  {stage.label[1].toUpperCase()}
                </tspan>
              </text>
            </a>
          ))}
        </g>

        <Centre size={size} disc={`url(#${ids}-disc)`} market={market} />
      </svg>

      <p class="radial-caption" aria-hidden="true">
        {pointed
          ? (
            <>
              <strong style={`--stage-color: ${pointed.color}`}>{pointed.name}</strong>{" "}
              {pointed.description}
            </>
          )
          : "Point at a stage to see what it does."}
      </p>
    </nav>
  );
}

// Its markup depends on its props alone (the live quotes start in the browser): the server
// renders it once per size and active stage (lib/fresh/islands.ts).
RadialMenu.renderOnce = true;

/** The hub: logo, market status and the live index quotes. */
function Centre(
  { size, disc, market }: {
    size: RadialMenuProps["size"];
    disc: string;
    market: RadialMenuProps["market"];
  },
) {
  const full = size === "full";
  return (
    <g class="radial-centre">
      <circle r={INNER - 7} fill={disc} class="centre-disc" />
      {full
        ? (
          <>
            <LogoMark size={22} x={-11} y={-80} />
            <text class="centre-word" y={-38} font-size="21">
              Pa<tspan class="centre-word-accent">ii</tspan>D
            </text>
          </>
        )
        : <LogoMark size={22} x={-11} y={-80} />}
      <IndexQuotes full={full} initial={market} />
    </g>
  );
}
