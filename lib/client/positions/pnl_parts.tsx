/**
 * The P&L dashboard's static pieces: the metric cards (each formula a hover or a focus away)
 * and the per-symbol table. Props in, markup out.
 */
import type { MetricKey, PnlAnalytics } from "../../shared/pnl.ts";
import { formatSignedUsd, formatUsd, sharesWithUnit, tone } from "../../shared/money.ts";
import { formatDate } from "../../shared/format.ts";
import { CARD_KEYS, metricText, metricTitle, metricTone } from "./pnl_view.ts";

export function MetricCards({ report }: { report: PnlAnalytics }) {
  return (
    <ul class="pnl-cards" aria-label="Performance metrics">
      {CARD_KEYS.map((key: MetricKey) => {
        const m = report.metrics[key];
        const tipId = `pnl-tip-${key}`;
        return (
          <li key={key} class="pnl-card glass" data-testid={`pnl-metric-${key}`}>
            <span class="badge-wrap">
              <span
                class="badge pnl-card-label"
                tabIndex={0}
                title={metricTitle(m)}
                aria-describedby={tipId}
              >
                {m.label}
              </span>
              <span class="tooltip pnl-tip" role="tooltip" id={tipId}>{metricTitle(m)}</span>
            </span>
            <span class={`pnl-card-value num ${metricTone(key, m)}`}>{metricText(key, m)}</span>
            {key === "maxDrawdown" && report.drawdown.peakDate && report.drawdown.troughDate && (
              <span class="muted pnl-card-note">
                {formatDate(report.drawdown.peakDate)} → {formatDate(report.drawdown.troughDate)}
                {report.drawdown.recoveryDate ? "" : " · not recovered"}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function SymbolTable({ report }: { report: PnlAnalytics }) {
  if (report.symbols.length === 0) {
    return <p class="muted">No fills yet: P&L per symbol appears after your first trade.</p>;
  }
  return (
    <div class="positions-scroll">
      <table class="positions-table" data-testid="pnl-symbols">
        <caption class="sr-only">Realized and unrealized P&L per symbol, USD</caption>
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col" class="positions-num">Open</th>
            <th scope="col" class="positions-num" title="FIFO lots, closes inside the period">
              Realized (FIFO)
            </th>
            <th scope="col" class="positions-num" title="Market value − open FIFO lots' cost">
              Unrealized
            </th>
            <th scope="col" class="positions-num">Market value</th>
            <th scope="col" class="positions-num">Round trips</th>
          </tr>
        </thead>
        <tbody>
          {report.symbols.map((s) => (
            <tr key={s.symbol}>
              <th scope="row">{s.symbol}</th>
              <td class="positions-num">{sharesWithUnit(s.qty)}</td>
              <td class={`positions-num ${tone(s.realized)}`}>{formatSignedUsd(s.realized)}</td>
              <td class={`positions-num ${tone(s.unrealized)}`}>
                {formatSignedUsd(s.unrealized)}
              </td>
              <td class="positions-num">{formatUsd(s.marketValue)}</td>
              <td class="positions-num">{s.roundTrips}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
