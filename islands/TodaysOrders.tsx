import { useEffect, useRef, useState } from "preact/hooks";
import type { Order } from "../lib/broker/types.ts";
import { formatMarketTime } from "../lib/screens/format.ts";
import { symbolHref } from "../lib/screens/search_nav.ts";
import { Toast, useToast } from "../lib/screens/toast.tsx";
import {
  cancelable,
  formatShares,
  formatUsd,
  orderPriceTerms,
  orderSize,
  orderTypeLabel,
  readOrders,
  startOfMarketDay,
  statusLabel,
  statusTone,
} from "../lib/screens/trading.ts";
import { callApi, ORDER_PLACED_EVENT } from "../lib/screens/trading_fetch.ts";

interface TodaysOrdersProps {
  csrfToken: string;
  /** Today's orders as the server rendered them; null to load them here. */
  initial?: Order[] | null;
}

const POLL_MS = 10_000;

type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready" };

/**
 * Today's orders (since midnight New York), newest first, with a Cancel for those still open.
 * Refreshes when the ticket places an order, and every 10 s while any order is open so fills
 * and expiries show up without a reload.
 */
export default function TodaysOrders({ csrfToken, initial = null }: TodaysOrdersProps) {
  const [orders, setOrders] = useState<Order[]>(initial ?? []);
  const [load, setLoad] = useState<Load>(initial ? { state: "ready" } : { state: "loading" });
  const [confirming, setConfirming] = useState<string | null>(null);
  const [canceling, setCanceling] = useState<string | null>(null);
  const [toast, showToast, clearToast] = useToast();
  const seq = useRef(0);

  async function refresh() {
    const n = ++seq.current;
    const after = encodeURIComponent(startOfMarketDay(new Date()));
    const res = await callApi<unknown>(`/api/orders?status=all&after=${after}&limit=200`);
    // A slower, older answer must not overwrite a newer one.
    if (n !== seq.current) return;
    if (!res.ok) {
      setLoad({ state: "error", message: res.problem.message });
      return;
    }
    const list = readOrders(res.data);
    if (!list) {
      setLoad({ state: "error", message: "The order list came back in an unexpected form." });
      return;
    }
    list.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    setOrders(list);
    setLoad({ state: "ready" });
  }

  useEffect(() => {
    if (!initial) refresh();
    const onPlaced = () => refresh();
    globalThis.addEventListener(ORDER_PLACED_EVENT, onPlaced);
    return () => globalThis.removeEventListener(ORDER_PLACED_EVENT, onPlaced);
  }, []);

  const anyOpen = orders.some((o) => cancelable(o.status) || o.status === "pending_cancel");
  useEffect(() => {
    if (!anyOpen) return;
    const timer = setInterval(() => {
      if (document.visibilityState !== "hidden") refresh();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [anyOpen]);

  async function cancel(order: Order) {
    if (canceling) return;
    setCanceling(order.id);
    const res = await callApi<unknown>(`/api/orders/${encodeURIComponent(order.id)}`, {
      method: "DELETE",
      csrfToken,
    });
    setCanceling(null);
    setConfirming(null);
    if (res.ok) showToast("success", `Canceled the order to ${order.side} ${orderSize(order)}.`);
    else showToast("error", res.problem.message);
    await refresh();
  }

  return (
    <section class="orders glass" aria-labelledby="orders-title" data-testid="todays-orders">
      <div class="orders-head">
        <h2 id="orders-title" class="orders-title">Today's orders</h2>
        <span class="muted orders-note">Since midnight New York time · times in New York</span>
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
                  <th scope="col">Type</th>
                  <th scope="col">Price terms</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="orders-num">Filled @ avg (USD)</th>
                  <th scope="col" class="orders-action">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {orders.map((o) => (
                  <tr key={o.id} data-testid={`order-row-${o.id}`} data-status={o.status}>
                    <td class="num">{formatMarketTime(o.createdAt)}</td>
                    <td>
                      <a href={symbolHref(o.symbol)}>{o.symbol}</a>
                    </td>
                    <td class={`orders-side orders-side--${o.side}`}>
                      {o.side === "buy" ? "Buy" : "Sell"}
                    </td>
                    <td class="num orders-num">
                      {o.qty !== null
                        ? `${formatShares(o.qty)} sh`
                        : o.notional !== null
                        ? formatUsd(o.notional)
                        : "—"}
                    </td>
                    <td>
                      {orderTypeLabel(o.type)}{" "}
                      <span class="muted">{o.timeInForce === "day" ? "Day" : "GTC"}</span>
                    </td>
                    <td class="num">
                      {orderPriceTerms(o) || <span class="muted">at market</span>}
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
                        ? `${formatShares(o.filledQty)} @ ${formatUsd(o.filledAvgPrice)}`
                        : "—"}
                    </td>
                    <td class="orders-action">
                      {cancelable(o.status) && (
                        confirming === o.id
                          ? (
                            <span
                              class="orders-confirm"
                              role="group"
                              aria-label="Cancel this order?"
                            >
                              <span>Cancel it?</span>
                              <button
                                type="button"
                                class="orders-btn orders-btn--danger"
                                data-testid={`cancel-confirm-${o.id}`}
                                disabled={canceling === o.id}
                                onClick={() => cancel(o)}
                              >
                                {canceling === o.id ? "Canceling…" : "Yes, cancel"}
                              </button>
                              <button
                                type="button"
                                class="orders-btn"
                                disabled={canceling === o.id}
                                onClick={() =>
                                  setConfirming(null)}
                              >
                                Keep
                              </button>
                            </span>
                          )
                          : (
                            <button
                              type="button"
                              class="orders-btn"
                              data-testid={`cancel-${o.id}`}
                              aria-label={`Cancel order to ${o.side} ${orderSize(o)}`}
                              onClick={() => setConfirming(o.id)}
                            >
                              Cancel
                            </button>
                          )
                      )}
                    </td>
                  </tr>
                ))}
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
