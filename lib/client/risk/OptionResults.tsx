/**
 * The option strategy builder's results (islands/OptionStrategyBuilder.tsx): the metric cards,
 * the Greeks, the payoff chart with its date slider, and the P&L table by price and date.
 */
import {
  type Analysis,
  formatBreakevens,
  formatLimit,
  formatNet,
  sourceNote,
} from "./options_builder.ts";
import { CHART_SIZE, chartGeometry } from "./options_chart.ts";
import { formatDate } from "../../shared/format.ts";
import { formatSignedUsd, formatUsd, tone } from "../../shared/money.ts";
import { ReplayLabel } from "../../../components/ReplayLabel.tsx";

export default function OptionResults(
  { analysis: a, seriesIndex, onSeries }: {
    analysis: Analysis;
    seriesIndex: number;
    onSeries: (i: number) => void;
  },
) {
  const series = a.curves.series;
  const chosen = series[seriesIndex] ?? series[0];
  const g = chartGeometry(a, seriesIndex);
  const { width, height, margin } = CHART_SIZE;
  const figures: [string, string, string][] = [
    ["Net", formatNet(a.net), "opt-net"],
    ["Max profit", formatLimit(a.maxProfit), "opt-max-profit"],
    ["Max loss", formatLimit(a.maxLoss), "opt-max-loss"],
    ["Breakevens at expiry", formatBreakevens(a.breakevens), "opt-breakevens"],
    ["Probability of profit", `${(a.probabilityOfProfit * 100).toFixed(1)} %`, "opt-pop"],
  ];
  const { delta, gamma, theta, vega } = a.greeks;
  return (
    <div class="sizer-result" data-testid="opt-result" aria-live="polite">
      <p class="muted">
        {a.prices === "replay" && (
          <ReplayLabel id="opt-replay" date={a.today} note="Option prices are modelled." />
        )} {a.symbol} at {formatUsd(a.underlyingPrice)}. {sourceNote(a)}{" "}
        Figures at the first expiry,{" "}
        {formatDate(a.expiration)}; amounts in USD for the whole position.
      </p>
      <dl class="sizer-figures">
        {figures.map(([label, value, id]) => (
          <div key={id}>
            <dt>{label}</dt>
            <dd data-testid={id}>{value}</dd>
          </div>
        ))}
        <div>
          <dt title="Delta in shares, gamma per $1, theta USD per day, vega USD per vol point">
            Greeks (now)
          </dt>
          <dd class="opt-greeks" data-testid="opt-greeks">
            Δ {delta.toFixed(1)} · Γ {gamma.toFixed(2)} · Θ {formatSignedUsd(theta)}/day · Vega{" "}
            {formatSignedUsd(vega)}
          </dd>
        </div>
      </dl>
      <label class="opt-slider">
        Value on {chosen.label === "now" ? "today" : formatDate(chosen.date)}
        {chosen.label === "expiry" ? " (expiry)" : ""}
        <input
          type="range"
          min={0}
          max={series.length - 1}
          value={seriesIndex}
          onInput={(e) => onSeries(Number(e.currentTarget.value))}
          aria-valuetext={chosen.label === "now" ? "today" : chosen.date}
          data-testid="opt-date-slider"
        />
      </label>
      <svg
        class="opt-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Profit and loss of the position against the price of ${a.symbol}, at expiry and on the chosen date`}
        data-testid="opt-chart"
      >
        {g.yTicks.map((t) => (
          <g key={`y${t}`}>
            <line
              class="opt-grid"
              x1={margin.left}
              x2={width - margin.right}
              y1={g.y(t)}
              y2={g.y(t)}
            />
            <text class="opt-tick" x={margin.left - 6} y={g.y(t) + 4} text-anchor="end">
              {formatUsd(t)}
            </text>
          </g>
        ))}
        {g.xTicks.map((t) => (
          <text
            key={`x${t}`}
            class="opt-tick"
            x={g.x(t)}
            y={height - margin.bottom + 16}
            text-anchor="middle"
          >
            {t}
          </text>
        ))}
        <line
          class="opt-zero"
          x1={margin.left}
          x2={width - margin.right}
          y1={g.zeroY}
          y2={g.zeroY}
        />
        <line
          class="opt-spot"
          x1={g.spotX}
          x2={g.spotX}
          y1={margin.top}
          y2={height - margin.bottom}
        />
        {g.datePath && <path class="opt-line opt-line--date" d={g.datePath} />}
        <path class="opt-line opt-line--expiry" d={g.expiryPath} />
        {g.breakevens.map((b) => (
          <g key={b.price} class="opt-breakeven">
            <circle cx={b.x} cy={g.zeroY} r={4} />
            <text class="opt-tick" x={b.x} y={g.zeroY - 8} text-anchor="middle">
              {b.price.toFixed(2)}
            </text>
          </g>
        ))}
        <text class="opt-tick" x={width - margin.right} y={height - 4} text-anchor="end">
          {a.symbol} price (USD) · solid: expiry · dashed: chosen date · vertical: spot
        </text>
      </svg>
      <div class="chain-scroll" tabIndex={0} role="region" aria-label="P&L by price and date">
        <table class="chain-table" data-testid="opt-table">
          <caption class="muted">P&amp;L (USD) by {a.symbol} price and date</caption>
          <thead>
            <tr>
              <th scope="col">Price</th>
              {a.table.dates.map((d, i) => (
                <th key={i} scope="col">
                  {d === "now" ? "Now" : i === a.table.dates.length - 1 ? `${d} (exp.)` : d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {a.table.prices.map((p, r) => (
              <tr key={p}>
                <th scope="row">{formatUsd(p)}</th>
                {a.table.pnl[r].map((v, c) => <td key={c} class={tone(v)}>{formatSignedUsd(v)}
                </td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
