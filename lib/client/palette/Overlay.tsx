/**
 * The palette and help overlay, loaded on the first Ctrl/⌘+K or `?`: a modal dialog that holds
 * either the command palette or the help panel, returns focus where it was on close, and closes
 * on Escape or a click outside.
 */
import { useEffect, useRef } from "preact/hooks";
import type { Shortcut } from "./keys.ts";
import Palette from "./Palette.tsx";
import Help from "./Help.tsx";

export interface OverlayProps {
  mode: Shortcut;
  csrfToken: string;
  stage?: string;
  onMode(mode: Shortcut): void;
  onClose(): void;
}

export default function Overlay(props: OverlayProps) {
  const returnTo = useRef<Element | null>(null);
  useEffect(() => {
    returnTo.current = document.activeElement;
    return () => (returnTo.current as HTMLElement | null)?.focus?.();
  }, []);
  const title = props.mode === "palette" ? "Command palette" : "Help and shortcuts";
  return (
    <div
      class="palette-backdrop"
      onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}
    >
      <div
        class="palette glass"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={props.mode === "palette" ? "palette" : "help-panel"}
      >
        {props.mode === "palette"
          ? <Palette csrfToken={props.csrfToken} onClose={props.onClose} />
          : (
            <Help
              stage={props.stage}
              onClose={props.onClose}
              onPalette={() => props.onMode("palette")}
            />
          )}
      </div>
    </div>
  );
}
