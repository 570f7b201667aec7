import { useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";

interface Approval {
  approvalMode: "every_order" | "auto_within_limits";
  autoApproveMaxOrderValue: number;
  autoApproveMaxDailyValue: number;
}

/**
 * How proposals are approved: each by you (the default), or automatically when the order's
 * estimated value and the session's auto-approved total stay within two limits (USD). The kill
 * switch overrides auto-approval; the analyst's own proposals always wait for you.
 */
export default function ApprovalSettings(
  { initial, csrfToken }: { initial: Approval; csrfToken: string },
) {
  const [mode, setMode] = useState(initial.approvalMode);
  const [perOrder, setPerOrder] = useState(String(initial.autoApproveMaxOrderValue));
  const [perDay, setPerDay] = useState(String(initial.autoApproveMaxDailyValue));
  const [status, setStatus] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    const body = {
      approvalMode: mode,
      autoApproveMaxOrderValue: Number(perOrder),
      autoApproveMaxDailyValue: Number(perDay),
    };
    setBusy(true);
    const res = await callApi("/api/settings", { method: "PATCH", body, csrfToken });
    setBusy(false);
    setStatus(
      res.ok ? { error: false, text: "Saved." } : {
        error: true,
        text: [res.problem.message, ...res.problem.issues.map((i) => `${i.path}: ${i.message}`)]
          .join(" "),
      },
    );
  };

  const limit = (label: string, value: string, set: (v: string) => void, name: string) => (
    <label class="settings-field">
      <span>
        {label} <span class="muted">(USD)</span>
      </span>
      <input
        name={name}
        inputMode="decimal"
        value={value}
        disabled={mode !== "auto_within_limits"}
        onInput={(e) => set(e.currentTarget.value)}
      />
    </label>
  );

  return (
    <form class="settings-form" onSubmit={save} data-testid="approval-settings">
      <fieldset>
        <legend>Approvals</legend>
        <div class="settings-choice" role="radiogroup" aria-label="Approval mode">
          <label>
            <input
              type="radio"
              name="approvalMode"
              checked={mode === "every_order"}
              onChange={() => setMode("every_order")}
            />{" "}
            Every order needs my approval
          </label>
          <label>
            <input
              type="radio"
              name="approvalMode"
              checked={mode === "auto_within_limits"}
              onChange={() => setMode("auto_within_limits")}
            />{" "}
            Auto-approve proposals within these limits
          </label>
        </div>
        {limit("Largest auto-approved order", perOrder, setPerOrder, "autoApproveMaxOrderValue")}
        {limit("Most auto-approved per day", perDay, setPerDay, "autoApproveMaxDailyValue")}
        <small class="muted">
          The kill switch stops auto-approval; what the analyst proposes always waits for you.
        </small>
      </fieldset>
      <div class="settings-actions">
        <button type="submit" class="button" disabled={busy}>Save approvals</button>
        {status && (
          <span
            class={status.error ? "form-error" : "muted"}
            role={status.error ? "alert" : "status"}
          >
            {status.text}
          </span>
        )}
      </div>
    </form>
  );
}
