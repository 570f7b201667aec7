import { useState } from "preact/hooks";
import type { CheckResult } from "../lib/broker/types.ts";
import type { ApiProblem } from "../lib/client/trading_api.ts";
import { callApi } from "../lib/client/trading_fetch.ts";
import { checkVerdict, ruleLabel } from "../lib/client/trade_checks.ts";
import {
  EMPTY_FORM,
  METHODS,
  sizingBody,
  type SizingForm,
  ticketUrl,
} from "../lib/client/risk/sizing_form.ts";
import { formatUsd } from "../lib/shared/money.ts";

interface SizeAnswer {
  symbol: string;
  side: "buy" | "sell";
  equity: number;
  entry: number;
  entrySource: string;
  inputs: Record<string, number | string>;
  sizing: {
    shares: number;
    value: number;
    percentOfEquity: number;
    stop: number | null;
    lossAtStop: number | null;
    formula: string;
  };
  checks: CheckResult[];
  refused: boolean;
  prices: string;
}

const FIELD_LABELS: Partial<Record<keyof SizingForm, string>> = {
  entry: "Entry (USD, blank = live quote)",
  stop: "Stop (USD)",
  riskPercent: "Risk per trade (% of equity)",
  atrMultiple: "Stop distance (× ATR 14)",
  targetVolatility: "Target volatility (% a year)",
  winRate: "Win rate (%)",
  payoffRatio: "Payoff ratio (avg win ÷ avg loss)",
};

/**
 * The Risk stage's position sizer: pick a rule, see shares, dollars, % of equity and the loss
 * at the stop with the formula that produced them and the checks the order would meet, then
 * send it to the ticket.
 */
export default function PositionSizer({ csrfToken }: { csrfToken: string }) {
  const [form, setForm] = useState<SizingForm>(EMPTY_FORM);
  const [answer, setAnswer] = useState<SizeAnswer | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const method = METHODS.find((m) => m.id === form.method)!;
  const set = (key: keyof SizingForm) => (e: Event) =>
    setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const res = await callApi<SizeAnswer>("/api/risk/size", {
      method: "POST",
      body: sizingBody(form),
      csrfToken,
    });
    setBusy(false);
    if (res.ok) setAnswer(res.data);
    else {
      setAnswer(null);
      setProblem(res.problem);
    }
  };

  return (
    <section class="sizer glass" aria-labelledby="sizer-title" data-testid="position-sizer">
      <h2 id="sizer-title" class="section-title">Position size</h2>
      <form class="sizer-form" onSubmit={submit}>
        <label>
          Symbol
          <input
            name="symbol"
            value={form.symbol}
            onInput={set("symbol")}
            required
            maxLength={10}
          />
        </label>
        <label>
          Side
          <select name="side" value={form.side} onChange={set("side")}>
            <option value="buy">Buy</option>
            <option value="sell">Sell short</option>
          </select>
        </label>
        <label>
          Rule
          <select name="method" value={form.method} onChange={set("method")}>
            {METHODS.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
          </select>
        </label>
        {(["entry", ...method.fields] as (keyof SizingForm)[]).map((key) => (
          <label key={key}>
            {FIELD_LABELS[key]}
            <input name={key} inputMode="decimal" value={form[key]} onInput={set(key)} />
          </label>
        ))}
        <button class="button" type="submit" disabled={busy} data-testid="size-submit">
          {busy ? "Sizing…" : "Size it"}
        </button>
      </form>
      {problem && (
        <p class="ticket-refusal" role="alert" data-testid="size-problem">{problem.message}</p>
      )}
      {answer && <SizeResult answer={answer} />}
    </section>
  );
}

function SizeResult({ answer }: { answer: SizeAnswer }) {
  const { sizing } = answer;
  return (
    <div class="sizer-result" data-testid="size-result" aria-live="polite">
      <dl class="sizer-figures">
        <div>
          <dt>Shares</dt>
          <dd data-testid="size-shares">{sizing.shares.toLocaleString("en-US")}</dd>
        </div>
        <div>
          <dt>Value</dt>
          <dd>{formatUsd(sizing.value)}</dd>
        </div>
        <div>
          <dt>Of equity</dt>
          <dd>{sizing.percentOfEquity.toFixed(2)} %</dd>
        </div>
        <div>
          <dt>Loss at stop</dt>
          <dd>
            {sizing.lossAtStop === null
              ? "no stop in this rule"
              : `${formatUsd(sizing.lossAtStop)} (stop ${formatUsd(sizing.stop)})`}
          </dd>
        </div>
      </dl>
      <p class="muted sizer-formula">
        {sizing.formula}. Entry {formatUsd(answer.entry)} from{" "}
        {answer.entrySource === "given" ? "your input" : `the ${answer.entrySource} quote`}; equity
        {" "}
        {formatUsd(answer.equity)}
        {answer.prices === "replay" ? " (replay prices)" : ""}.
      </p>
      {answer.checks.length > 0 && (
        <ul class="ticket-checks">
          {answer.checks.map((c, i) => {
            const verdict = checkVerdict(c);
            return (
              <li key={`${c.rule}-${i}`} class={`ticket-check ticket-check--${verdict}`}>
                <span class="ticket-check-icon" aria-hidden="true">
                  {verdict === "ok" ? "✓" : verdict === "warn" ? "!" : "✕"}
                </span>
                <span>
                  <strong>{ruleLabel(c.rule)}</strong> {c.message}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {sizing.shares > 0 && (
        <a
          class="button"
          href={ticketUrl(answer.symbol, answer.side, sizing.shares)}
          data-testid="send-to-ticket"
        >
          Send to ticket
        </a>
      )}
    </div>
  );
}
