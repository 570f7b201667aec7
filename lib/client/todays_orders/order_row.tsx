/**
 * One order in Today's orders: when, what, its status and fills, and its actions: Add note (a
 * journal entry on the order, in the row below), Edit for a working priced order, Cancel (asked
 * twice) for one still open.
 */
import type { Order } from "../../broker/types.ts";
import { formatMarketTime } from "../../shared/format_time.ts";
import { formatShares, formatUsd } from "../../shared/money.ts";
import {
  cancelable,
  orderPriceTerms,
  orderSize,
  statusLabel,
  statusTone,
} from "../../shared/order_labels.ts";
import { symbolHref } from "../../shared/search_nav.ts";
import { orderTypeLabel } from "../../shared/ticket.ts";
import { editable, editLabel } from "../order_edit.ts";
import { isOptionOrder, optionOrderSize } from "../options/labels.ts";
import { optionSizeText, OrderSymbol } from "../options/OrderSymbol.tsx";
import { editButtonId, editorId } from "./order_editor.tsx";

/** The id of an order's journal note form (the row under it). */
export const orderNoteId = (id: string) => `order-note-${id}`;

interface OrderRowProps {
  order: Order;
  /** Its editor is open (the row below). */
  editing: boolean;
  /** Its Cancel is asking "Cancel it?". */
  confirming: boolean;
  canceling: boolean;
  /** Its journal note form is open (the row below). */
  noting: boolean;
  onNote(): void;
  onEdit(): void;
  onAskCancel(): void;
  onCancel(): void;
  onKeep(): void;
}

export default function OrderRow(
  {
    order: o,
    editing,
    confirming,
    canceling,
    noting,
    onNote,
    onEdit,
    onAskCancel,
    onCancel,
    onKeep,
  }: OrderRowProps,
) {
  // Option orders are canceled and placed again rather than edited in place.
  const option = isOptionOrder(o);
  return (
    <tr
      data-testid={`order-row-${o.id}`}
      data-status={o.status}
      class={editing ? "orders-row--editing" : undefined}
    >
      <td class="num">{formatMarketTime(o.createdAt)}</td>
      <td>
        {option ? <OrderSymbol order={o} /> : <a href={symbolHref(o.symbol)}>{o.symbol}</a>}
      </td>
      <td class={`orders-side orders-side--${o.side}`}>
        {o.side === "buy" ? "Buy" : "Sell"}
      </td>
      <td class="num orders-num">
        {option
          ? optionSizeText(o)
          : o.qty !== null
          ? `${formatShares(o.qty)} sh`
          : o.notional !== null
          ? formatUsd(o.notional)
          : "—"}
      </td>
      {
        /* Type and price terms share a column, so the fill price fits beside the actions in the
          split view's narrower pane. */
      }
      <td class="orders-terms">
        {orderTypeLabel(o.type)}{" "}
        <span class="muted">{o.timeInForce === "day" ? "Day" : "GTC"}</span>
        <span class="orders-terms-price num">
          {o.orderClass === "mleg" && o.limitPrice !== null
            ? `net ${o.side === "buy" ? "debit" : "credit"} ${formatUsd(o.limitPrice)}`
            : orderPriceTerms(o) || "at market"}
        </span>
      </td>
      <td>
        <span
          class={`orders-status orders-status--${statusTone(o.status)}`}
          title={o.reason ?? undefined}
        >
          {statusLabel(o.status)}
        </span>
      </td>
      <td class="num orders-num">
        {o.filledQty > 0
          ? `${formatShares(o.filledQty)}${option ? " ct" : ""} @ ${formatUsd(o.filledAvgPrice)}`
          : "—"}
      </td>
      <td class="orders-action">
        {/* Wraps onto two lines rather than cover the status and the fill in a narrow pane. */}
        <div class="orders-actions">
          {!confirming && (
            <button
              type="button"
              class="orders-btn journal-note-btn"
              data-testid={`note-${o.id}`}
              aria-label={`Add a journal note on the order to ${o.side} ${
                option ? optionOrderSize(o) : orderSize(o)
              }`}
              aria-expanded={noting}
              aria-controls={noting ? orderNoteId(o.id) : undefined}
              disabled={noting}
              onClick={onNote}
            >
              Add note
            </button>
          )}
          {editable(o) && !option && !confirming && (
            <button
              type="button"
              id={editButtonId(o.id)}
              class="orders-btn"
              data-testid={`edit-${o.id}`}
              aria-label={editLabel(o)}
              aria-expanded={editing}
              aria-controls={editing ? editorId(o.id) : undefined}
              disabled={editing}
              onClick={onEdit}
            >
              Edit
            </button>
          )}
          {cancelable(o.status) && (
            confirming
              ? (
                <span class="orders-confirm" role="group" aria-label="Cancel this order?">
                  <span>Cancel it?</span>
                  <button
                    type="button"
                    class="orders-btn orders-btn--danger"
                    data-testid={`cancel-confirm-${o.id}`}
                    disabled={canceling}
                    onClick={onCancel}
                  >
                    {canceling ? "Canceling…" : "Yes, cancel"}
                  </button>
                  <button type="button" class="orders-btn" disabled={canceling} onClick={onKeep}>
                    Keep
                  </button>
                </span>
              )
              : (
                <button
                  type="button"
                  class="orders-btn"
                  data-testid={`cancel-${o.id}`}
                  aria-label={`Cancel order to ${o.side} ${
                    option ? optionOrderSize(o) : orderSize(o)
                  }`}
                  onClick={onAskCancel}
                >
                  Cancel
                </button>
              )
          )}
        </div>
      </td>
    </tr>
  );
}
