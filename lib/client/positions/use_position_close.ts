/**
 * The close dialog's state and its one request: which position, how much of it, and the key the
 * closing order goes under, so a retried confirmation can never sell twice.
 */
import { useRef, useState } from "preact/hooks";
import type { Position } from "../../broker/types.ts";
import { placedMessage } from "../../shared/order_labels.ts";
import { type CloseForm, FULL_CLOSE, planClose } from "../position_close.ts";
import type { ToastKind } from "../toast.tsx";
import { readPlaced } from "../trading_api.ts";
import { callApi } from "../trading_fetch.ts";

/** The open close dialog. */
export interface Closing {
  symbol: string;
  /** Made when the dialog opened: a retry of this confirmation can never sell twice. */
  key: string;
  form: CloseForm;
  error: string | null;
}

export interface PositionClose {
  closing: Closing | null;
  sending: boolean;
  open(symbol: string): void;
  change(form: CloseForm): void;
  cancel(): void;
  confirm(): Promise<void>;
}

interface Options {
  csrfToken: string;
  /** The positions as shown (re-marked live): the plan is checked against these. */
  live: readonly Position[];
  showToast(kind: ToastKind, text: string): void;
  refresh(): Promise<void>;
}

export function usePositionClose({ csrfToken, live, showToast, refresh }: Options): PositionClose {
  const [closing, setClosing] = useState<Closing | null>(null);
  const [sending, setSending] = useState(false);
  const inFlight = useRef(false);

  async function confirm() {
    if (!closing || inFlight.current) return;
    const position = live.find((p) => p.symbol === closing.symbol);
    if (!position) return;
    const planned = planClose(position, closing.form);
    if (!planned.ok) {
      setClosing({ ...closing, error: planned.message });
      return;
    }
    inFlight.current = true;
    setSending(true);
    const { symbol, key } = closing;
    const res = await callApi<unknown>(
      `/api/positions/${encodeURIComponent(symbol)}${planned.plan.query}`,
      { method: "DELETE", csrfToken, idempotencyKey: key },
    );
    inFlight.current = false;
    setSending(false);
    if (res.ok) {
      setClosing(null);
      const placed = readPlaced({ placed: true, ...(res.data as object) });
      const msg = placed
        ? placedMessage(placed.order, placed.duplicate)
        : { kind: "info" as const, text: `Closing order for ${symbol} sent.` };
      showToast(msg.kind, msg.text);
      await refresh();
      return;
    }
    const p = res.problem;
    const definite = p.status >= 400 && p.status < 500;
    const refused = p.checks.filter((c) => !c.ok && c.severity === "refuse").map((c) => c.message);
    const message = [p.message, ...refused].join(" ") +
      (definite ? "" : " Nothing is known to have been sold: Confirm tries again safely.");
    setClosing((c) =>
      c && c.symbol === symbol
        ? {
          ...c,
          error: message,
          // A 4xx placed nothing, so a corrected choice is a new order. After a network error
          // or a 5xx the dialog keeps its key, so Confirm again cannot sell twice.
          key: definite ? crypto.randomUUID() : c.key,
        }
        : c
    );
    if (definite) {
      // The position may be gone (404) or smaller than the screen thought: look again. A gone
      // position takes its dialog with it, so the toast says what happened.
      if (p.status === 404) showToast("error", p.message);
      await refresh();
    }
  }

  return {
    closing,
    sending,
    open: (symbol) =>
      setClosing({ symbol, key: crypto.randomUUID(), form: FULL_CLOSE, error: null }),
    change: (form) => setClosing((c) => (c ? { ...c, form, error: null } : c)),
    cancel: () => setClosing(null),
    confirm,
  };
}
