import { useEffect, useState } from "preact/hooks";
import type { OptionChain as Chain, OptionExpirations } from "../lib/market/types.ts";
import { chainView } from "../lib/client/chain_rows.ts";
import { type ChainTrading, useChainTrading } from "../lib/client/options/use_chain_trading.ts";
import { Cells, SIDE_COLUMNS, SIDE_TITLES } from "../lib/client/options/chain_cells.tsx";
import { formatDate, formatPrice } from "../lib/shared/format.ts";

interface OptionChainProps {
  symbol: string;
  /** Signed-in pages pass it: bids and asks then open the option ticket. */
  csrfToken?: string;
  /** Strikes shown on each side of the money. */
  perSide?: number;
}

type Load<T> =
  | { state: "loading" }
  | { state: "error"; message: string }
  | { state: "ready"; data: T };

async function getJson<T>(url: string, signal: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal });
  const body = await res.json();
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body as T;
}

/** Loads `url` whenever `deps` change; null `url` means nothing to load yet. */
function useJson<T>(url: string | null): Load<T> {
  const [load, setLoad] = useState<Load<T>>({ state: "loading" });
  useEffect(() => {
    if (!url) return;
    const ctl = new AbortController();
    setLoad({ state: "loading" });
    getJson<T>(url, ctl.signal)
      .then((data) => setLoad({ state: "ready", data }))
      .catch((err) => {
        if (!ctl.signal.aborted) setLoad({ state: "error", message: (err as Error).message });
      });
    return () => ctl.abort();
  }, [url]);
  return load;
}

/**
 * Calls and puts for one expiration around the money, strike in the middle: prices, volume,
 * open interest, implied volatility and Greeks, in-the-money cells shaded. A native select picks
 * the expiration, so it is keyboard-accessible without extra code; the table is a real table.
 * With a CSRF token each bid and ask is a button: the ask buys, the bid sells, in a ticket
 * that loads on the first click; "+ leg" collects several contracts for one multi-leg order.
 */
export default function OptionChain({ symbol, csrfToken, perSide = 8 }: OptionChainProps) {
  const enc = encodeURIComponent(symbol);
  const expirations = useJson<OptionExpirations>(`/api/options/expirations/${enc}`);
  const [picked, setPicked] = useState<string | null>(null);
  const list = expirations.state === "ready" ? expirations.data.expirations : [];
  const expiration = picked ?? list[0] ?? null;
  const chain = useJson<Chain>(
    expiration ? `/api/options/chain/${enc}?expiration=${encodeURIComponent(expiration)}` : null,
  );
  const id = `chain-${symbol}`;
  const trading = useChainTrading();
  const canTrade = csrfToken !== undefined;
  const { mod, ticket } = trading;

  return (
    <section class="option-chain glass" aria-labelledby={`${id}-title`} data-testid="option-chain">
      <div class="chain-toolbar">
        <h2 id={`${id}-title`}>Option chain</h2>
        {expirations.state === "ready" && list.length > 0 && (
          <label class="chain-picker">
            <span>Expiration</span>
            <select
              value={expiration ?? ""}
              onChange={(e) => setPicked((e.currentTarget as HTMLSelectElement).value)}
            >
              {list.map((d) => <option key={d} value={d}>{formatDate(d)}</option>)}
            </select>
          </label>
        )}
        {chain.state === "ready" && (
          <p class="chain-meta">
            Underlying {formatPrice(chain.data.underlyingPrice)}
            {chain.data.source === "replay" && (
              <span class="badge badge--replay" title="Priced with Black-Scholes from history">
                Replay · modelled
              </span>
            )}
          </p>
        )}
        {canTrade && <span class="muted chain-hint">Click an ask to buy, a bid to sell.</span>}
        {canTrade && (
          <button
            type="button"
            class="ticket-secondary"
            aria-pressed={trading.legMode}
            data-testid="chain-leg-mode"
            onClick={trading.toggleLegMode}
          >
            + leg
          </button>
        )}
      </div>
      {trading.legMode && mod && (
        <mod.PickedLegs
          legs={trading.picked}
          note={trading.note}
          onReview={trading.reviewPicked}
          onClear={trading.clearPicked}
        />
      )}
      <ChainBody
        symbol={symbol}
        expirations={expirations}
        chain={chain}
        perSide={perSide}
        trading={canTrade ? trading : null}
      />
      {trading.failed && (
        <p class="state state--error" role="alert">The order ticket could not load; reload.</p>
      )}
      {ticket && mod && csrfToken !== undefined && (
        <mod.OptionTicket
          key={ticket.n}
          csrfToken={csrfToken}
          legs={ticket.legs}
          origin="From the chain."
          onClose={trading.closeTicket}
        />
      )}
    </section>
  );
}

function ChainBody(
  { symbol, expirations, chain, perSide, trading }: {
    symbol: string;
    expirations: Load<OptionExpirations>;
    chain: Load<Chain>;
    perSide: number;
    trading: ChainTrading | null;
  },
) {
  if (expirations.state === "error") {
    return (
      <p class="state state--error" role="alert">No options for {symbol}: {expirations.message}</p>
    );
  }
  if (expirations.state === "ready" && expirations.data.expirations.length === 0) {
    return <p class="state">{symbol} has no listed options.</p>;
  }
  if (chain.state === "error") {
    return <p class="state state--error" role="alert">The chain did not load: {chain.message}</p>;
  }
  if (expirations.state === "loading" || chain.state === "loading") {
    return <p class="state state--loading" role="status">Loading option chain…</p>;
  }
  const view = chainView(chain.data, perSide);
  if (view.rows.length === 0) return <p class="state">No contracts for this expiration.</p>;
  return (
    // Focusable so keyboard users can scroll a table wider than its pane.
    <div class="chain-scroll" tabIndex={0} role="region" aria-label="Option chain table">
      <table class="chain-table">
        <caption class="sr-only">
          Calls on the left, puts on the right, strike in the middle. Shaded cells are in the money.
          Showing {view.rows.length} of {view.total} strikes.
        </caption>
        <thead>
          <tr>
            <th colSpan={SIDE_COLUMNS.length} scope="colgroup" class="chain-side">Calls</th>
            <th rowSpan={2} scope="col" class="chain-strike">Strike</th>
            <th colSpan={SIDE_COLUMNS.length} scope="colgroup" class="chain-side">Puts</th>
          </tr>
          <tr>
            {[...SIDE_COLUMNS, ...SIDE_COLUMNS].map((c, i) => (
              <th key={i} scope="col" title={SIDE_TITLES[c]}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.rows.map((row, i) => (
            <tr key={row.strike} class={i === view.atm ? "chain-atm" : undefined}>
              <Cells option={row.call} itm={row.callItm} trading={trading} />
              <th scope="row" class="chain-strike">{formatPrice(row.strike)}</th>
              <Cells option={row.put} itm={row.putItm} trading={trading} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
