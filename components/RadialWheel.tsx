/**
 * The radial menu's still parts: gradients, the ten wedges (each a plain link), the centre disc
 * and the logo. Props in, markup out: the server renders it inside the RadialMenu island once
 * per size and active stage, and the browser keeps that markup as it is (hydration wires the
 * behaviour to it), so the wedge paths never travel as JavaScript.
 */
import { LogoMark } from "./Logo.tsx";
import { GROWN, INNER } from "../lib/client/radial/geometry.ts";
// Wedge paths come computed (lib/radial_wedges_gen.ts): no d3-shape at run time.
import { WEDGES } from "../lib/client/radial/wedges.ts";

export interface RadialWheelProps {
  size: "full" | "compact";
  /** The stage whose page is open; its wedge gets `aria-current="page"`. */
  activeId?: string | null;
}

/** Label size in viewBox units: the compact wheel is drawn at half size, so its text is larger. */
const LABEL_SIZE = { full: 16, compact: 18 };

export default function RadialWheel({ size, activeId = null }: RadialWheelProps) {
  const ids = `radial-${size}`;
  const fontSize = LABEL_SIZE[size];
  return (
    <>
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
            // What the caption under the wheel says when the wedge is pointed at or focused.
            data-name={stage.name}
            data-description={stage.description}
            data-color={stage.color}
            // Named by the words on the wedge (WCAG 2.5.3: a speech user says what they see;
            // "Back-" and "testing" are one hyphenated word), then what the stage does.
            aria-label={`${stage.label.join(" ").replace("- ", "-")} – ${stage.description}`}
            aria-current={stage.id === activeId ? "page" : undefined}
          >
            <path class="wedge-grown" d={stage.grown} fill={`url(#${ids}-${stage.id})`} />
            <path class="wedge-shape" d={stage.d} fill={`url(#${ids}-${stage.id})`} />
            <text class="wedge-label" font-size={fontSize} aria-hidden="true">
              <tspan x={stage.centre[0]} y={stage.centre[1] - 0.15 * fontSize}>
                {stage.label[0].toUpperCase()}
              </tspan>
              {/* Text content reads as the words: two, or one broken at its hyphen. */}
              {stage.label[0].endsWith("-") ? "" : " "}
              <tspan x={stage.centre[0]} y={stage.centre[1] + 0.95 * fontSize}>
                {stage.label[1].toUpperCase()}
              </tspan>
            </text>
          </a>
        ))}
      </g>

      <g class="radial-centre">
        <circle r={INNER - 7} fill={`url(#${ids}-disc)`} class="centre-disc" />
        <LogoMark size={22} x={-11} y={-80} />
        {size === "full" && (
          <text class="centre-word" y={-38} font-size="21">
            Pa<tspan class="centre-word-accent">ii</tspan>D
          </text>
        )}
      </g>
    </>
  );
}
