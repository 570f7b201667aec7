import { portfolioTotals } from "../lib/broker/totals.ts";
import type { PortfolioSnapshot } from "../lib/client/trading_api.ts";
import { liveAccount, remark } from "../lib/client/portfolio.ts";
import { useState } from "preact/hooks";
import { useLiveQuotes, useStreamStatus } from "../lib/client/quote_hub.ts";
import { Toast, useToast } from "../lib/client/toast.tsx";
import { usePortfolio } from "../lib/client/positions/use_portfolio.ts";
import { usePositionClose } from "../lib/client/positions/use_position_close.ts";
import PositionRow, { NOTE_FORM_ID } from "../lib/client/positions/position_row.tsx";
import LazyNoteForm from "../lib/client/journal/LazyNoteForm.tsx";
import CloseDialog from "../lib/client/positions/close_dialog.tsx";
import OptionPositions from "../lib/client/options/OptionPositions.tsx";
import { splitPositions } from "../lib/client/options/positions.ts";
import { replayDay } from "../lib/shared/market_day.ts";
import SummaryCards from "../components/SummaryCards.tsx";
import { ReplayLabel } from "../components/ReplayLabel.tsx";

interface PositionsTableProps {
  csrfToken: string;
  /** What the server rendered with; null to load it here. */
  initial?: PortfolioSnapshot | null;
}

const REPLAY_NOTE =
  "Last prices, market values and P&L follow the simulated path, and fills are priced on it.";

/**
 * The account's summary cards and open positions, re-marked live from the quote stream
 * (market value = qty × last, P&L = market value − cost basis, here in the browser), with a
 * Close on every row that asks first (all of it, or part: shares or a percentage, with what it
 * comes to at the last price) and sends one closing market order per confirmation, and an Add
 * note that writes a journal entry on the position (the form loads on first use). Option legs
 * (priced by the broker from the chain, not by the quote stream) have their own grouped table.
 */
export default function PositionsTable({ csrfToken, initial = null }: PositionsTableProps) {
  const { snap, load, refresh } = usePortfolio(initial);
  const [toast, showToast, clearToast] = useToast();

  const served = snap?.positions ?? [];
  const { stocks, options } = splitPositions(served);
  // The stream quotes stocks; option legs keep the broker's chain marks.
  const symbols = stocks.map((p) => p.symbol).sort();
  const quotes = useLiveQuotes(symbols);
  const status = useStreamStatus();
  const live = stocks.map((p) => remark(p, quotes[p.symbol]?.last));
  const totals = portfolioTotals([...live, ...options]);
  const account = snap ? liveAccount(snap.account, stocks, live) : null;
  const replayQuote = symbols.map((s) => quotes[s]).find((q) => q?.source === "replay") ?? null;
  const replayed = snap?.prices === "replay";
  const close = usePositionClose({ csrfToken, live, showToast, refresh });
  const closing = close.closing;
  const closingPosition = closing ? live.find((p) => p.symbol === closing.symbol) ?? null : null;
  // The position whose journal note is being written, under the table.
  const [noting, setNoting] = useState<string | null>(null);

  return (
    <div class="positions" data-testid="positions">
      <div class="positions-head">
        <h2 class="section-title" id="positions-summary-title">Account</h2>
        {replayed && (
          <ReplayLabel
            id="positions-replay"
            date={replayDay(replayQuote)}
            testId="replay-badge"
            note={REPLAY_NOTE}
          />
        )}
        {status === "reconnecting" && symbols.length > 0 && (
          <span class="positions-conn" role="status">Live prices interrupted, reconnecting…</span>
        )}
      </div>

      <SummaryCards account={account} totals={totals} failed={load.state === "error"} />

      <section class="positions-card glass" aria-labelledby="positions-title">
        <div class="positions-head">
          <h2 id="positions-title" class="positions-title">Open positions</h2>
          <span class="muted positions-note">Prices in USD · quantities in shares</span>
        </div>
        {load.state === "loading" && !snap
          ? <p class="state state--loading" role="status">Loading positions…</p>
          : load.state === "error" && !snap
          ? (
            <p class="state state--error" role="alert">
              Could not load positions: {load.message}{" "}
              <button type="button" class="positions-btn" onClick={() => refresh()}>
                Try again
              </button>
            </p>
          )
          : live.length === 0 && options.length === 0
          ? (
            <p class="state positions-empty" data-testid="positions-empty">
              No open positions — <a href="/execute">place a trade on Execute Trade</a>.
            </p>
          )
          : live.length === 0
          ? <p class="state">No stock positions.</p>
          : (
            <div class="positions-scroll" tabIndex={0} role="region" aria-label="Positions table">
              <table class="positions-table" data-testid="positions-table">
                <thead>
                  <tr>
                    <th scope="col">Symbol</th>
                    <th scope="col">Side</th>
                    <th scope="col" class="positions-num">Qty (sh)</th>
                    <th scope="col" class="positions-num">Avg entry</th>
                    <th scope="col" class="positions-num">Last</th>
                    <th scope="col" class="positions-num">Market value</th>
                    <th scope="col" class="positions-num">Cost basis</th>
                    <th scope="col" class="positions-num">Unrealized P&amp;L</th>
                    <th scope="col" class="positions-num">Today</th>
                    <th scope="col" class="positions-action">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {live.map((p) => (
                    <PositionRow
                      key={p.symbol}
                      p={p}
                      confirming={closing?.symbol === p.symbol}
                      noting={noting === p.symbol}
                      onClose={() => close.open(p.symbol)}
                      onNote={() => setNoting(p.symbol)}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        {closing && closingPosition && (
          <CloseDialog
            position={closingPosition}
            form={closing.form}
            error={closing.error}
            sending={close.sending}
            onChange={close.change}
            onConfirm={close.confirm}
            onCancel={close.cancel}
          />
        )}
        {noting && (
          <div id={NOTE_FORM_ID} class="journal-inline">
            <LazyNoteForm
              key={noting}
              csrfToken={csrfToken}
              link={{ symbol: noting }}
              title={`Journal note on the ${noting} position`}
              idPrefix={NOTE_FORM_ID}
              onSaved={() => {
                showToast("success", `Note on ${noting} saved to the journal.`);
                setNoting(null);
              }}
              onCancel={() => setNoting(null)}
            />
          </div>
        )}
        {load.state === "error" && snap && (
          <p class="positions-stale" role="status">Refresh failed: {load.message}</p>
        )}
      </section>
      {options.length > 0 && (
        <OptionPositions
          options={options}
          csrfToken={csrfToken}
          showToast={showToast}
          refresh={refresh}
        />
      )}
      <Toast toast={toast} onClose={clearToast} />
    </div>
  );
}
