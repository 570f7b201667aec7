/**
 * The setup island's steps: the form, the interview (one question at a time) and the suggested
 * limits to confirm or edit. Plain components; the island (islands/OnboardingSetup.tsx) holds
 * the flow and talks to the API.
 */
import { useState } from "preact/hooks";
import type { JSX } from "preact";
import {
  EXPERIENCE_CHOICES,
  type FormAnswers,
  HORIZON_CHOICES,
  type InterviewDone,
  type InterviewStep,
  LIMIT_FIELDS,
  type Limits,
  RISK_CHOICES,
  splitSymbols,
} from "./onboarding.ts";

export function FormStep(
  props: { initial: FormAnswers; busy: boolean; onSubmit: (a: FormAnswers) => void },
) {
  const [a, setA] = useState(props.initial);
  const [symbols, setSymbols] = useState(props.initial.symbols.join(", "));
  const set = <K extends keyof FormAnswers>(k: K, v: FormAnswers[K]) => setA({ ...a, [k]: v });
  const onSubmit = (e: JSX.TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    props.onSubmit({ ...a, symbols: splitSymbols(symbols) });
  };
  return (
    <form class="onboarding-form" onSubmit={onSubmit} data-testid="onboarding-form">
      <label>
        Your goals
        <textarea
          name="goals"
          maxLength={500}
          value={a.goals}
          onInput={(e) => set("goals", e.currentTarget.value)}
        />
      </label>
      <Choice
        label="Trading experience"
        name="experience"
        value={a.experience}
        choices={EXPERIENCE_CHOICES}
        onChange={(v) => set("experience", v)}
      />
      <Choice
        label="Time horizon"
        name="horizon"
        value={a.horizon}
        choices={HORIZON_CHOICES}
        onChange={(v) => set("horizon", v)}
      />
      <Choice
        label="Risk tolerance"
        name="riskTolerance"
        value={a.riskTolerance}
        choices={RISK_CHOICES}
        onChange={(v) => set("riskTolerance", v)}
      />
      <label>
        Starting paper cash (USD)
        <input
          name="startingCash"
          type="number"
          min={1000}
          max={100000000}
          step={1}
          required
          value={a.startingCash}
          onInput={(e) => set("startingCash", Number(e.currentTarget.value))}
        />
      </label>
      <label>
        Symbols to watch (comma-separated)
        <input
          name="symbols"
          value={symbols}
          placeholder="AAPL, MSFT, SPX"
          onInput={(e) => setSymbols(e.currentTarget.value)}
        />
      </label>
      <button type="submit" class="button" disabled={props.busy}>See suggested limits</button>
    </form>
  );
}

function Choice<T extends string>(props: {
  label: string;
  name: string;
  value: T;
  choices: readonly (readonly [T, string])[];
  onChange: (v: T) => void;
}) {
  return (
    <label>
      {props.label}
      <select
        name={props.name}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value as T)}
      >
        {props.choices.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </label>
  );
}

export function InterviewStepView(props: {
  analyst: string;
  send: <T>(url: string, method: "PUT" | "POST", body: unknown) => Promise<T | null>;
  onDone: (d: InterviewDone) => void;
}) {
  const [answers, setAnswers] = useState<string[]>([]);
  const [step, setStep] = useState<InterviewStep | null>(null);
  const [draft, setDraft] = useState("");

  async function advance(next: string[]) {
    const r = await props.send<InterviewStep | InterviewDone>(
      "/api/ai/profile/interview",
      "POST",
      { answers: next },
    );
    if (!r) return;
    setAnswers(next);
    setDraft("");
    if (r.done) props.onDone(r);
    else setStep(r);
  }

  if (!step) {
    return (
      <div class="onboarding-interview">
        <p>
          {props.analyst === "offline"
            ? "The Offline analyst asks six short questions (a scripted interview)."
            : "The analyst asks six short questions."}
        </p>
        <button type="button" class="button" onClick={() => advance([])}>Start interview</button>
      </div>
    );
  }
  return (
    <form
      class="onboarding-interview"
      onSubmit={(e) => {
        e.preventDefault();
        advance([...answers, draft]);
      }}
    >
      <p class="muted">Question {step.index + 1} of {step.total}</p>
      <label>
        <span data-testid="interview-question">{step.question.text}</span>
        <input
          name="answer"
          maxLength={500}
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
        />
      </label>
      <button type="submit" class="button">Next</button>
    </form>
  );
}

export function LimitsStep(props: {
  suggested: Limits;
  busy: boolean;
  onBack: () => void;
  onConfirm: (l: Limits) => void;
}) {
  const [l, setL] = useState(props.suggested);
  return (
    <form
      class="onboarding-form"
      data-testid="onboarding-limits"
      onSubmit={(e) => {
        e.preventDefault();
        props.onConfirm(l);
      }}
    >
      <h3>Suggested risk limits</h3>
      <p class="muted">From your answers; change any of them before you confirm.</p>
      {LIMIT_FIELDS.map((f) => (
        <label key={f.key}>
          {f.label} ({f.unit})
          <input
            name={f.key}
            type="number"
            min={0}
            step={f.step}
            required
            value={l[f.key]}
            onInput={(e) => setL({ ...l, [f.key]: Number(e.currentTarget.value) })}
          />
        </label>
      ))}
      <div class="onboarding-actions">
        <button type="button" class="link-button" onClick={props.onBack}>Back</button>
        <button type="submit" class="button" disabled={props.busy}>Confirm and save</button>
      </div>
    </form>
  );
}
