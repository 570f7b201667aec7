/**
 * The portfolio risk panel's data: `GET /api/risk/portfolio` for the form's look-back and shock,
 * read again when the ticket places an order. An older answer never overwrites a newer one, and
 * a failed refresh keeps what was shown.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Load } from "../load_state.ts";
import { ORDER_PLACED_EVENT } from "../trading_fetch.ts";
import {
  describeProblem,
  type PortfolioRiskAnswer,
  portfolioUrl,
  type RiskForm,
} from "./portfolio_view.ts";

export function usePortfolioRisk(form: RiskForm) {
  const [answer, setAnswer] = useState<PortfolioRiskAnswer | null>(null);
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const seq = useRef(0);
  const formRef = useRef(form);
  formRef.current = form;

  async function refresh() {
    const n = ++seq.current;
    setLoad({ state: "loading" });
    let status = 0;
    let body: unknown = null;
    try {
      const res = await fetch(portfolioUrl(formRef.current), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      status = res.status;
      body = await res.json().catch(() => null);
    } catch {
      // Unreachable: status 0 says so below.
    }
    if (n !== seq.current) return;
    if (status !== 200 || body === null) {
      setLoad({ state: "error", message: describeProblem(status, body) });
      return;
    }
    setAnswer(body as PortfolioRiskAnswer);
    setLoad({ state: "ready" });
  }

  useEffect(() => {
    refresh();
    const onPlaced = () => refresh();
    globalThis.addEventListener(ORDER_PLACED_EVENT, onPlaced);
    return () => globalThis.removeEventListener(ORDER_PLACED_EVENT, onPlaced);
  }, []);

  return { answer, load, refresh };
}
