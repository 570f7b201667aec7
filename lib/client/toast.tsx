/**
 * A toast for trading results, shared by the trading islands (not an island itself). The live
 * region is always in the page, empty until there is news, because screen readers announce
 * changes to a region they already know about, not a region that appears with its text.
 */
import { useEffect, useRef, useState } from "preact/hooks";

export type ToastKind = "success" | "info" | "error";

export interface ToastMessage {
  kind: ToastKind;
  text: string;
  /** Bumped per message so the same text twice still shows (and re-announces). */
  n: number;
}

/** The current toast and a function to show one; successes fade after `ms`, errors stay. */
export function useToast(
  ms = 8_000,
): [ToastMessage | null, (kind: ToastKind, text: string) => void, () => void] {
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const count = useRef(0);
  useEffect(() => {
    if (!toast || toast.kind === "error") return;
    const timer = setTimeout(() => setToast(null), ms);
    return () => clearTimeout(timer);
  }, [toast]);
  return [
    toast,
    (kind, text) => setToast({ kind, text, n: ++count.current }),
    () => setToast(null),
  ];
}

export function Toast(
  { toast, onClose, testId = "toast" }: {
    toast: ToastMessage | null;
    onClose(): void;
    /** Pages with two toasts give the second another id, so tests find the one they mean. */
    testId?: string;
  },
) {
  return (
    <div
      class="toast-region"
      role="status"
      aria-live="polite"
      aria-atomic="true"
    >
      {toast && (
        <div class={`toast toast--${toast.kind}`} key={toast.n} data-testid={testId}>
          <span class="toast-icon" aria-hidden="true">
            {toast.kind === "success" ? "✓" : toast.kind === "error" ? "✕" : "i"}
          </span>
          <span class="toast-text">{toast.text}</span>
          <button type="button" class="toast-close" onClick={onClose} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
    </div>
  );
}
