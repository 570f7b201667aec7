import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Account, Position } from "../lib/broker/types.ts";
import { formatDate } from "../lib/shared/format.ts";
import {
  type CloseForm,
  type CloseMode,
  closePlanQuestion,
  estimateText,
  FULL_CLOSE,
  planClose,
} from "../lib/client/position_close.ts";
import { useLiveQuotes, useStreamStatus } from "../lib/client/quote_hub.ts";
import { symbolHref } from "../lib/shared/search_nav.ts";
import { Toast, useToast } from "../lib/client/toast.tsx";
import { replayDay } from "../lib/shared/market_day.ts";
import {
  formatShares,
  formatSignedPercent,
  formatSignedUsd,
  formatUsd,
  tone,
} from "../lib/shared/money.ts";
import { placedMessage } from "../lib/shared/order_labels.ts";
import { type PortfolioTotals, portfolioTotals } from "../lib/broker/totals.ts";
import { liveAccount, remark } from "../lib/client/portfolio.ts";
import {
  type PortfolioSnapshot,
  readAccount,
  readPlaced,
  readPositions,
} from "../lib/client/trading_api.ts";
import { callApi, ORDER_PLACED_EVENT } from "../lib/client/trading_fetch.ts";

interface PositionsTableProps {
  csrfToken: string;
  /** What the server rendered with; null to load it here. */
  initial?: PortfolioSnapshot | null;
}

const REFRESH_MS = 30_000;

type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready" };

/** The open close dialog: which position, how much of it, and the key its order goes under. */
interface Closing {
  symbol: string;
  /** Made when the dialog opened: a retry of this confirmation can never sell twice. */
  key: string;
  form: CloseForm;
  error: string | null;
}

/**
 * The account's summary cards and open positions, re-marked live from the quote stream
 * (market value = qty × last, P&L = market value − cost basis, here in the browser), with a
 * Close on every row that asks first (all of it, or part: shares or a percentage, with what it
 * comes to at the last price) and sends one closing market order per confirmation.
 */
