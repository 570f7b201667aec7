import { useState } from "preact/hooks";
import { ReplayLabel } from "../components/ReplayLabel.tsx";
import { DEFAULT_RISK_FORM, type RiskForm } from "../lib/client/risk/portfolio_view.ts";
import { usePortfolioRisk } from "../lib/client/risk/use_portfolio_risk.ts";
import {
  CorrelationSection,
  ExposureSection,
  LimitsSection,
  StressSection,
  VarSection,
} from "../lib/client/risk/portfolio_sections.tsx";

/**
 * The Risk stage's portfolio risk: exposure, VaR/CVaR, correlation, stress tests and limit
 * usage of the account's holdings, for a look-back and a shock the user picks.
 */
export default function PortfolioRisk() {
  const [form, setForm] = useState<RiskForm>(DEFAULT_RISK_FORM);
  const { answer, load, refresh } = usePortfolioRisk(form);
  const set = (key: keyof RiskForm) => (e: Event) =>
    setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });
  const r = answer && !answer.empty ? answer : null;

  return (
    <section class="sizer glass prisk" aria-labelledby="prisk-title" data-testid="portfolio-risk">
      <header class="prisk-header">
        <h2 id="prisk-title" class="section-title">Portfolio risk</h2>
        {answer?.prices === "replay" && (
          <ReplayLabel
            id="prisk-replay"
            date={answer.asOf}
            note="Holdings are valued at the replay's price now; VaR, beta, correlation and the stress tests use the real daily closes before this day."
            testId="prisk-replay-label"
          />
        )}
      </header>
      <form
        class="sizer-form"
        onSubmit={(e) => {
          e.preventDefault();
          refresh();
        }}
      >
        <label>
          Look-back (trading days, 20–2,500)
          <input
            name="lookback"
            inputMode="numeric"
            value={form.lookback}
            onInput={set("lookback")}
          />
        </label>
        <label>
          Custom shock (%, −100 to 100)
          <input name="shock" inputMode="decimal" value={form.shock} onInput={set("shock")} />
        </label>
        <button
          class="button"
          type="submit"
          disabled={load.state === "loading"}
          data-testid="prisk-submit"
        >
          {load.state === "loading" ? "Measuring…" : "Measure"}
        </button>
      </form>
      <div aria-live="polite">
        {load.state === "loading" && !answer && <p class="muted">Measuring the portfolio…</p>}
        {load.state === "error" && (
          <p class="ticket-refusal" role="alert" data-testid="prisk-problem">
            {answer ? "The refresh failed: " : ""}
            {load.message}
          </p>
        )}
        {answer?.empty && <p class="muted" data-testid="prisk-empty">{answer.message}</p>}
        {answer && answer.unpriced.length > 0 && (
          <p class="muted">Without a price now, left out: {answer.unpriced.join(", ")}.</p>
        )}
      </div>
      {r && (
        <>
          <ExposureSection r={r} />
          <VarSection r={r} />
          <CorrelationSection r={r} />
          <StressSection r={r} />
          <LimitsSection r={r} />
        </>
      )}
    </section>
  );
}
