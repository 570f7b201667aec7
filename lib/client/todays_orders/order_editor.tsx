import type { JSX } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import type { Order } from "../../broker/types.ts";
import {
  type EditErrors,
  type EditField,
  editFields,
  type EditForm,
  editLabel,
  filledNote,
} from "../order_edit.ts";

/** The button that opened an editor, so focus can go back to it (or to its successor's). */
export const editButtonId = (orderId: string) => `order-edit-btn-${orderId}`;

export const editorId = (orderId: string) => `order-editor-${orderId}`;

/**
 * The inline editor under an order's row. Focus moves into its first field when it opens;
 * Enter saves (it is a form), Escape closes it. Only the fields the order's type has are shown.
 * While saving, fields are read-only and the buttons aria-disabled rather than disabled, so
 * the focused control keeps focus when the answer comes back.
 */
export default function OrderEditor(
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
