/**
 * The portfolio risk panel's sections, each a plain function of the API's answer: exposure,
 * VaR cards, correlation heatmap, stress tests and limit usage. Every figure carries its
 * method a hover (title) or a click (<details>) away.
 */
import {
  formatSignedPercent,
  formatSignedUsd,
  formatUsd,
  sharesWithUnit,
} from "../../shared/money.ts";
import { formatDate, formatFixed, MISSING } from "../../shared/format.ts";
import { BASIS_LABELS, heatmap, type PortfolioRisk, usageBar, varCards } from "./portfolio_view.ts";

/** A figure already in percent (12.3 → "12.30 %"). */
const pct = (n: number | null | undefined) => (n == null ? MISSING : `${formatFixed(n, 2)} %`);

export function ExposureSection({ r }: { r: PortfolioRisk }) {
  const e = r.exposure;
  return (
    <section class="prisk-section" aria-labelledby="prisk-exposure">
      <h3 id="prisk-exposure" class="prisk-heading">Exposure</h3>
      <dl class="sizer-figures" data-testid="prisk-totals">
        <div title="Σ |qty × price| over the holdings">
          <dt>Gross</dt>
          <dd data-testid="prisk-gross">{formatUsd(e.gross)} · {pct(e.grossPercent)}</dd>
        </div>
        <div title="Σ qty × price (shorts negative)">
          <dt>Net</dt>
          <dd data-testid="prisk-net">{formatSignedUsd(e.net)} · {pct(e.netPercent)}</dd>
        </div>
        <div title={r.beta.method}>
          <dt>Beta to the S&amp;P 500</dt>
          <dd data-testid="prisk-beta">{formatFixed(r.beta.portfolio, 2)}</dd>
        </div>
        <div title="Σ value × β: the S&P 500 exposure the book behaves like">
          <dt>β-weighted exposure</dt>
          <dd>{formatSignedUsd(r.beta.betaWeightedExposure)}</dd>
        </div>
      </dl>
      <div class="positions-scroll">
        <table class="positions-table" data-testid="prisk-by-symbol">
          <caption class="prisk-caption" title={e.method}>
            By symbol (USD; % of equity {formatUsd(r.equity)})
          </caption>
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Sector (GICS)</th>
              <th scope="col" class="positions-num">Shares</th>
              <th scope="col" class="positions-num">Price</th>
              <th scope="col" class="positions-num">Value</th>
              <th scope="col" class="positions-num">% of equity</th>
              <th scope="col" class="positions-num" title="Beta to the S&amp;P 500">Beta</th>
            </tr>
          </thead>
          <tbody>
            {e.bySymbol.map((s) => (
              <tr key={s.symbol}>
                <th scope="row">{s.symbol}</th>
                <td>{s.sector}</td>
                <td class="positions-num">{sharesWithUnit(s.qty)}</td>
                <td class="positions-num">{formatUsd(s.price)}</td>
                <td class="positions-num">{formatSignedUsd(s.value)}</td>
                <td class="positions-num">{pct(s.percentOfEquity)}</td>
                <td class="positions-num">
                  {formatFixed(r.beta.bySymbol.find((b) => b.symbol === s.symbol)?.beta, 2)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="positions-scroll">
        <table class="positions-table" data-testid="prisk-by-sector">
          <caption class="prisk-caption">By sector (USD)</caption>
          <thead>
            <tr>
              <th scope="col">Sector</th>
              <th scope="col" class="positions-num">Long</th>
              <th scope="col" class="positions-num">Short</th>
              <th scope="col" class="positions-num">Net</th>
              <th scope="col" class="positions-num">Gross</th>
              <th scope="col" class="positions-num">Gross % of equity</th>
            </tr>
          </thead>
          <tbody>
            {e.bySector.map((s) => (
              <tr key={s.sector}>
                <th scope="row" title={s.symbols.join(", ")}>{s.sector}</th>
                <td class="positions-num">{formatUsd(s.long)}</td>
                <td class="positions-num">{formatUsd(s.short)}</td>
                <td class="positions-num">{formatSignedUsd(s.net)}</td>
                <td class="positions-num">{formatUsd(s.gross)}</td>
                <td class="positions-num">{pct(s.grossPercent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function VarSection({ r }: { r: PortfolioRisk }) {
  const w = r.window;
  return (
    <section class="prisk-section" aria-labelledby="prisk-var">
      <h3 id="prisk-var" class="prisk-heading">Value at risk</h3>
      <p class="muted prisk-note">
        Today's holdings through {w.observations} daily returns
        {w.from && w.to ? ` (${formatDate(w.from)} – ${formatDate(w.to)})` : ""}. Losses in USD.
        {w.excluded.length > 0 &&
          ` Left out for short history: ${
            w.excluded.map((x) => `${x.symbol} (${x.reason})`).join(", ")
          }; the figures cover ${pct(w.coveragePercent)} of gross exposure.`}
      </p>
      <ul class="prisk-cards" data-testid="prisk-var-cards">
        {varCards(r).map((c) => (
          <li key={c.id} class="prisk-card" data-testid={`prisk-var-${c.id}`}>
            <span class="prisk-card-group">{c.group}</span>
            <strong class="prisk-card-title">{c.title} VaR</strong>
            <span class="prisk-card-value" title={c.formula}>{formatUsd(c.var)}</span>
            <span class="muted">{pct(c.percent)} of equity</span>
            {c.group === "Historical" && (
              <span title="Mean loss on the days at or beyond the VaR">
                CVaR {formatUsd(c.cvar)}
              </span>
            )}
            <details class="prisk-formula">
              <summary>{c.method}</summary>
              <p>{c.formula}</p>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CorrelationSection({ r }: { r: PortfolioRisk }) {
  const { symbols, matrix, method } = r.correlation;
  if (symbols.length < 2) {
    return (
      <section class="prisk-section" aria-labelledby="prisk-corr">
        <h3 id="prisk-corr" class="prisk-heading">Correlation</h3>
        <p class="muted">A correlation matrix needs two or more holdings with history.</p>
      </section>
    );
  }
  const h = heatmap(symbols, matrix, Math.min(560, 80 + symbols.length * 44));
  return (
    <section class="prisk-section" aria-labelledby="prisk-corr">
      <h3 id="prisk-corr" class="prisk-heading">Correlation of daily returns</h3>
      <svg
        class="prisk-heatmap"
        viewBox={`0 0 ${h.size} ${h.size}`}
        width={h.size}
        height={h.size}
        role="img"
        aria-labelledby="prisk-corr-desc"
        data-testid="prisk-heatmap"
      >
        <desc id="prisk-corr-desc">
          {method}{" "}
          Red: move together; blue: move against each other. The table below has the values.
        </desc>
        {h.ticks.map((t) => (
          <g key={t.symbol}>
            <text x={h.margin - 6} y={t.at} text-anchor="end" dominant-baseline="middle">
              {t.symbol}
            </text>
            <text
              x={t.at}
              y={h.margin - 6}
              text-anchor="start"
              transform={`rotate(-45 ${t.at} ${h.margin - 6})`}
            >
              {t.symbol}
            </text>
          </g>
        ))}
        {h.cells.map((c) => (
          <g key={`${c.row}-${c.col}`}>
            <rect x={c.x} y={c.y} width={c.size} height={c.size} fill={c.fill}>
              <title>{c.label}</title>
            </rect>
            {c.size >= 28 && (
              <text
                x={c.x + c.size / 2}
                y={c.y + c.size / 2}
                text-anchor="middle"
                dominant-baseline="middle"
                fill={c.ink}
                class="prisk-heat-text"
              >
                {c.text}
              </text>
            )}
          </g>
        ))}
      </svg>
      <details>
        <summary>Correlation as a table</summary>
        <div class="positions-scroll">
          <table class="positions-table" data-testid="prisk-corr-table">
            <thead>
              <tr>
                <th scope="col">ρ</th>
                {symbols.map((s) => <th key={s} scope="col" class="positions-num">{s}</th>)}
              </tr>
            </thead>
            <tbody>
              {symbols.map((s, i) => (
                <tr key={s}>
                  <th scope="row">{s}</th>
                  {matrix[i].map((v, j) => (
                    <td key={j} class="positions-num">{formatFixed(v, 2)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

export function StressSection({ r }: { r: PortfolioRisk }) {
  return (
    <section class="prisk-section" aria-labelledby="prisk-stress">
      <h3 id="prisk-stress" class="prisk-heading">Stress tests on today's holdings</h3>
      <div class="positions-scroll">
        <table class="positions-table" data-testid="prisk-stress">
          <thead>
            <tr>
              <th scope="col">Scenario</th>
              <th scope="col">Period</th>
              <th scope="col" class="positions-num">S&amp;P 500</th>
              <th scope="col" class="positions-num">P&amp;L</th>
              <th scope="col" class="positions-num">% of equity</th>
              <th scope="col">By holding</th>
            </tr>
          </thead>
          <tbody>
            {r.stress.map((s) => (
              <tr key={s.id} data-testid={`prisk-stress-${s.id}`}>
                <th scope="row" title={s.description}>{s.name}</th>
                <td>
                  {s.start && s.end ? `${formatDate(s.start)} – ${formatDate(s.end)}` : "now"}
                </td>
                {s.status === "after_current_day"
                  ? (
                    <td colSpan={4} class="muted">
                      Not yet in the history: the episode ends on or after {formatDate(r.asOf)}.
                    </td>
                  )
                  : (
                    <>
                      <td class="positions-num">{formatSignedPercent(s.indexMove)}</td>
                      <td class="positions-num">{formatSignedUsd(s.pnl)}</td>
                      <td class="positions-num">{pct(s.pnlPercentOfEquity)}</td>
                      <td>
                        <details>
                          <summary>{s.rows.length} holdings</summary>
                          <p class="muted">{s.method}</p>
                          <ul class="prisk-stress-rows">
                            {s.rows.map((x) => (
                              <li key={x.symbol}>
                                {x.symbol}: {formatSignedPercent(x.move)} → {formatSignedUsd(x.pnl)}
                                {" "}
                                <em>({BASIS_LABELS[x.basis]})</em>
                              </li>
                            ))}
                          </ul>
                        </details>
                      </td>
                    </>
                  )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function LimitsSection({ r }: { r: PortfolioRisk }) {
  return (
    <section class="prisk-section" aria-labelledby="prisk-limits">
      <h3 id="prisk-limits" class="prisk-heading">Risk limits used</h3>
      <ul class="prisk-limits" data-testid="prisk-limits">
        {r.limits.map((l) => {
          const bar = usageBar(l);
          const fmt = (n: number) => (l.unit === "USD" ? formatUsd(n) : pct(n));
          return (
            <li key={l.rule} data-testid={`prisk-limit-${l.rule}`}>
              <span class="prisk-limit-label" title={l.note}>
                {l.label}
                {l.symbol ? ` (${l.symbol})` : ""}: {l.rule === "short_selling"
                  ? `${fmt(l.value)} short`
                  : `${fmt(l.value)} of ${fmt(l.limit)}`}
              </span>
              <span
                class={`prisk-bar prisk-bar--${bar.tone}`}
                role="meter"
                aria-label={l.label}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.min(100, Math.max(0, l.usedPercent))}
                aria-valuetext={bar.text}
              >
                <span style={`width: ${bar.width}%`} />
              </span>
              <span class="muted">{bar.text}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
