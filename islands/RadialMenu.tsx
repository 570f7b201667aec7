import type { JSX } from "preact";
import { useState } from "preact/hooks";
import IndexQuotes, { type IndexQuotesSeed } from "../lib/client/radial/index_quotes.tsx";
import { R } from "../lib/client/radial/geometry.ts";
import { KEEP_SERVER_MARKUP } from "../lib/client/browser_build.ts";
// Rendered on the server only: the browser build cuts it (see lib/client/browser_build.ts).
import RadialWheel from "../components/RadialWheel.tsx";

interface RadialMenuProps {
  size: "full" | "compact";
  /** The stage whose page is open; its wedge gets `aria-current="page"`. */
  activeId?: string | null;
  /** Market clock and index quotes the server already had, shown before the stream starts. */
  market?: IndexQuotesSeed;
}

/** What the caption says about the wedge pointed at; read from the wedge's data attributes. */
interface Pointed {
  name: string;
  description: string;
  color: string;
}

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

/** The wedge `target` is in, as the caption shows it; null outside every wedge. */
function wedgeAt(target: EventTarget | null): Pointed | null {
  const wedge = target instanceof Element ? target.closest<SVGAElement>("a.wedge") : null;
  const data = wedge?.dataset;
  return data?.name
    ? { name: data.name, description: data.description ?? "", color: data.color ?? "" }
    : null;
}

/**
 * The radial menu: ten wedges, each a plain link, so it works before hydration. The wheel itself
 * (components/RadialWheel.tsx) is server markup the browser keeps; hydration adds arrow-key
 * movement between wedges, the caption naming the hovered or focused stage (delegated events on
 * the `<nav>`) and the live index quotes in the centre. The hover and focus growth is CSS.
 */
export default function RadialMenu({ size, activeId = null, market }: RadialMenuProps) {
  const [pointed, setPointed] = useState<Pointed | null>(null);

  return (
    <nav
      class={`radial radial--${size}`}
      aria-label="Workflow stages"
      data-has-active={activeId ? "" : undefined}
      onKeyDown={moveFocus}
      onMouseOver={(e) => setPointed(wedgeAt(e.target))}
      onMouseOut={(e) => setPointed(wedgeAt(e.relatedTarget))}
      onFocusIn={(e) => setPointed(wedgeAt(e.target))}
      onFocusOut={(e) => setPointed(wedgeAt(e.relatedTarget))}
    >
      <svg class="radial-svg" viewBox={`${-R} ${-R} ${2 * R} ${2 * R}`}>
        {globalThis.PAIID_BROWSER_BUILD
          ? <g class="radial-wheel" dangerouslySetInnerHTML={KEEP_SERVER_MARKUP} />
          : (
            <g class="radial-wheel">
              <RadialWheel size={size} activeId={activeId} />
            </g>
          )}
        <IndexQuotes full={size === "full"} initial={market} />
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
