/**
 * One side (call or put) of a chain row: bid, ask, last, volume, open interest, IV and Greeks.
 * When the page can trade, the bid and ask are buttons that open the option ticket.
 */
import type { OptionContract } from "../../market/types.ts";
import {
  formatFixed,
  formatFractionPercent,
  formatPrice,
  formatVolume,
  MISSING,
} from "../../shared/format.ts";
import type { ChainTrading } from "./use_chain_trading.ts";

export const SIDE_COLUMNS = ["Bid", "Ask", "Last", "Vol", "OI", "IV", "Δ", "Γ", "Θ/day", "Vega"];
export const SIDE_TITLES: Record<string, string> = {
  "Vol": "Volume today",
  "OI": "Open interest",
  "IV": "Implied volatility",
  "Δ": "Delta",
  "Γ": "Gamma",
  "Θ/day": "Theta, per calendar day",
  "Vega": "Vega, per volatility point",
};

export function Cells(
  { option, itm, trading }: {
    option: OptionContract | null;
    itm: boolean;
    trading: ChainTrading | null;
  },
) {
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
      {values.map((v, i) => (
        <td key={i} class={itm ? "chain-itm" : undefined}>
          {option && trading && i < 2 && v !== MISSING
            ? <QuoteButton option={option} which={i === 0 ? "bid" : "ask"} trading={trading} />
            : v}
        </td>
      ))}
    </>
  );
}

/** A bid or an ask as a button: the ask buys, the bid sells (Enter works as on any button). */
function QuoteButton(
  { option: o, which, trading }: {
    option: OptionContract;
    which: "bid" | "ask";
    trading: ChainTrading;
  },
) {
  const side = which === "ask" ? "buy" : "sell";
  const picked = trading.legMode &&
    trading.picked.some((l) => l.symbol === o.symbol && l.side === side);
  const what = `${o.underlying} ${o.strike} ${o.type} ${o.expiration}`;
  return (
    <button
      type="button"
      class={`chain-quote chain-quote--${side}`}
      data-testid={`chain-${which}-${o.symbol}`}
      aria-pressed={trading.legMode ? picked : undefined}
      aria-label={`${trading.legMode ? "Leg: " : ""}${side} ${what} at the ${which}, ${
        formatPrice(o[which])
      }`}
      onClick={() => trading.quote(o, which)}
    >
      {formatPrice(o[which])}
    </button>
  );
}
