/**
 * One row of Active Positions, with the Add note button (the journal form under the table) and
 * the Close button that opens the dialog under the table. Focus comes back to the button when
 * what it opened goes away.
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

/** The id of the journal note form under the positions table. */
export const NOTE_FORM_ID = "positions-note";

/** Focus back on `ref` when `open` turns false, so keyboard users keep their place. */
function useRefocus(open: boolean) {
  const ref = useRef<HTMLButtonElement>(null);
  const was = useRef(false);
  useEffect(() => {
    if (!open && was.current) ref.current?.focus();
    was.current = open;
  }, [open]);
  return ref;
}

export default function PositionRow(
  { p, confirming, noting, onClose, onNote }: {
    p: Position;
    confirming: boolean;
    /** Its journal note form is open. */
    noting: boolean;
    onClose(): void;
    onNote(): void;
  },
) {
  const closeRef = useRefocus(confirming);
  const noteRef = useRefocus(noting);

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
          ref={noteRef}
          type="button"
          class="positions-btn journal-note-btn"
          data-testid={`note-${p.symbol}`}
          aria-expanded={noting}
          aria-controls={noting ? NOTE_FORM_ID : undefined}
          aria-label={`Add a journal note on the ${p.symbol} position`}
          disabled={noting}
          onClick={onNote}
        >
          Add note
        </button>
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
