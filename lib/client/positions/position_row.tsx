/**
 * One row of Active Positions, with the Close button that opens the dialog under the table.
 * Focus comes back to that button when the dialog goes away.
 */
import { useEffect, useRef } from "preact/hooks";
import type { Position } from "../../broker/types.ts";
import { symbolHref } from "../../shared/search_nav.ts";
import {
  formatShares,
  formatSignedPercent,
  formatSignedUsd,
  formatUsd,
  tone,
} from "../../shared/money.ts";
import { CLOSE_DIALOG_ID } from "./close_dialog.tsx";

export default function PositionRow(
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