export default function PositionsTable({ csrfToken, initial = null }: PositionsTableProps) {
  const [snap, setSnap] = useState<PortfolioSnapshot | null>(initial);
  const [load, setLoad] = useState<Load>(initial ? { state: "ready" } : { state: "loading" });
  const [closing, setClosing] = useState<Closing | null>(null);
  const [sending, setSending] = useState(false);
  const inFlight = useRef(false);
  const seq = useRef(0);
  const [toast, showToast, clearToast] = useToast();

  const served = snap?.positions ?? [];
  const symbols = served.map((p) => p.symbol).sort();
  const quotes = useLiveQuotes(symbols);
  const status = useStreamStatus();
  const live = served.map((p) => remark(p, quotes[p.symbol]?.last));
  const totals = portfolioTotals(live);
  const account = snap ? liveAccount(snap.account, served, live) : null;
  const replayQuote = symbols.map((s) => quotes[s]).find((q) => q?.source === "replay") ?? null;
  const replayed = snap?.prices === "replay";
  const closingPosition = closing ? live.find((p) => p.symbol === closing.symbol) ?? null : null;

  async function refresh() {
    const n = ++seq.current;
    const [portfolio, positions] = await Promise.all([
      callApi<unknown>("/api/portfolio"),
      callApi<unknown>("/api/positions"),
    ]);
    if (n !== seq.current) return;
    if (!portfolio.ok || !positions.ok) {
      const problem = !portfolio.ok ? portfolio.problem : !positions.ok ? positions.problem : null;
      setLoad({ state: "error", message: problem?.message ?? "Request failed." });
      return;
    }
    const acct = readAccount(portfolio.data);
    const list = readPositions(positions.data);
    if (!acct || !list) {
      setLoad({ state: "error", message: "The portfolio came back in an unexpected form." });
      return;
    }
    list.positions.sort((a, b) => a.symbol.localeCompare(b.symbol));
    setSnap({
      account: acct,
      positions: list.positions,
      prices: list.prices as PortfolioSnapshot["prices"],
      source: acct.source,
    });
    setLoad({ state: "ready" });
  }

  useEffect(() => {
    if (!initial) refresh();
    const onPlaced = () => refresh();
    globalThis.addEventListener(ORDER_PLACED_EVENT, onPlaced);
    // Resting orders fill on their own: look again now and then while the page is visible.
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") refresh();
    }, REFRESH_MS);
    return () => {
      globalThis.removeEventListener(ORDER_PLACED_EVENT, onPlaced);
      clearInterval(timer);
    };
  }, []);

  async function confirmClose() {
    if (!closing || inFlight.current) return;
    const position = live.find((p) => p.symbol === closing.symbol);
    if (!position) return;
    const planned = planClose(position, closing.form);
    if (!planned.ok) {
      setClosing({ ...closing, error: planned.message });
      return;
    }
    inFlight.current = true;
    setSending(true);
    const { symbol, key } = closing;
    const res = await callApi<unknown>(
      `/api/positions/${encodeURIComponent(symbol)}${planned.plan.query}`,
      { method: "DELETE", csrfToken, idempotencyKey: key },
    );
    inFlight.current = false;
    setSending(false);
    if (res.ok) {
      setClosing(null);
      const placed = readPlaced({ placed: true, ...(res.data as object) });
      const msg = placed
        ? placedMessage(placed.order, placed.duplicate)
        : { kind: "info" as const, text: `Closing order for ${symbol} sent.` };
      showToast(msg.kind, msg.text);
      await refresh();
      return;
    }
    const p = res.problem;
    const definite = p.status >= 400 && p.status < 500;
    const refused = p.checks.filter((c) => !c.ok && c.severity === "refuse").map((c) => c.message);
    const message = [p.message, ...refused].join(" ") +
      (definite ? "" : " Nothing is known to have been sold: Confirm tries again safely.");
    setClosing((c) =>
      c && c.symbol === symbol
        ? {
          ...c,
          error: message,
          // A 4xx placed nothing, so a corrected choice is a new order. After a network error
          // or a 5xx the dialog keeps its key, so Confirm again cannot sell twice.
          key: definite ? crypto.randomUUID() : c.key,
        }
        : c
    );
    if (definite) {
      // The position may be gone (404) or smaller than the screen thought: look again. A gone
      // position takes its dialog with it, so the toast says what happened.
      if (p.status === 404) showToast("error", p.message);
      await refresh();
    }
  }

  return (
    <div class="positions" data-testid="positions">
      <div class="positions-head">
        <h2 class="section-title" id="positions-summary-title">Account</h2>
        {replayed && (
          <span class="badge badge--replay" data-testid="replay-badge">
            Replay{replayDay(replayQuote) ? ` · ${formatDate(replayDay(replayQuote)!)}` : ""}
          </span>
        )}
        {status === "reconnecting" && symbols.length > 0 && (
          <span class="positions-conn" role="status">Live prices interrupted, reconnecting…</span>
        )}
      </div>

      <SummaryCards account={account} totals={totals} load={load} />

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
          : live.length === 0
          ? (
            <p class="state positions-empty" data-testid="positions-empty">
              No open positions — <a href="/execute">place a trade on Execute Trade</a>.
            </p>
          )
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
                      onClose={() =>
                        setClosing({
                          symbol: p.symbol,
                          key: crypto.randomUUID(),
                          form: FULL_CLOSE,
                          error: null,
                        })}
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
            sending={sending}
            onChange={(form) => setClosing((c) => (c ? { ...c, form, error: null } : c))}
            onConfirm={confirmClose}
            onCancel={() => setClosing(null)}
          />
        )}
        {load.state === "error" && snap && (
          <p class="positions-stale" role="status">Refresh failed: {load.message}</p>
        )}
      </section>
      <Toast toast={toast} onClose={clearToast} />
    </div>
  );
}

