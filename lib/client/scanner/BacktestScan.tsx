/**
 * "Backtest this scan" under the scanner's results: saves the scan as one of the user's
 * strategies (`POST /api/screening/backtest`), then states the assumptions the strategy adds to
 * the scan (its exit, sizing, what was left out) next to the link that opens it, preselected, on
 * the Backtesting stage. A refusal (a bound of the rules) is shown as the server words it.
 */
import { useState } from "preact/hooks";
import { callApi } from "../trading_fetch.ts";
import type { ScanSpec } from "../../shared/scan.ts";

interface Made {
  strategy: { id: number; version: number; name: string };
  assumptions: string[];
  url: string;
}

export function BacktestScan(
  { name, spec, csrfToken }: { name: string; spec: ScanSpec; csrfToken: string },
) {
  const [made, setMade] = useState<Made | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    setProblem(null);
    const res = await callApi<Made>("/api/screening/backtest", {
      method: "POST",
      body: { name, spec },
      csrfToken,
    });
    setBusy(false);
    if (res.ok) setMade(res.data);
    else setProblem(res.problem.message);
  };
  return (
    <div class="scan-backtest" data-testid="scan-backtest">
      {!made && (
        <button type="button" class="btn" disabled={busy} onClick={() => void create()}>
          {busy ? "Saving the strategy…" : "Backtest this scan"}
        </button>
      )}
      {problem && <p class="ticket-refusal" role="alert">{problem}</p>}
      {made && (
        <>
          <p>
            Saved as the strategy <strong>{made.strategy.name}</strong>.{" "}
            <a class="btn" href={made.url}>Open it in Backtesting</a>
          </p>
          <p class="muted small">What the backtest assumes beyond the scan:</p>
          <ul class="muted small">
            {made.assumptions.map((a) => <li key={a}>{a}</li>)}
          </ul>
        </>
      )}
    </div>
  );
}
