/**
 * The inline editor of Today's orders: one order at a time, the replace it sends (under a key
 * made when the editor opened, so a retried Save can never replace twice), and where focus goes
 * when the editor closes: back to the order's Edit button, or its successor's.
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Order } from "../../broker/types.ts";
import {
  applyReplaced,
  buildReplace,
  type EditErrors,
  editErrorsFromProblem,
  type EditField,
  type EditForm,
  editFormFor,
  readReplaced,
  replacedMessage,
} from "../order_edit.ts";
import type { ToastKind } from "../toast.tsx";
import { callApi } from "../trading_fetch.ts";
import { editButtonId } from "./order_editor.tsx";
import type { TodaysOrders } from "./use_todays_orders.ts";

/** The open editor. */
export interface Editing {
  id: string;
  form: EditForm;
  errors: EditErrors;
  /** Refused saves so far: each one sends focus to the first field in error. */
  refusals: number;
  /** Made when the editor opened: a retried Save can never replace twice. */
  key: string;
}

export interface OrderEditor {
  editing: Editing | null;
  saving: boolean;
  open(order: Order): void;
  close(): void;
  /** Drops the editor without moving focus (another action on the row took over). */
  drop(): void;
  input(field: EditField, value: string): void;
  save(order: Order): Promise<void>;
}

interface Options {
  csrfToken: string;
  list: TodaysOrders;
  showToast(kind: ToastKind, text: string): void;
}

export function useOrderEditor({ csrfToken, list, showToast }: Options): OrderEditor {
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const focusAfter = useRef<string | null>(null);

  // Focus moves in the same commit that removes the editor, so it is never left on the page body.
  useLayoutEffect(() => {
    // Focus goes back once the editor is gone and the list shows what it did.
    if (!focusAfter.current) return;
    const el = document.getElementById(editButtonId(focusAfter.current));
    if (el || !editing) focusAfter.current = null;
    el?.focus();
  }, [editing, list.orders]);

  function open(order: Order) {
    setEditing({
      id: order.id,
      form: editFormFor(order),
      errors: {},
      refusals: 0,
      key: crypto.randomUUID(),
    });
  }

  function close() {
    if (savingRef.current || !editing) return;
    focusAfter.current = editing.id;
    setEditing(null);
  }

  function input(field: EditField, value: string) {
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
      list.supersede();
      list.setOrders((orders) => applyReplaced(orders, order.id, next));
      focusAfter.current = next.id;
      setEditing(null);
      showToast("success", replacedMessage(next));
      await list.refresh();
      return;
    }
    if (res.ok) {
      // Replaced, but the answer is unreadable: the list from the server will show the result.
      focusAfter.current = order.id;
      setEditing(null);
      showToast("info", "The order was changed; reloading the list.");
      await list.refresh();
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
    if (p.status === 409 || p.status === 404) await list.refresh();
  }

  return { editing, saving, open, close, drop: () => setEditing(null), input, save };
}