function SummaryCards(
  { account, totals, load }: {
    account: Account | null;
    totals: PortfolioTotals;
    load: Load;
  },
) {
  const ready = account !== null;
  const v = (text: string) => (ready ? text : load.state === "error" ? "—" : "…");
  const cards: { label: string; value: string; sub?: string; cls?: string; id: string }[] = [
    { id: "market-value", label: "Market value", value: v(formatUsd(totals.marketValue)) },
    { id: "cost-basis", label: "Cost basis", value: v(formatUsd(totals.costBasis)) },
    {
      id: "unrealized",
      label: "Unrealized P&L",
      value: v(formatSignedUsd(totals.unrealizedPl)),
      sub: ready ? formatSignedPercent(totals.unrealizedPlPercent) : undefined,
      cls: tone(totals.unrealizedPl),
    },
    {
      id: "day",
      label: "Day change",
      value: v(formatSignedUsd(account?.dayPl)),
      sub: ready && account?.dayPlPercent !== null && account?.dayPlPercent !== undefined
        ? formatSignedPercent(account.dayPlPercent)
        : undefined,
      cls: tone(account?.dayPl),
    },
    { id: "cash", label: "Cash", value: v(formatUsd(account?.cash)) },
    { id: "buying-power", label: "Buying power", value: v(formatUsd(account?.buyingPower)) },
    { id: "equity", label: "Equity", value: v(formatUsd(account?.equity)) },
  ];
  return (
    <ul class="positions-cards" data-testid="summary-cards" aria-label="Account summary, USD">
      {cards.map((c) => (
        <li key={c.id} class="positions-summary glass" data-testid={`summary-${c.id}`}>
          <span class="positions-summary-label">{c.label}</span>
          <span class={`positions-summary-value num ${c.cls ?? ""}`}>{c.value}</span>
          {c.sub && <span class={`positions-summary-sub num ${c.cls ?? ""}`}>{c.sub}</span>}
        </li>
      ))}
    </ul>
  );
}

function PositionRow(
  { p, confirming, onClose }: { p: Position; confirming: boolean; onClose(): void },
) {
  const closeRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    // Back to the row's button when its dialog goes away, so keyboard users keep their place.
    if (!confirming && wasConfirming.current) closeRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  return (
    <tr
      data-testid={`position-row-${p.symbol}`}
      class={confirming ? "positions-row--closing" : undefined}
    >
      <th scope="row">
        <a href={symbolHref(p.symbol)}>{p.symbol}</a>
      </th>
      <td class={`positions-side positions-side--${p.side}`}>
        {p.side === "long" ? "Long" : "Short"}
      </td>
      <td class="num positions-num">{formatShares(p.qty)}</td>
      <td class="num positions-num">{formatUsd(p.avgEntryPrice)}</td>
      <td class="num positions-num" data-testid={`last-${p.symbol}`}>
        {formatUsd(p.currentPrice)}
      </td>
      <td class="num positions-num">{formatUsd(p.marketValue)}</td>
      <td class="num positions-num">{formatUsd(p.costBasis)}</td>
      <td class={`num positions-num ${tone(p.unrealizedPl)}`} data-testid={`pl-${p.symbol}`}>
        {formatSignedUsd(p.unrealizedPl)}
        <span class="positions-sub">{formatSignedPercent(p.unrealizedPlPercent)}</span>
      </td>
      <td class={`num positions-num ${tone(p.dayPl)}`}>
        {formatSignedUsd(p.dayPl)}
        <span class="positions-sub">{formatSignedPercent(p.changeToday)}</span>
      </td>
      <td class="positions-action">
        <button
          ref={closeRef}
          type="button"
          class="positions-btn"
          data-testid={`close-${p.symbol}`}
          aria-expanded={confirming}
          aria-controls={confirming ? CLOSE_DIALOG_ID : undefined}
          aria-label={`Close ${p.symbol} position`}
          disabled={confirming}
          onClick={onClose}
        >
          Close
        </button>
      </td>
    </tr>
  );
}

const CLOSE_DIALOG_ID = "positions-close-dialog";

const CLOSE_MODES: { mode: CloseMode; label: string }[] = [
  { mode: "all", label: "All of it" },
  { mode: "shares", label: "Shares" },
  { mode: "percent", label: "Percent" },
];

/**
 * "Sell 1 of 3 AAPL at market?" under the table (not inside it, so a sideways-scrolled table
 * never hides it), with the choice of all or part and what that comes to at the last price.
 * Focus starts on Cancel, the harmless choice; Escape cancels; Enter in the amount confirms.
 */
