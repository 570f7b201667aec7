import type { JSX } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Order } from "../lib/broker/types.ts";
import { formatMarketTime } from "../lib/shared/format.ts";
import {
  applyReplaced,
  buildReplace,
  editable,
  type EditErrors,
  editErrorsFromProblem,
  type EditField,
  editFields,
  type EditForm,
  editFormFor,
  editLabel,
  filledNote,
  readReplaced,
  replacedMessage,
} from "../lib/client/order_edit.ts";
import { symbolHref } from "../lib/shared/search_nav.ts";
import { Toast, useToast } from "../lib/client/toast.tsx";
import { startOfMarketDay } from "../lib/shared/market_day.ts";
import { formatShares, formatUsd } from "../lib/shared/money.ts";
import {
  cancelable,
  orderPriceTerms,
  orderSize,
  statusLabel,
  statusTone,
} from "../lib/shared/order_labels.ts";
import { orderTypeLabel } from "../lib/shared/ticket.ts";
import { readOrders } from "../lib/client/trading_api.ts";
import { callApi, ORDER_PLACED_EVENT } from "../lib/client/trading_fetch.ts";

interface TodaysOrdersProps {
  csrfToken: string;
  /** Today's orders as the server rendered them; null to load them here. */
  initial?: Order[] | null;
}

const POLL_MS = 10_000;

type Load = { state: "loading" } | { state: "error"; message: string } | { state: "ready" };

/** The open editor: one order at a time, with the key its replace is sent under. */
interface Editing {
  id: string;
  form: EditForm;
  errors: EditErrors;
  /** Refused saves so far: each one sends focus to the first field in error. */
  refusals: number;
  /** Made when the editor opened: a retried Save can never replace twice. */
  key: string;
}

/** The button that opened an editor, so focus can go back to it (or to its successor's). */
const editButtonId = (orderId: string) => `order-edit-btn-${orderId}`;

/**
 * Today's orders (since midnight New York), newest first, with a Cancel for those still open
 * and an Edit for working priced orders (an inline editor under the row that replaces the
 * order). Refreshes when the ticket places an order, and every 10 s while any order is open so
 * fills and expiries show up without a reload.
 */
