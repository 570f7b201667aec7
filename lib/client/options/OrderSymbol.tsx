/**
 * The symbol cell of an order in Today's orders: a stock's ticker, an option's contract in
 * words (linked to its underlying's page), or a multi-leg order's underlying with its legs,
 * each with what it filled.
 */
import type { Order } from "../../broker/types.ts";
import { formatShares, formatUsd } from "../../shared/money.ts";
import { parseOcc } from "../../shared/occ.ts";
import { symbolHref } from "../../shared/search_nav.ts";
import { contractLabel, legLabel } from "./labels.ts";

export function OrderSymbol({ order: o }: { order: Order }) {
  const contract = parseOcc(o.symbol);
  const underlying = contract?.underlying ?? o.symbol;
  const legs = o.legs ?? [];
  return (
    <>
      <a href={symbolHref(underlying)} title={contract ? o.symbol : undefined}>
        {contract ? contractLabel(contract) : o.symbol}
      </a>
      {legs.length > 0 && (
        <ul class="orders-legs" data-testid={`order-legs-${o.id}`}>
          {legs.map((l) => (
            <li key={l.symbol}>
              {legLabel(l)}
              {l.filledQty > 0 && (
                <span class="muted">
                  {` · ${formatShares(l.filledQty)} @ ${formatUsd(l.filledAvgPrice)}`}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The size column of an option order: contracts, or units of a multi-leg order. */
export function optionSizeText(o: Pick<Order, "qty" | "orderClass">): string {
  const q = formatShares(o.qty);
  return o.orderClass === "mleg" ? `${q} × legs` : `${q} ct`;
}
