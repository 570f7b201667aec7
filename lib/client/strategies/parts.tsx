/**
 * The Strategy Builder's pieces: the words box with what the analyst read (sentences to confirm,
 * assumptions, words it did not understand), and the form over the rule document: entry and
 * exit conditions (./ConditionEditor.tsx), then universe, sizing, exits and costs.
 */
import { useState } from "preact/hooks";
import { callApi } from "../trading_fetch.ts";
import { type Doc, FIELDS, fieldValue, withField } from "./draft.ts";
import { ConditionEditor } from "./ConditionEditor.tsx";

export interface Parsed {
  rules: Doc | null;
  draft: Doc | null;
  sentences: string[];
  assumptions: string[];
  unknownWords: string[];
  errors: string[];
  analyst: "claude" | "offline";
}

/** Describe the strategy in words; confirm what was read to put it in the editor. */
export function WordsBox(
  { csrfToken, onUse }: { csrfToken: string; onUse: (rules: Doc) => void },
) {
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [parsed, setParsed] = useState<Parsed | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmed, setConfirmed] = useState(false);

  const read = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setConfirmed(false);
    const r = await callApi<Parsed>("/api/strategies/parse", {
      method: "POST",
      body: { text },
      csrfToken,
    });
    setBusy(false);
    if (r.ok) setParsed(r.data);
    else setProblem(r.problem.message);
  };

  return (
    <section class="sizer glass" aria-labelledby="sb-words-title" data-testid="sb-words">
      <h2 id="sb-words-title" class="section-title">Describe it in words</h2>
      <form class="sizer-form" onSubmit={read}>
        <label class="sb-wide">
          Strategy
          <textarea
            name="text"
            rows={3}
            value={text}
            onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
            placeholder="buy AAPL and MSFT when RSI(14) falls below 30, sell when it rises above 70, 8 % stop, 10 % of equity each"
          />
        </label>
        <button class="button" type="submit" disabled={busy || text.trim().length < 3}>
          {busy ? "Reading…" : "Read it"}
        </button>
      </form>
      {problem && <p class="ticket-refusal" role="alert">{problem}</p>}
      {parsed && (
        <div aria-live="polite" data-testid="sb-parsed">
          <p class="muted">
            Read by the {parsed.analyst === "claude" ? "Claude analyst" : "offline parser"}.
          </p>
          {parsed.rules
            ? (
              <ul class="bt-sentences" data-testid="sb-parsed-sentences">
                {parsed.sentences.map((s, i) => <li key={i}>{s}</li>)}
              </ul>
            )
            : (
              <div class="ticket-refusal" role="alert" data-testid="sb-parse-errors">
                <p>This could not be built:</p>
                <ul>{parsed.errors.map((s, i) => <li key={i}>{s}</li>)}</ul>
              </div>
            )}
          {parsed.unknownWords.length > 0 && (
            <p class="ticket-refusal" data-testid="sb-unknown">
              Not understood: {parsed.unknownWords.join(", ")}
            </p>
          )}
          {parsed.assumptions.length > 0 && (
            <>
              <h3 class="section-title">Assumptions to confirm</h3>
              <ul class="muted">{parsed.assumptions.map((s, i) => <li key={i}>{s}</li>)}</ul>
            </>
          )}
          {parsed.rules && (
            <div class="sizer-form sb-confirm-row">
              <label class="sb-check">
                <input
                  type="checkbox"
                  checked={confirmed}
                  onChange={(e) => setConfirmed((e.currentTarget as HTMLInputElement).checked)}
                  data-testid="sb-confirm"
                />{" "}
                These sentences and assumptions are what I mean
              </label>
              <button
                type="button"
                class="button"
                disabled={!confirmed}
                onClick={() => parsed.rules && onUse(parsed.rules)}
                data-testid="sb-use"
              >
                Use these rules
              </button>
            </div>
          )}
        </div>
      )}
    </section>
  );
}

/** The form over the document: the conditions, then the other fields. */
export function RuleForm(
  { doc, errors, onChange }: { doc: Doc | null; errors: string[]; onChange: (d: Doc) => void },
) {
  if (!doc) return <p class="muted">Fix the JSON below to use the form.</p>;
  return (
    <div class="sb-form" data-testid="sb-form">
      <ConditionEditor doc={doc} slot="entry" errors={errors} onChange={onChange} />
      <ConditionEditor doc={doc} slot="exit" errors={errors} onChange={onChange} />
      <fieldset class="sb-conditions">
        <legend class="section-title">Universe, sizing, exits and costs</legend>
        <div class="sizer-form">
          {FIELDS.map((f) => (
            <label key={f.key}>
              {f.label}
              <input
                name={f.key}
                value={fieldValue(doc, f.key)}
                inputMode={f.key === "symbols" || f.key === "rebalance" ? "text" : "decimal"}
                onChange={(e) =>
                  onChange(withField(doc, f.key, (e.currentTarget as HTMLInputElement).value))}
              />
            </label>
          ))}
        </div>
      </fieldset>
    </div>
  );
}
