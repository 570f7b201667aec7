import { useState } from "preact/hooks";
import type { Order } from "../lib/broker/types.ts";
import { Toast, useToast } from "../lib/client/toast.tsx";
import { orderSize } from "../lib/shared/order_labels.ts";
import { isOptionOrder, optionOrderSize } from "../lib/client/options/labels.ts";
import { callApi } from "../lib/client/trading_fetch.ts";
import { useTodaysOrders } from "../lib/client/todays_orders/use_todays_orders.ts";
import { useOrderEditor } from "../lib/client/todays_orders/use_order_editor.ts";
import OrderRow, { orderNoteId } from "../lib/client/todays_orders/order_row.tsx";
import LazyNoteForm from "../lib/client/journal/LazyNoteForm.tsx";
import OrderEditor from "../lib/client/todays_orders/order_editor.tsx";
import { ReplayLabel } from "../components/ReplayLabel.tsx";

interface TodaysOrdersProps {
  csrfToken: string;
  /** Today's orders as the server rendered them; null to load them here. */
  initial?: Order[] | null;
}

const FILLS_NOTE = "Orders here were filled on that simulated path.";

/**
 * Today's orders (since midnight New York), newest first, with a Cancel for those still open
 * and an Edit for working priced orders (an inline editor under the row that replaces the
 * order), and an Add note on every order (a journal entry on it, written under the row). Refreshes when the ticket places an order, and every 10 s while any order is open so
 * fills and expiries show up without a reload.
 */
export default function TodaysOrders({ csrfToken, initial = null }: TodaysOrdersProps) {
  const list = useTodaysOrders(initial);
  const { orders, load, refresh } = list;
  const [toast, showToast, clearToast] = useToast();
  const editor = useOrderEditor({ csrfToken, list, showToast });
  const editing = editor.editing;
  const [confirming, setConfirming] = useState<string | null>(null);
  const [canceling, setCanceling] = useState<string | null>(null);
  // The order whose journal note is being written, in the row under it.
  const [noting, setNoting] = useState<string | null>(null);
  // Fills against the replay are priced on its simulated intraday path.
  const replayFills = orders.some((o) => o.prices === "replay" && o.filledQty > 0);

  async function cancel(order: Order) {
    if (canceling) return;
    setCanceling(order.id);
    const res = await callApi<unknown>(`/api/orders/${encodeURIComponent(order.id)}`, {
      method: "DELETE",
      csrfToken,
    });
    setCanceling(null);
    setConfirming(null);
    const size = isOptionOrder(order) ? optionOrderSize(order) : orderSize(order);
    if (res.ok) showToast("success", `Canceled the order to ${order.side} ${size}.`);
    else showToast("error", res.problem.message);
    await refresh();
  }

  return (
    <section class="orders glass" aria-labelledby="orders-title" data-testid="todays-orders">
      <div class="orders-head">
        <h2 id="orders-title" class="orders-title">Today's orders</h2>
        <span class="muted orders-note">Since midnight New York time · times in New York</span>
        {replayFills && (
          <ReplayLabel id="orders-replay" note={FILLS_NOTE} testId="orders-replay-badge" />
        )}
        <button type="button" class="orders-refresh" onClick={() => refresh()}>Refresh</button>
      </div>
      {load.state === "loading" && orders.length === 0
        ? <p class="state state--loading" role="status">Loading today's orders…</p>
        : load.state === "error" && orders.length === 0
        ? <p class="state state--error" role="alert">Could not load orders: {load.message}</p>
        : orders.length === 0
        ? <p class="state orders-empty">No orders today. Orders you place above appear here.</p>
        : (
          <div class="orders-scroll" tabIndex={0} role="region" aria-label="Today's orders table">
            <table class="orders-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Symbol</th>
                  <th scope="col">Side</th>
                  <th scope="col" class="orders-num">Size</th>
                  <th scope="col">Order</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="orders-num">Filled @ avg (USD)</th>
                  <th scope="col" class="orders-action">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {orders.map((o) => [
                  <OrderRow
                    key={o.id}
                    order={o}
                    editing={editing?.id === o.id}
                    confirming={confirming === o.id}
                    canceling={canceling === o.id}
                    noting={noting === o.id}
                    onNote={() => setNoting(o.id)}
                    onEdit={() => {
                      setConfirming(null);
                      editor.open(o);
                    }}
                    onAskCancel={() => {
                      editor.drop();
                      setConfirming(o.id);
                    }}
                    onCancel={() => cancel(o)}
                    onKeep={() => setConfirming(null)}
                  />,
                  noting === o.id && (
                    <tr key={`${o.id}-note`} id={orderNoteId(o.id)} class="orders-edit-row">
                      <td colSpan={8}>
                        <LazyNoteForm
                          csrfToken={csrfToken}
                          link={{ orderId: o.id }}
                          title={`Journal note on the order to ${o.side} ${orderSize(o)}`}
                          idPrefix={orderNoteId(o.id)}
                          onSaved={() => {
                            showToast(
                              "success",
                              `Note on the ${o.symbol} order saved to the journal.`,
                            );
                            setNoting(null);
                          }}
                          onCancel={() =>
                            setNoting(null)}
                        />
                      </td>
                    </tr>
                  ),
                  editing?.id === o.id && (
                    <tr key={`${o.id}-edit`} class="orders-edit-row">
                      <td colSpan={8}>
                        <OrderEditor
                          order={o}
                          form={editing.form}
                          errors={editing.errors}
                          refusals={editing.refusals}
                          saving={editor.saving}
                          onInput={editor.input}
                          onSave={() => editor.save(o)}
                          onCancel={editor.close}
                        />
                      </td>
                    </tr>
                  ),
                ])}
              </tbody>
            </table>
          </div>
        )}
      {load.state === "error" && orders.length > 0 && (
        <p class="orders-stale" role="status">Refresh failed: {load.message}</p>
      )}
      <Toast toast={toast} onClose={clearToast} testId="orders-toast" />
    </section>
  );
}