export default function TodaysOrders({ csrfToken, initial = null }: TodaysOrdersProps) {
  const [orders, setOrders] = useState<Order[]>(initial ?? []);
  const [load, setLoad] = useState<Load>(initial ? { state: "ready" } : { state: "loading" });
  const [confirming, setConfirming] = useState<string | null>(null);
  const [canceling, setCanceling] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const focusAfter = useRef<string | null>(null);
  const [toast, showToast, clearToast] = useToast();
  const seq = useRef(0);

  // Focus moves in the same commit that removes the editor, so it is never left on the page body.
  useLayoutEffect(() => {
    // Focus goes back once the editor is gone and the list shows what it did.
    if (!focusAfter.current) return;
    const el = document.getElementById(editButtonId(focusAfter.current));
    if (el || !editing) focusAfter.current = null;
    el?.focus();
  }, [editing, orders]);

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

  function openEditor(order: Order) {
    setConfirming(null);
    setEditing({
      id: order.id,
      form: editFormFor(order),
      errors: {},
      refusals: 0,
      key: crypto.randomUUID(),
    });
  }

  function closeEditor() {
    if (savingRef.current || !editing) return;
    focusAfter.current = editing.id;
    setEditing(null);
  }

  function editField(field: EditField, value: string) {
    setEditing((e) => {
      if (!e) return e;
      const errors = { ...e.errors };
      delete errors[field];
      delete errors.form;
      return { ...e, form: { ...e.form, [field]: value }, errors };
    });
  }

  async function save(order: Order) {
    if (!editing || savingRef.current) return;
    const built = buildReplace(order, editing.form);
    if (!built.ok) {
      setEditing({ ...editing, errors: built.errors, refusals: editing.refusals + 1 });
      return;
    }
    savingRef.current = true;
    setSaving(true);
    const res = await callApi<unknown>(`/api/orders/${encodeURIComponent(order.id)}`, {
      method: "PATCH",
      csrfToken,
      body: { ...built.body, clientOrderId: editing.key },
    });
    savingRef.current = false;
    setSaving(false);
    const next = res.ok ? readReplaced(res.data) : null;
    if (res.ok && next) {
      // A poll already under way must not bring back the list from before the replace.
      seq.current++;
      setOrders((list) => applyReplaced(list, order.id, next));
      focusAfter.current = next.id;
      setEditing(null);
      showToast("success", replacedMessage(next));
      await refresh();
      return;
    }
    if (res.ok) {
      // Replaced, but the answer is unreadable: the list from the server will show the result.
      focusAfter.current = order.id;
      setEditing(null);
      showToast("info", "The order was changed; reloading the list.");
      await refresh();
      return;
    }
    const p = res.problem;
    const refused = p.checks.filter((c) => !c.ok && c.severity === "refuse").map((c) => c.message);
    const fromFields = p.status === 400 ? editErrorsFromProblem(p.fieldErrors) : {};
    const errors: EditErrors = { ...fromFields, form: [p.message, ...refused].join(" ") };
    setEditing((e) =>
      e && e.id === order.id
        ? {
          ...e,
          errors,
          refusals: e.refusals + 1,
          // A 4xx placed nothing, so a corrected Save is a new request. After a network error
          // or a 5xx the same key goes again and cannot replace twice.
          key: p.status >= 400 && p.status < 500 ? crypto.randomUUID() : e.key,
        }
        : e
    );
    // A wrong state (filled, canceled meanwhile) shows in the list too.
    if (p.status === 409 || p.status === 404) await refresh();
  }

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
                {orders.map((o) => [
                  <tr
                    key={o.id}
                    data-testid={`order-row-${o.id}`}
                    data-status={o.status}
                    class={editing?.id === o.id ? "orders-row--editing" : undefined}
                  >
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
                      {editable(o) && confirming !== o.id && (
                        <button
                          type="button"
                          id={editButtonId(o.id)}
                          class="orders-btn"
                          data-testid={`edit-${o.id}`}
                          aria-label={editLabel(o)}
                          aria-expanded={editing?.id === o.id}
                          aria-controls={editing?.id === o.id ? editorId(o.id) : undefined}
                          disabled={editing?.id === o.id}
                          onClick={() => openEditor(o)}
                        >
                          Edit
                        </button>
                      )}
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
                                onClick={() => setConfirming(null)}
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
                              onClick={() => {
                                setEditing(null);
                                setConfirming(o.id);
                              }}
                            >
                              Cancel
                            </button>
                          )
                      )}
                    </td>
                  </tr>,
                  editing?.id === o.id && (
                    <tr key={`${o.id}-edit`} class="orders-edit-row">
                      <td colSpan={9}>
                        <OrderEditor
                          order={o}
                          form={editing.form}
                          errors={editing.errors}
                          refusals={editing.refusals}
                          saving={saving}
                          onInput={editField}
                          onSave={() => save(o)}
                          onCancel={closeEditor}
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

const editorId = (orderId: string) => `order-editor-${orderId}`;

/**
 * The inline editor under an order's row. Focus moves into its first field when it opens;
 * Enter saves (it is a form), Escape closes it. Only the fields the order's type has are shown.
 * While saving, fields are read-only and the buttons aria-disabled rather than disabled, so
 * the focused control keeps focus when the answer comes back.
 */
function OrderEditor(
  { order, form, errors, refusals, saving, onInput, onSave, onCancel }: {
    order: Order;
    form: EditForm;
    errors: EditErrors;
    refusals: number;
    saving: boolean;
    onInput(field: EditField, value: string): void;
    onSave(): void;
    onCancel(): void;
  },
) {
  const formRef = useRef<HTMLFormElement>(null);
  const fields = editFields(order);
  const id = editorId(order.id);
  const note = filledNote(order);

  useLayoutEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>("input")?.focus();
  }, [order.id]);

  useLayoutEffect(() => {
    // After a refused Save the first field in error is where to look next (a message about the
    // whole order is announced where focus already is).
    if (refusals > 0) formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }, [refusals]);

  function onKeyDown(e: JSX.TargetedKeyboardEvent<HTMLFormElement>) {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    }
  }

  function onSubmit(e: JSX.TargetedEvent<HTMLFormElement>) {
    e.preventDefault();
    onSave();
  }

  const input = (field: EditField, label: string, testId: string, hint?: string | null) => {
    const fid = `${id}-${field}`;
    const err = errors[field];
    const described = [err ? `${fid}-error` : "", hint ? `${fid}-hint` : ""].filter(Boolean);
    return (
      <div class={`orders-edit-field${err ? " orders-edit-field--error" : ""}`}>
        <label class="orders-edit-label" for={fid}>{label}</label>
        <input
          id={fid}
          inputMode="decimal"
          autocomplete="off"
          value={form[field]}
          data-testid={testId}
          readOnly={saving}
          aria-invalid={err ? true : undefined}
          aria-describedby={described.length ? described.join(" ") : undefined}
          onInput={(e) => onInput(field, e.currentTarget.value)}
        />
        {hint && <span id={`${fid}-hint`} class="orders-edit-hint">{hint}</span>}
        {err && <span id={`${fid}-error`} class="orders-edit-error">{err}</span>}
      </div>
    );
  };

  return (
    <form
      ref={formRef}
      id={id}
      class="orders-edit"
      aria-label={editLabel(order)}
      data-testid="order-editor"
      noValidate
      onKeyDown={onKeyDown}
      onSubmit={onSubmit}
    >
      {input("qty", "Quantity (shares)", "edit-qty", note)}
      {fields.stop && input("stopPrice", "Stop price (USD)", "edit-stop")}
      {fields.limit && input("limitPrice", "Limit price (USD)", "edit-limit")}
      {fields.trail &&
        input("trail", fields.trail === "percent" ? "Trail (%)" : "Trail (USD)", "edit-trail")}
      <div class="orders-edit-field">
        <label class="orders-edit-label" for={`${id}-tif`}>Time in force</label>
        <select
          id={`${id}-tif`}
          value={form.timeInForce}
          data-testid="edit-tif"
          disabled={saving}
          onChange={(e) => onInput("timeInForce", e.currentTarget.value)}
        >
          <option value="day">Day</option>
          <option value="gtc">Good till canceled</option>
        </select>
      </div>
      <div class="orders-edit-actions">
        <button
          type="submit"
          class="orders-btn orders-btn--primary"
          data-testid="edit-save"
          aria-disabled={saving}
          aria-busy={saving}
        >
          {saving ? "Saving…" : "Save"}
        </button>
        <button
          type="button"
          class="orders-btn"
          data-testid="edit-cancel"
          aria-label="Cancel editing"
          aria-disabled={saving}
          onClick={onCancel}
        >
          Cancel
        </button>
      </div>
      {errors.form && (
        <p class="orders-edit-problem" role="alert" data-testid="edit-error">{errors.form}</p>
      )}
    </form>
  );
}
