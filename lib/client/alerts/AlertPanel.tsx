import { useEffect, useState } from "preact/hooks";
import { useLiveQuotes } from "../quote_hub.ts";
import { callApi } from "../trading_fetch.ts";
import {
  alertBody,
  CONDITION_CHOICES,
  type ConditionChoice,
  defaultLevel,
  EXPIRY_CHOICES,
  type ExpiryChoice,
  expiryFor,
} from "./form.ts";

interface AlertView {
  id: number;
  symbol: string;
  status: "active" | "paused" | "expired";
  armed: boolean;
  firedCount: number;
  lastFiredAt: string | null;
  expiresAt: string | null;
  description: string;
}

/**
 * Price alerts for one symbol: set one (a level 1 % beyond the price to start from), and see,
 * pause or delete the ones there are. They fire on the server, page open or not.
 */
export default function AlertPanel({ symbol, csrfToken }: { symbol: string; csrfToken: string }) {
  const quotes = useLiveQuotes([symbol]);
  const last = quotes[symbol]?.last ?? null;
  const [condition, setCondition] = useState<ConditionChoice>("price_above");
  const [level, setLevel] = useState("");
  const [rearm, setRearm] = useState<"margin" | "session">("margin");
  const [expiry, setExpiry] = useState<ExpiryChoice>("never");
  const [alerts, setAlerts] = useState<AlertView[] | null>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const res = await callApi<{ alerts: AlertView[] }>("/api/alerts");
    if (res.ok) setAlerts(res.data.alerts.filter((a) => a.symbol === symbol));
    else setMessage({ error: true, text: res.problem.message });
  };
  useEffect(() => void load(), [symbol]);
  // The first level follows the price until the user types one.
  useEffect(() => {
    if (level === "" && last !== null) setLevel(String(defaultLevel(condition, last)));
  }, [last]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const built = alertBody(symbol, condition, level, rearm, expiryFor(expiry, Date.now()));
    if (!built.ok) return setMessage({ error: true, text: built.message });
    setBusy(true);
    const res = await callApi<{ alert: AlertView; now: { alreadyMet: boolean | null } | null }>(
      "/api/alerts",
      { method: "POST", body: built.body, csrfToken },
    );
    setBusy(false);
    if (!res.ok) return setMessage({ error: true, text: res.problem.message });
    setMessage({
      error: false,
      text: res.data.now?.alreadyMet
        ? `Set: ${res.data.alert.description}. The condition already holds, so it fires now.`
        : `Set: ${res.data.alert.description}.`,
    });
    await load();
  };

  const change = async (a: AlertView, action: "pause" | "resume" | "delete") => {
    const res = action === "delete"
      ? await callApi(`/api/alerts/${a.id}`, { method: "DELETE", csrfToken })
      : await callApi(`/api/alerts/${a.id}`, {
        method: "PATCH",
        body: { status: action === "pause" ? "paused" : "active" },
        csrfToken,
      });
    if (!res.ok) setMessage({ error: true, text: res.problem.message });
    await load();
  };

  const unit = CONDITION_CHOICES.find((c) => c.value === condition)?.unit ?? "";
  return (
    <section class="glass alert-form" aria-labelledby="alerts-title" data-testid="alert-form">
      <h2 id="alerts-title">Alerts</h2>
      <form class="alert-form__row" onSubmit={submit}>
        <label>
          <span class="sr-only">Condition</span>
          <select
            value={condition}
            onChange={(e) => {
              const c = e.currentTarget.value as ConditionChoice;
              setCondition(c);
              setLevel(String(defaultLevel(c, last)));
            }}
          >
            {CONDITION_CHOICES.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        </label>
        <label>
          <span class="sr-only">Level</span>
          <input
            type="number"
            step="any"
            inputMode="decimal"
            value={level}
            onInput={(e) => setLevel(e.currentTarget.value)}
            data-testid="alert-level"
          />
        </label>
        <span class="muted">{unit}</span>
        <label>
          <span class="sr-only">Fires again</span>
          <select
            value={rearm}
            onChange={(e) => setRearm(e.currentTarget.value as "margin" | "session")}
          >
            <option value="margin">Again after it moves back 0.5 %</option>
            <option value="session">At most once a day</option>
          </select>
        </label>
        <label>
          <span class="sr-only">Lasts</span>
          <select
            value={expiry}
            onChange={(e) => setExpiry(e.currentTarget.value as ExpiryChoice)}
          >
            {EXPIRY_CHOICES.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        </label>
        <button type="submit" class="button" disabled={busy} data-testid="alert-submit">
          Set alert
        </button>
      </form>
      {message && (
        <p class={message.error ? "form-error" : "muted"} role={message.error ? "alert" : "status"}>
          {message.text}
        </p>
      )}
      {alerts?.length === 0 && <p class="muted">No alerts on {symbol}.</p>}
      {alerts && alerts.length > 0 && (
        <ul class="alert-list" data-testid="alert-list">
          {alerts.map((a) => (
            <li key={a.id}>
              <span>{a.description}</span>{" "}
              <span class={`badge badge--${a.status}`}>
                {a.status === "active"
                  ? (a.armed ? "armed" : "fired, waiting to re-arm")
                  : a.status}
              </span>
              {a.firedCount > 0 && <span class="muted">fired {a.firedCount}×</span>}
              {a.expiresAt && a.status !== "expired" && (
                <span class="muted">
                  until {new Date(a.expiresAt).toLocaleString("en-US", {
                    month: "short",
                    day: "numeric",
                    hour: "numeric",
                    minute: "2-digit",
                  })}
                </span>
              )}
              <button
                type="button"
                class="link-button"
                onClick={() => void change(a, a.status === "paused" ? "resume" : "pause")}
                disabled={a.status === "expired"}
              >
                {a.status === "paused" ? "Resume" : "Pause"}
              </button>
              <button
                type="button"
                class="link-button"
                aria-label={`Delete alert: ${a.description}`}
                onClick={() => void change(a, "delete")}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
