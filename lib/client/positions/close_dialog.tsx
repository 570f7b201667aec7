import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Position } from "../../broker/types.ts";
import { formatShares } from "../../shared/money.ts";
import {
  type CloseForm,
  type CloseMode,
  closePlanQuestion,
  estimateText,
  planClose,
} from "../position_close.ts";

export const CLOSE_DIALOG_ID = "positions-close-dialog";

const CLOSE_MODES: { mode: CloseMode; label: string }[] = [
  { mode: "all", label: "All of it" },
  { mode: "shares", label: "Shares" },
  { mode: "percent", label: "Percent" },
];

/**
 * "Sell 1 of 3 AAPL at market?" under the table (not inside it, so a sideways-scrolled table
 * never hides it), with the choice of all or part and what that comes to at the last price.
 * Focus starts on Cancel, the harmless choice; Escape cancels; Enter in the amount confirms.
 */
export default function CloseDialog(
  { position, form, error, sending, onChange, onConfirm, onCancel }: {
    position: Position;
    form: CloseForm;
    error: string | null;
    sending: boolean;
    onChange(form: CloseForm): void;
    onConfirm(): void;
    onCancel(): void;
  },
) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  useEffect(() => cancelRef.current?.focus(), [position.symbol]);
  useEffect(() => {
    // Confirm was disabled while sending, which drops focus: a refused part goes back to its
    // amount, anything else to Cancel, the harmless choice.
    if (!error) return;
    if (form.mode !== "all") amountRef.current?.focus();
    else cancelRef.current?.focus();
  }, [error]);

  const planned = planClose(position, form);
  const held = formatShares(Math.abs(position.qty));
  const amountId = `${CLOSE_DIALOG_ID}-amount`;
  const describedBy = [
    `${CLOSE_DIALOG_ID}-d`,
    `${CLOSE_DIALOG_ID}-est`,
    error ? `${CLOSE_DIALOG_ID}-error` : "",
  ].filter(Boolean).join(" ");

  function onKeyDown(e: JSX.TargetedKeyboardEvent<HTMLDivElement>) {
    if (e.key === "Escape" && !sending) {
      e.preventDefault();
      onCancel();
    }
  }

  return (
    <div
      id={CLOSE_DIALOG_ID}
      class="positions-confirm"
      role="alertdialog"
      aria-labelledby={`${CLOSE_DIALOG_ID}-q`}
      aria-describedby={describedBy}
      data-testid="close-dialog"
      onKeyDown={onKeyDown}
    >
      <strong id={`${CLOSE_DIALOG_ID}-q`} data-testid="close-question">
        {planned.ok
          ? closePlanQuestion(position, planned.plan)
          : `Close part of ${held} ${position.symbol}?`}
      </strong>
      <span id={`${CLOSE_DIALOG_ID}-d`} class="muted">
        One market order; it waits for the open if the market is closed.
      </span>
      <div class="positions-close-choice">
        <fieldset class="positions-close-modes" disabled={sending}>
          <legend class="positions-close-legend">How much</legend>
          {CLOSE_MODES.map((m) => (
            <label key={m.mode} class="positions-close-mode">
              <input
                type="radio"
                name={`${CLOSE_DIALOG_ID}-mode`}
                value={m.mode}
                checked={form.mode === m.mode}
                data-testid={`close-mode-${m.mode}`}
                onChange={() => onChange({ ...form, mode: m.mode })}
              />
              {m.mode === "all" ? `${m.label} (${held} sh)` : m.label}
            </label>
          ))}
        </fieldset>
        {form.mode !== "all" && (
          <span class="positions-close-amount">
            <label for={amountId}>
              {form.mode === "shares" ? `Shares to close (of ${held})` : "Percent to close"}
            </label>
            <input
              ref={amountRef}
              id={amountId}
              inputMode="decimal"
              autocomplete="off"
              placeholder={form.mode === "shares" ? "e.g. 1" : "e.g. 50"}
              value={form.mode === "shares" ? form.shares : form.percent}
              data-testid="close-amount"
              readOnly={sending}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${CLOSE_DIALOG_ID}-error` : undefined}
              onInput={(e) =>
                onChange(
                  form.mode === "shares"
                    ? { ...form, shares: e.currentTarget.value }
                    : { ...form, percent: e.currentTarget.value },
                )}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  onConfirm();
                }
              }}
            />
            {form.mode === "percent" && <span aria-hidden="true">%</span>}
          </span>
        )}
      </div>
      <span
        id={`${CLOSE_DIALOG_ID}-est`}
        class="positions-close-estimate num"
        data-testid="close-estimate"
      >
        {planned.ok
          ? estimateText(position, planned.plan)
          : (form.mode === "shares" ? form.shares : form.percent).trim()
          ? planned.message
          : "Enter how much to close."}
      </span>
      {error && (
        <p
          id={`${CLOSE_DIALOG_ID}-error`}
          class="positions-close-error"
          role="alert"
          data-testid="close-error"
        >
          {error}
        </p>
      )}
      <span class="positions-confirm-buttons">
        <button
          type="button"
          class="positions-btn positions-btn--danger"
          data-testid="close-confirm"
          disabled={sending}
          aria-busy={sending}
          onClick={onConfirm}
        >
          {sending ? "Sending…" : "Confirm"}
        </button>
        <button
          ref={cancelRef}
          type="button"
          class="positions-btn"
          disabled={sending}
          onClick={onCancel}
        >
          Cancel
        </button>
      </span>
    </div>
  );
}
