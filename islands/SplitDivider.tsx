import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { clampSplit, SPLIT_MAX, SPLIT_MIN, splitCookie } from "../lib/split.ts";

interface SplitDividerProps {
  /** Left-pane width in percent, as the server rendered it. */
  initialPercent: number;
  min?: number;
  max?: number;
}

const KEY_STEP = 2;

/**
 * The handle between the split view's panes (a WAI-ARIA window splitter). It resizes by setting
 * `--split-left` on the enclosing `.split`, which the stylesheet turns into the grid's first
 * column, and remembers the width in a cookie so the server renders the next page at that width.
 */
export default function SplitDivider(
  { initialPercent, min = SPLIT_MIN, max = SPLIT_MAX }: SplitDividerProps,
) {
  const [percent, setPercent] = useState(() => clampSplit(initialPercent, min, max));

  function resize(handle: HTMLElement, value: number, remember: boolean) {
    const next = clampSplit(value, min, max);
    handle.closest<HTMLElement>(".split")?.style.setProperty("--split-left", `${next}%`);
    setPercent(next);
    if (remember) document.cookie = splitCookie(next);
  }

  function percentAt(handle: HTMLElement, clientX: number): number {
    const box = handle.closest(".split")?.getBoundingClientRect();
    return box && box.width > 0 ? ((clientX - box.left) / box.width) * 100 : percent;
  }

  function onPointerDown(event: JSX.TargetedPointerEvent<HTMLDivElement>) {
    if (event.button !== 0) return;
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    // Stops text selection in both panes while dragging.
    handle.closest(".split")?.setAttribute("data-resizing", "");
  }

  function onPointerMove(event: JSX.TargetedPointerEvent<HTMLDivElement>) {
    const handle = event.currentTarget;
    if (!handle.hasPointerCapture(event.pointerId)) return;
    resize(handle, percentAt(handle, event.clientX), false);
  }

  function onPointerUp(event: JSX.TargetedPointerEvent<HTMLDivElement>) {
    const handle = event.currentTarget;
    if (!handle.hasPointerCapture(event.pointerId)) return;
    // Whole percents only: that is what the cookie and the server's first paint can hold.
    resize(handle, Math.round(percentAt(handle, event.clientX)), true);
  }

  function onLostPointerCapture(event: JSX.TargetedPointerEvent<HTMLDivElement>) {
    // Fires after pointerup and after a cancelled drag alike, so the cleanup lives here.
    event.currentTarget.closest(".split")?.removeAttribute("data-resizing");
  }

  function onKeyDown(event: JSX.TargetedKeyboardEvent<HTMLDivElement>) {
    const target: Record<string, number> = {
      ArrowLeft: Math.round(percent) - KEY_STEP,
      ArrowRight: Math.round(percent) + KEY_STEP,
      Home: min,
      End: max,
    };
    if (!(event.key in target) || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    resize(event.currentTarget, target[event.key], true);
  }

  return (
    <div
      class="split-divider"
      role="separator"
      aria-orientation="vertical"
      aria-valuenow={Math.round(percent)}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-label="Resize panes"
      tabIndex={0}
      data-testid="split-divider"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onLostPointerCapture={onLostPointerCapture}
      onKeyDown={onKeyDown}
    >
      <span class="split-grip" aria-hidden="true" />
    </div>
  );
}
