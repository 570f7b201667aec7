import { useEffect, useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";
import { type Doc, readDoc, scratch } from "../lib/client/strategies/draft.ts";
import { RuleForm, WordsBox } from "../lib/client/strategies/parts.tsx";
import { ExplainPanel } from "../lib/client/strategies/ExplainPanel.tsx";
import { formShows } from "../lib/client/strategies/conditions.ts";
import { useDebounced } from "../lib/client/use_debounced.ts";
import { announceSaved } from "../lib/client/strategies/saved_event.ts";

export interface TemplateChoice {
  id: string;
  name: string;
  description: string;
  rules: Doc;
}

export interface SavedChoice {
  id: number;
  name: string;
  version: number;
}

interface Check {
  ok: boolean;
  errors: string[];
  sentences: string[];
}

interface Saved {
  id: number;
  version: number;
  name: string;
}

/**
 * The Strategy Builder: start from a template, from scratch, from words or from a saved
 * strategy; edit with the form or the JSON view while the rules read back as sentences and the
 * server's validation messages; save (each save a new version); backtest the saved version.
 */
export default function StrategyBuilder(
  { csrfToken, templates, saved }: {
    csrfToken: string;
    templates: TemplateChoice[];
    saved: SavedChoice[];
  },
) {
  const [json, setJson] = useState(() => JSON.stringify(templates[0]?.rules ?? scratch(), null, 2));
  const [from, setFrom] = useState<string[]>(templates[0] ? [templates[0].id] : []);
  const [name, setName] = useState(templates[0]?.name ?? "My strategy");
  const [current, setCurrent] = useState<Saved | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const read = readDoc(json);
  const doc = read.ok ? read.doc : null;
  const debounced = useDebounced(json, 250);
  // Errors the condition editor shows under its rows are not repeated in the summary.
  const rest = (check?.errors ?? []).filter((e) => !doc || !formShows(doc, e));

  useEffect(() => {
    const r = readDoc(debounced);
    if (!r.ok) return setCheck({ ok: false, errors: [r.message], sentences: [] });
    const abort = new AbortController();
    void callApi<Check>("/api/strategies/check", {
      method: "POST",
      body: { rules: { ...r.doc, name: name || "My strategy" } },
      csrfToken,
      signal: abort.signal,
    }).then((res) => res.ok && setCheck(res.data)).catch(() => {});
    return () => abort.abort();
  }, [debounced, name]);

  const setDoc = (d: Doc) => setJson(JSON.stringify(d, null, 2));
  const start = (value: string) => {
    setCurrent(null);
    if (value === "scratch") {
      setFrom([]);
      setName("My strategy");
      return setDoc(scratch());
    }
    if (value.startsWith("saved:")) {
      void callApi<Saved & { rules: Doc; templates: string[] }>(
        `/api/strategies/${value.slice(6)}`,
      ).then((r) => {
        if (!r.ok) return setProblem(r.problem.message);
        setCurrent(r.data);
        setName(r.data.name);
        setFrom(r.data.templates);
        setDoc(r.data.rules);
      });
      return;
    }
    const t = templates.find((x) => x.id === value);
    if (t) {
      setFrom([t.id]);
      setName(t.name);
      setDoc(t.rules);
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!doc) return;
    setSaving(true);
    setProblem(null);
    const body = { name, templates: from, rules: { ...doc, name } };
    const r = current
      ? await callApi<Saved>(`/api/strategies/${current.id}`, { method: "PUT", body, csrfToken })
      : await callApi<Saved>("/api/strategies", { method: "POST", body, csrfToken });
    setSaving(false);
    if (r.ok) {
      const saved = { id: r.data.id, version: r.data.version, name: r.data.name };
      setCurrent(saved);
      announceSaved(saved);
    } else setProblem(r.problem.message);
  };

  return (
    <div class="bt sb" data-testid="strategy-builder">
      <section class="sizer glass" aria-labelledby="sb-start-title">
        <h2 id="sb-start-title" class="section-title">Start from</h2>
        <div class="sizer-form">
          <label>
            Template or saved strategy
            <select onChange={(e) => start((e.currentTarget as HTMLSelectElement).value)}>
              <optgroup label="Templates">
                {templates.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
              </optgroup>
              <option value="scratch">Scratch (empty)</option>
              {saved.length > 0 && (
                <optgroup label="Your strategies">
                  {saved.map((s) => (
                    <option key={s.id} value={`saved:${s.id}`}>{s.name} (v{s.version})</option>
                  ))}
                </optgroup>
              )}
            </select>
          </label>
        </div>
      </section>
      <WordsBox
        csrfToken={csrfToken}
        onUse={(rules) => {
          setFrom([]);
          setDoc({ ...rules, name });
        }}
      />
      <section class="sizer glass" aria-labelledby="sb-edit-title">
        <h2 id="sb-edit-title" class="section-title">Rules</h2>
        <ul class="bt-sentences" aria-live="polite" data-testid="sb-sentences">
          {(check?.sentences ?? []).map((s, i) => <li key={i}>{s}</li>)}
        </ul>
        {check && !check.ok && (
          <div class="ticket-refusal" role="alert" data-testid="sb-errors">
            {rest.length
              ? <ul>{rest.map((s, i) => <li key={i}>{s}</li>)}</ul>
              : <p>Fix the problems marked in the conditions below to save.</p>}
          </div>
        )}
        <RuleForm doc={doc} errors={check?.errors ?? []} onChange={setDoc} />
        <details>
          <summary>JSON view</summary>
          <textarea
            class="sb-json"
            rows={16}
            spellcheck={false}
            aria-label="Rule document as JSON"
            value={json}
            onInput={(e) => setJson((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </details>
        <form class="sizer-form" onSubmit={save}>
          <label>
            Name
            <input
              name="name"
              value={name}
              maxLength={100}
              required
              onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <button
            class="button"
            type="submit"
            disabled={saving || !check?.ok}
            data-testid="sb-save"
          >
            {saving ? "Saving…" : current ? "Save as a new version" : "Save"}
          </button>
          {current && (
            <a
              class="button"
              href={`/backtesting?strategy=${current.id}&version=${current.version}`}
              data-testid="sb-backtest"
            >
              Backtest version {current.version}
            </a>
          )}
        </form>
        {current && (
          <p class="muted" data-testid="sb-saved">
            Saved “{current.name}”, version {current.version}.
          </p>
        )}
        {problem && <p class="ticket-refusal" role="alert">{problem}</p>}
        {current && (
          <ExplainPanel strategyId={current.id} version={current.version} csrfToken={csrfToken} />
        )}
      </section>
    </div>
  );
}
