/**
 * Loads `GET /api/analytics` for the chosen period; a failed reload keeps the last answer on
 * screen and says it failed.
 */
import { useEffect, useState } from "preact/hooks";
import type { PnlAnalytics, PnlPeriod } from "../../shared/pnl.ts";
import type { Load } from "../load_state.ts";
import { analyticsUrl } from "./pnl_view.ts";

export function usePnl(period: PnlPeriod) {
  const [report, setReport] = useState<PnlAnalytics | null>(null);
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setLoad({ state: "loading" });
    fetch(analyticsUrl(period), { signal: ctl.signal, credentials: "same-origin" })
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
        setReport(body as PnlAnalytics);
        setLoad({ state: "ready" });
      })
      .catch((err) => {
        if (!ctl.signal.aborted) setLoad({ state: "error", message: (err as Error).message });
      });
    return () => ctl.abort();
  }, [period, asked]);
  return { report, load, reload: () => setAsked((n) => n + 1) };
}
