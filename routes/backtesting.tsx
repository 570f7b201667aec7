import type { Handlers, PageProps } from "../lib/fresh/types.ts";
import type { State } from "../lib/state.ts";
import { stageById } from "../lib/stages.ts";
import Backtester from "../islands/Backtester.tsx";
import { METRIC_FORMULAS } from "../lib/backtest/metrics.ts";
import { getStrategy, listStrategies } from "../lib/strategy/repo.ts";

interface Data {
  strategies: { id: number; name: string; version: number }[];
  selected: string | null;
  /** Where runs read their bars: the shipped history (`replay`) or Tradier's. */
  source: "replay" | "tradier";
}

/** The user's strategies for the picker; `?strategy=ID[&version=N]` selects one (the builder). */
export const handler: Handlers<Data, State> = {
  async GET(req, ctx) {
    const { db } = ctx.state.services;
    const userId = ctx.state.user!.id;
    const list = await listStrategies(db, userId);
    const strategies = list.map((s) => ({ id: s.id, name: s.name, version: s.version }));
    const q = new URL(req.url).searchParams;
    const id = Number(q.get("strategy"));
    const version = q.get("version") ? Number(q.get("version")) : undefined;
    let selected: string | null = null;
    if (
      Number.isSafeInteger(id) && id > 0 && (version === undefined || Number.isSafeInteger(version))
    ) {
      const s = await getStrategy(db, userId, id, version && version > 0 ? version : undefined);
      if (s) {
        selected = `strategy:${s.id}:${s.version}`;
        if (!strategies.some((x) => x.id === s.id && x.version === s.version)) {
          strategies.unshift({ id: s.id, name: s.name, version: s.version });
        }
      }
    }
    return ctx.render({ strategies, selected, source: ctx.state.services.backtests.bars.source });
  },
};

/**
 * The Backtesting stage: strategy templates and the user's strategies run over daily history
 * (the shipped history, or Tradier's when Tradier is the market data), with their metrics,
 * charts, bias checks and trades. The formulas are on the page, server-rendered.
 */
export default function BacktestingPage({ data, state }: PageProps<Data, State>) {
  const stage = stageById("backtesting");
  return (
    <div
      class="ticket-page"
      style={`--stage-color: ${stage.color}`}
      data-testid="backtesting-stage"
    >
      <header class="ticket-page-header">
        <h1 class="ticket-page-title">{stage.name}</h1>
        <p class="muted" data-testid="bt-intro">
          Run a strategy over real daily history ({data.source === "tradier"
            ? "Tradier's, benchmarked on SPY"
            : "the shipped 2012 to April 2021"}): signals at the close, fills at the next open at
          the paper broker's bid/ask, with your commission and slippage. Amounts in US dollars,
          returns in percent of equity.
        </p>
      </header>
      <Backtester
        csrfToken={state.csrfToken ?? ""}
        strategies={data.strategies}
        selected={data.selected}
      />
      <details class="sizer glass" data-testid="bt-formulas">
        <summary class="section-title">How each metric is calculated</summary>
        <p class="muted">
          r is the daily return of the equity curve E over N bars; a year is 252 bars; the risk-free
          rate is 0.
        </p>
        <dl class="sizer-figures">
          {Object.entries(METRIC_FORMULAS).map(([k, f]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd class="muted">{f}</dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
