/**
 * Today's orders (since midnight New York), newest first: loaded when the page has none, again
 * whenever the ticket places an order, and every 10 s while any order is open so fills and
 * expiries show up without a reload.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { StateUpdater } from "preact/hooks";
import type { Order } from "../../broker/types.ts";
import { startOfMarketDay } from "../../shared/market_day.ts";
import { cancelable } from "../../shared/order_labels.ts";
import type { Load } from "../load_state.ts";
import { readOrders } from "../trading_api.ts";
import { callApi, ORDER_PLACED_EVENT } from "../trading_fetch.ts";

const POLL_MS = 10_000;

export interface TodaysOrders {
  orders: Order[];
  setOrders(update: StateUpdater<Order[]>): void;
  load: Load;
  refresh(): Promise<void>;
  /** After a local change: an answer already on its way must not bring back the old list. */
  supersede(): void;
}

export function useTodaysOrders(initial: Order[] | null): TodaysOrders {
  const [orders, setOrders] = useState<Order[]>(initial ?? []);
  const [load, setLoad] = useState<Load>(initial ? { state: "ready" } : { state: "loading" });
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

  return {
    orders,
    setOrders,
    load,
    refresh,
    supersede: () => {
      seq.current++;
    },
  };
}
