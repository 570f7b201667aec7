/**
 * The portfolio risk panel's data: `GET /api/risk/portfolio` for the form's look-back and shock,
 * read again when the ticket places an order. An older answer never overwrites a newer one, and
 * a failed refresh keeps what was shown.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Load } from "../load_state.ts";
import { callApi, ORDER_PLACED_EVENT } from "../trading_fetch.ts";
import { type PortfolioRiskAnswer, portfolioUrl, type RiskForm } from "./portfolio_view.ts";

export function usePortfolioRisk(form: RiskForm) {
  const [answer, setAnswer] = useState<PortfolioRiskAnswer | null>(null);
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const seq = useRef(0);
  const formRef = useRef(form);
  formRef.current = form;

  async function refresh() {
    const n = ++seq.current;
    setLoad({ state: "loading" });
    const res = await callApi<PortfolioRiskAnswer>(portfolioUrl(formRef.current));
    if (n !== seq.current) return;
    if (!res.ok) {
      setLoad({ state: "error", message: res.problem.message });
      return;
    }
    setAnswer(res.data);
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
