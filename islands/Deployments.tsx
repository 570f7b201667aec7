import { useEffect, useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";
import {
  type DeploymentView,
  lastText,
  limitsText,
  movesFor,
  performanceText,
  type PerformanceView,
  type StrategyChoice,
} from "../lib/client/deployments/view.ts";
import { formatUsd } from "../lib/shared/money.ts";
import {
  type SavedStrategy,
  STRATEGY_SAVED_EVENT,
  withSaved,
} from "../lib/client/strategies/saved_event.ts";

interface Props {
  /** The user's deployments, rendered on the server. */
  initial: DeploymentView[];
  strategies: StrategyChoice[];
  csrfToken: string;
}

const LABEL = { pause: "Pause", resume: "Resume", stop: "Stop" } as const;
const optional = (v: string) => (v.trim() === "" ? undefined : Number(v));

/**
 * Deployments: deploy a saved strategy version to the paper account with a capital allocation
 * and limits; each deployment with its status, its last evaluation, pause/resume/stop, and its
 * live performance beside the backtest over the same days (on demand).
 */
export default function Deployments({ initial, strategies: given, csrfToken }: Props) {
  const [items, setItems] = useState(initial);
  const [strategies, setStrategies] = useState(given);
  const [choice, setChoice] = useState(strategies[0] ? String(strategies[0].id) : "");
  const [version, setVersion] = useState(strategies[0] ? String(strategies[0].version) : "");
  const [capital, setCapital] = useState("10000");
  const [maxPositions, setMaxPositions] = useState("");
  const [maxOrderValue, setMaxOrderValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [perf, setPerf] = useState<Record<number, PerformanceView | string>>({});

  // The builder on the same page saved a version: list it and have it ready to deploy.
  useEffect(() => {
    const saved = (e: Event) => {
      const s = (e as CustomEvent<SavedStrategy>).detail;
      setStrategies((list) => withSaved(list, s));
      setChoice(String(s.id));
      setVersion(String(s.version));
    };
    addEventListener(STRATEGY_SAVED_EVENT, saved);
    return () => removeEventListener(STRATEGY_SAVED_EVENT, saved);
  }, []);

  const pick = (id: string) => {
    setChoice(id);
    const s = strategies.find((x) => String(x.id) === id);
    if (s) setVersion(String(s.version));
  };

  const deploy = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const res = await callApi<DeploymentView>("/api/deployments", {
      method: "POST",
      csrfToken,
      body: {
        strategyId: Number(choice),
        version: optional(version),
        capital: Number(capital),
        limits: { maxPositions: optional(maxPositions), maxOrderValue: optional(maxOrderValue) },
      },
    });
    setBusy(false);
    if (!res.ok) return setMessage({ error: true, text: res.problem.message });
    setItems((list) => [{ ...res.data, last: null }, ...list]);
    setMessage({
      error: false,
      text: `Deployed ${res.data.strategyName} v${res.data.strategyVersion}: it is evaluated ` +
        "after each session's close.",
    });
  };

  const move = async (d: DeploymentView, verb: "pause" | "resume" | "stop") => {
    setBusy(true);
    const res = await callApi<DeploymentView>(`/api/deployments/${d.id}/${verb}`, {
      method: "POST",
      csrfToken,
    });
    setBusy(false);
    if (!res.ok) return setMessage({ error: true, text: res.problem.message });
    setItems((list) => list.map((x) => x.id === d.id ? { ...res.data, last: x.last } : x));
    setMessage(null);
  };

  const performance = async (d: DeploymentView) => {
    setPerf((p) => ({ ...p, [d.id]: "Loading…" }));
    const res = await callApi<PerformanceView>(`/api/deployments/${d.id}/performance`);
    setPerf((p) => ({ ...p, [d.id]: res.ok ? res.data : res.problem.message }));
  };

  return (
    <div class="deployments" data-testid="deployments">
      {strategies.length === 0
        ? <p class="muted">Save a strategy first: a saved version can be deployed.</p>
        : (
          <form class="deploy-form" onSubmit={deploy}>
            <label>
              Strategy
              <select value={choice} onChange={(e) => pick(e.currentTarget.value)}>
                {strategies.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
              </select>
            </label>
            <label>
              Version
              <input
                type="number"
                min="1"
                step="1"
                value={version}
                onInput={(e) => setVersion(e.currentTarget.value)}
              />
            </label>
            <label>
              Capital (USD)
              <input
                type="number"
                min="100"
                step="100"
                required
                value={capital}
                onInput={(e) => setCapital(e.currentTarget.value)}
              />
            </label>
            <label>
              Max positions
              <input
                type="number"
                min="1"
                step="1"
                placeholder="rules'"
                value={maxPositions}
                onInput={(e) => setMaxPositions(e.currentTarget.value)}
              />
            </label>
            <label>
              Max per order (USD)
              <input
                type="number"
                min="1"
                placeholder="none"
                value={maxOrderValue}
                onInput={(e) => setMaxOrderValue(e.currentTarget.value)}
              />
            </label>
            <button type="submit" class="button button--small" disabled={busy || !choice}>
              Deploy
            </button>
          </form>
        )}
      {message && (
        <p class={message.error ? "form-error" : "muted"} role={message.error ? "alert" : "status"}>
          {message.text}
        </p>
      )}
      {items.length === 0
        ? <p class="muted" data-testid="deployments-empty">Nothing deployed yet.</p>
        : (
          <ul class="deployment-list">
            {items.map((d) => {
              const p = perf[d.id];
              const text = p && typeof p !== "string" ? performanceText(p) : null;
              return (
                <li key={d.id} class="deployment-item" data-testid="deployment-item">
                  <strong>{`${d.strategyName} v${d.strategyVersion}`}</strong>
                  <span class={`deployment-status deployment-status--${d.status}`}>
                    {d.status}
                  </span>
                  <span class="muted">
                    {` ${formatUsd(d.capital)} · ${limitsText(d.limits)} · since ${d.startedOn}`}
                  </span>
                  <p class="muted">{lastText(d)}</p>
                  <div class="ticket-actions">
                    {movesFor(d.status).map((verb) => (
                      <button
                        key={verb}
                        type="button"
                        class="ticket-secondary"
                        disabled={busy}
                        onClick={() => move(d, verb)}
                      >
                        {LABEL[verb]}
                      </button>
                    ))}
                    <button type="button" class="ticket-secondary" onClick={() => performance(d)}>
                      Performance vs backtest
                    </button>
                  </div>
                  {typeof p === "string" && <p class="muted" role="status">{p}</p>}
                  {text && (
                    <dl class="deployment-perf" data-testid="deployment-perf">
                      <dt>{text.label}</dt>
                      <dd>{text.live}</dd>
                      <dt>Backtest</dt>
                      <dd>{text.backtest}</dd>
                    </dl>
                  )}
                </li>
              );
            })}
          </ul>
        )}
    </div>
  );
}