function CloseDialog(
  { position, form, error, sending, onChange, onConfirm, onCancel }: {
    position: Position;
    form: CloseForm;
    error: string | null;
    sending: boolean;
    onChange(form: CloseForm): void;
    onConfirm(): void;
    onCancel(): void;
  },
) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  useEffect(() => cancelRef.current?.focus(), [position.symbol]);
  useEffect(() => {
    // Confirm was disabled while sending, which drops focus: a refused part goes back to its
    // amount, anything else to Cancel, the harmless choice.
    if (!error) return;
    if (form.mode !== "all") amountRef.current?.focus();
    else cancelRef.current?.focus();
  }, [error]);

  const planned = planClose(position, form);
  const held = formatShares(Math.abs(position.qty));
  const amountId = `${CLOSE_DIALOG_ID}-amount`;
  const describedBy = [
    `${CLOSE_DIALOG_ID}-d`,
    `${CLOSE_DIALOG_ID}-est`,
    error ? `${CLOSE_DIALOG_ID}-error` : "",
  ].filter(Boolean).join(" ");

  function onKeyDown(e: JSX.TargetedKeyboardEvent<HTMLDivElement>) {
    if (e.key === "Escape" && !sending) {
      e.preventDefault();
      onCancel();
    }
  }

  return (
    <div
      id={CLOSE_DIALOG_ID}
      class="positions-confirm"
      role="alertdialog"
      aria-labelledby={`${CLOSE_DIALOG_ID}-q`}
      aria-describedby={describedBy}
      data-testid="close-dialog"
      onKeyDown={onKeyDown}
    >
      <strong id={`${CLOSE_DIALOG_ID}-q`} data-testid="close-question">
        {planned.ok
          ? closePlanQuestion(position, planned.plan)
          : `Close part of ${held} ${position.symbol}?`}
      </strong>
      <span id={`${CLOSE_DIALOG_ID}-d`} class="muted">
        One market order; it waits for the open if the market is closed.
      </span>
      <div class="positions-close-choice">
        <fieldset class="positions-close-modes" disabled={sending}>
          <legend class="positions-close-legend">How much</legend>
          {CLOSE_MODES.map((m) => (
            <label key={m.mode} class="positions-close-mode">
              <input
                type="radio"
                name={`${CLOSE_DIALOG_ID}-mode`}
                value={m.mode}
                checked={form.mode === m.mode}
                data-testid={`close-mode-${m.mode}`}
                onChange={() => onChange({ ...form, mode: m.mode })}
              />
              {m.mode === "all" ? `${m.label} (${held} sh)` : m.label}
            </label>
          ))}
        </fieldset>
        {form.mode !== "all" && (
          <span class="positions-close-amount">
            <label for={amountId}>
              {form.mode === "shares" ? `Shares to close (of ${held})` : "Percent to close"}
            </label>
            <input
              ref={amountRef}
              id={amountId}
              inputMode="decimal"
              autocomplete="off"
              placeholder={form.mode === "shares" ? "e.g. 1" : "e.g. 50"}
              value={form.mode === "shares" ? form.shares : form.percent}
              data-testid="close-amount"
              readOnly={sending}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${CLOSE_DIALOG_ID}-error` : undefined}
              onInput={(e) =>
                onChange(
                  form.mode === "shares"
                    ? { ...form, shares: e.currentTarget.value }
                    : { ...form, percent: e.currentTarget.value },
                )}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  onConfirm();
                }
              }}
            />
            {form.mode === "percent" && <span aria-hidden="true">%</span>}
          </span>
        )}
      </div>
      <span
        id={`${CLOSE_DIALOG_ID}-est`}
        class="positions-close-estimate num"
        data-testid="close-estimate"
      >
        {planned.ok
          ? estimateText(position, planned.plan)
          : (form.mode === "shares" ? form.shares : form.percent).trim()
          ? planned.message
          : "Enter how much to close."}
      </span>
      {error && (
        <p
          id={`${CLOSE_DIALOG_ID}-error`}
          class="positions-close-error"
          role="alert"
          data-testid="close-error"
        >
          {error}
        </p>
      )}
      <span class="positions-confirm-buttons">
        <button
          type="button"
          class="positions-btn positions-btn--danger"
          data-testid="close-confirm"
          disabled={sending}
          aria-busy={sending}
          onClick={onConfirm}
        >
          {sending ? "Sending…" : "Confirm"}
        </button>
        <button
          ref={cancelRef}
          type="button"
          class="positions-btn"
          disabled={sending}
          onClick={onCancel}
        >
          Cancel
        </button>
      </span>
    </div>
  );
}
