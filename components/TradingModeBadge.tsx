import type { State } from "../lib/state.ts";

interface TradingModeBadgeProps {
  mode: State["tradingMode"];
}

const EXPLANATION: Record<State["tradingMode"], string> = {
  paper: "Paper trading: orders go to a simulated brokerage account. No real money is at risk.",
  live: "Live trading: orders go to your real brokerage account and use real money.",
};

/**
 * The PAPER/LIVE pill. Its explanation is a real element tied with `aria-describedby`, shown on
 * hover and keyboard focus by CSS alone, so it needs no island.
 */
export default function TradingModeBadge({ mode }: TradingModeBadgeProps) {
  const tipId = "trading-mode-tip";
  return (
    <span class="badge-wrap">
      <span
        class={`badge badge--${mode}`}
        tabIndex={0}
        aria-describedby={tipId}
        data-testid="trading-mode-badge"
      >
        <span class="badge-dot" aria-hidden="true" />
        {mode === "paper" ? "PAPER" : "LIVE"}
      </span>
      <span class="tooltip" role="tooltip" id={tipId}>{EXPLANATION[mode]}</span>
    </span>
  );
}
