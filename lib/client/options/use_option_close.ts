/**
 * Closing option positions from Active Positions: a group (one multi-leg market order through
 * `POST /api/positions/close-strategy`) or a single leg (`DELETE /api/positions/:occ`), each
 * behind a confirmation, under a key made when it opened, so a retried Confirm cannot close twice.
 */
import { useRef, useState } from "preact/hooks";
import type { ToastKind } from "../toast.tsx";
import { readPlaced } from "../trading_api.ts";
import { callApi } from "../trading_fetch.ts";
import { optionPlacedMessage } from "./labels.ts";
import { closeRequest, type CloseTarget } from "./positions.ts";

export interface OptionClosing {
  target: CloseTarget;
  /** Which confirmation is open: a group key or a leg symbol. */
  id: string;
  key: string;
  error: string | null;
}

export function useOptionClose(
  { csrfToken, showToast, refresh }: {
    csrfToken: string;
    showToast(kind: ToastKind, text: string): void;
    refresh(): Promise<void>;
  },
) {
  const [closing, setClosing] = useState<OptionClosing | null>(null);
  const [sending, setSending] = useState(false);
  const inFlight = useRef(false);

  async function confirm() {
    if (!closing || inFlight.current) return;
    inFlight.current = true;
    setSending(true);
    const req = closeRequest(closing.target, closing.key);
    const res = await callApi<unknown>(req.url, {
      method: req.method,
      body: req.body,
      idempotencyKey: req.idempotencyKey,
      csrfToken,
    });
    inFlight.current = false;
    setSending(false);
    if (res.ok) {
      setClosing(null);
      const placed = readPlaced({ placed: true, ...(res.data as object) });
      const msg = placed
        ? optionPlacedMessage(placed.order, placed.duplicate)
        : { kind: "info" as const, text: "Closing order sent." };
      showToast(msg.kind, msg.text);
      await refresh();
      return;
    }
    const p = res.problem;
    const definite = p.status >= 400 && p.status < 500;
    const refused = p.checks.filter((c) => !c.ok && c.severity === "refuse").map((c) => c.message);
    const message = [p.message, ...refused].join(" ") +
      (definite ? "" : " Nothing is known to have been closed: Confirm tries again safely.");
    // A 4xx placed nothing, so trying again is a new order; after a network error or a 5xx the
    // key stays, so Confirm again cannot close twice.
    setClosing((c) => c && { ...c, error: message, key: definite ? crypto.randomUUID() : c.key });
    if (definite) await refresh();
  }

  return {
    closing,
    sending,
    open: (id: string, target: CloseTarget) =>
      setClosing({ id, target, key: crypto.randomUUID(), error: null }),
    cancel: () => setClosing(null),
    confirm,
  };
}
