import { useEffect, useState } from "preact/hooks";
import type {
  OptionChain as Chain,
  OptionContract,
  OptionExpirations,
} from "../lib/market/types.ts";
import { chainView } from "../lib/client/chain_rows.ts";
import {
  formatDate,
  formatFixed,
  formatFractionPercent,
  formatPrice,
  formatVolume,
} from "../lib/shared/format.ts";

interface OptionChainProps {
  symbol: string;
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

const SIDE_COLUMNS = ["Bid", "Ask", "Last", "Vol", "OI", "IV", "Δ", "Γ", "Θ/day", "Vega"];
const SIDE_TITLES: Record<string, string> = {
  "Vol": "Volume today",
  "OI": "Open interest",
  "IV": "Implied volatility",
  "Δ": "Delta",
  "Γ": "Gamma",
  "Θ/day": "Theta, per calendar day",
  "Vega": "Vega, per volatility point",
};

/**
 * Calls and puts for one expiration around the money, strike in the middle: prices, volume,
 * open interest, implied volatility and Greeks, in-the-money cells shaded. A native select picks
 * the expiration, so it is keyboard-accessible without extra code; the table is a real table.
 */
export default function OptionChain({ symbol, perSide = 8 }: OptionChainProps) {
  const enc = encodeURIComponent(symbol);
  const expirations = useJson<OptionExpirations>(`/api/options/expirations/${enc}`);
  const [picked, setPicked] = useState<string | null>(null);
  const list = expirations.state === "ready" ? expirations.data.expirations : [];
  const expiration = picked ?? list[0] ?? null;
  const chain = useJson<Chain>(
    expiration ? `/api/options/chain/${enc}?expiration=${encodeURIComponent(expiration)}` : null,
  );
  const id = `chain-${symbol}`;

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
      </div>
      <ChainBody symbol={symbol} expirations={expirations} chain={chain} perSide={perSide} />
    </section>
  );
}

function ChainBody(
  { symbol, expirations, chain, perSide }: {
    symbol: string;
    expirations: Load<OptionExpirations>;
    chain: Load<Chain>;
    perSide: number;
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
              <Cells option={row.call} itm={row.callItm} />
              <th scope="row" class="chain-strike">{formatPrice(row.strike)}</th>
              <Cells option={row.put} itm={row.putItm} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cells({ option, itm }: { option: OptionContract | null; itm: boolean }) {
  const g = option?.greeks ?? null;
  const values = option
    ? [
      formatPrice(option.bid),
      formatPrice(option.ask),
      formatPrice(option.last),
      formatVolume(option.volume),
      formatVolume(option.openInterest),
      formatFractionPercent(g?.iv),
      formatFixed(g?.delta, 3),
      formatFixed(g?.gamma, 4),
      formatFixed(g?.theta, 3),
      formatFixed(g?.vega, 3),
    ]
    : SIDE_COLUMNS.map(() => "");
  return (
    <>
      {values.map((v, i) => <td key={i} class={itm ? "chain-itm" : undefined}>{v}</td>)}
    </>
  );
}
