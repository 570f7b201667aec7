import { useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";
import { parseNumber } from "../lib/client/settings/form.ts";

interface ResetResult {
  startingCash: number;
  equityBefore: number;
  canceledOrders: number;
  closedPositions: number;
}

const usd = (n: number) =>
  n.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2 });

/** Starting the paper account over, after typing RESET; says what it did. */
export default function ResetAccount(
  { startingCash, csrfToken }: { startingCash: number; csrfToken: string },
) {
  const [cash, setCash] = useState(String(startingCash));
  const [typed, setTyped] = useState("");
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const res = await callApi<ResetResult>("/api/portfolio/reset", {
      method: "POST",
      body: { confirm: typed, startingCash: parseNumber(cash) },
      csrfToken,
    });
    setBusy(false);
    if (!res.ok) return setMessage({ error: true, text: res.problem.message });
    const r = res.data;
    setTyped("");
    setMessage({
      error: false,
      text: `Reset: ${usd(r.equityBefore)} became ${usd(r.startingCash)}; ${r.canceledOrders} ` +
        `open order(s) cancelled, ${r.closedPositions} position(s) closed out of the books. ` +
        "Past orders and fills stay in the history.",
    });
  };

  return (
    <form class="danger-zone" onSubmit={submit} data-testid="reset-account">
      <p>
        Start the paper account over: open orders are cancelled, positions leave the books and cash
        becomes the starting cash. Analytics count the reset as money moved, not as a loss or a
        gain.
      </p>
      <label class="settings-field">
        <span>Starting cash (USD)</span>
        <input inputMode="decimal" value={cash} onInput={(e) => setCash(e.currentTarget.value)} />
      </label>
      <label class="settings-field">
        <span>
          Type <strong>RESET</strong> to confirm
        </span>
        <input
          value={typed}
          autocomplete="off"
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
      </label>
      <button type="submit" class="button button--danger" disabled={busy || typed !== "RESET"}>
        Reset the paper account
      </button>
      {message && (
        <p class={message.error ? "form-error" : "muted"} role={message.error ? "alert" : "status"}>
          {message.text}
        </p>
      )}
    </form>
  );
}
