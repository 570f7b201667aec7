/**
 * The positions screen's portfolio: the snapshot the page painted with, refreshed from
 * `GET /api/portfolio/snapshot` (the same builder on the server) when the ticket places an
 * order, and every 30 s while the page is visible, since resting orders fill on their own.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Load } from "../load_state.ts";
import { type PortfolioSnapshot, readSnapshot } from "../trading_api.ts";
import { callApi, ORDER_PLACED_EVENT } from "../trading_fetch.ts";

export const SNAPSHOT_URL = "/api/portfolio/snapshot";
const REFRESH_MS = 30_000;

export interface Portfolio {
  /** The last snapshot read; null until the first one arrives. */
  snap: PortfolioSnapshot | null;
  load: Load;
  refresh(): Promise<void>;
}

/** `initial` is what the server rendered with; null makes the hook load it. */
export function usePortfolio(initial: PortfolioSnapshot | null): Portfolio {
  const [snap, setSnap] = useState<PortfolioSnapshot | null>(initial);
  const [load, setLoad] = useState<Load>(initial ? { state: "ready" } : { state: "loading" });
  const seq = useRef(0);

  async function refresh() {
    const n = ++seq.current;
    const res = await callApi<unknown>(SNAPSHOT_URL);
    // A slower, older answer must not overwrite a newer one.
    if (n !== seq.current) return;
    if (!res.ok) {
      setLoad({ state: "error", message: res.problem.message });
      return;
    }
    const next = readSnapshot(res.data);
    if (!next) {
      setLoad({ state: "error", message: "The portfolio came back in an unexpected form." });
      return;
    }
    setSnap(next);
    setLoad({ state: "ready" });
  }

  useEffect(() => {
    if (!initial) refresh();
    const onPlaced = () => refresh();
    globalThis.addEventListener(ORDER_PLACED_EVENT, onPlaced);
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") refresh();
    }, REFRESH_MS);
    return () => {
      globalThis.removeEventListener(ORDER_PLACED_EVENT, onPlaced);
      clearInterval(timer);
    };
  }, []);

  return { snap, load, refresh };
}
