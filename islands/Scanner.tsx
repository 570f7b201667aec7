import { useEffect, useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";
import type { ApiProblem } from "../lib/client/trading_api.ts";
import { EMPTY_FORM, fromSpec, type ScanForm, toSpec } from "../lib/client/scanner/scan_form.ts";
import { FilterBuilder } from "../lib/client/scanner/FilterBuilder.tsx";
import { ResultsTable } from "../lib/client/scanner/ResultsTable.tsx";
import { BacktestScan } from "../lib/client/scanner/BacktestScan.tsx";
import type { ScanResult, ScanSpec } from "../lib/shared/scan.ts";
import { formatDate } from "../lib/shared/format.ts";
import { ReplayLabel } from "../components/ReplayLabel.tsx";

export interface PresetInfo {
  id: string;
  name: string;
  description: string;
  spec: ScanSpec;
}
interface SavedScan {
  id: number;
  name: string;
  spec: ScanSpec | null;
  scheduled: boolean;
}
type Answer = ScanResult & { preset: string | null; spec: ScanSpec };

/**
 * The Market Scanner: preset chips, a filter builder for custom scans, saved scans, and the
 * hits in a sortable table whose symbols open their pages. Every run names the day it read.
 */
export default function Scanner(
  { presets, sectors, csrfToken }: { presets: PresetInfo[]; sectors: string[]; csrfToken: string },
) {
  const [active, setActive] = useState<string | null>(null);
  const [form, setForm] = useState<ScanForm>(EMPTY_FORM);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<SavedScan[] | null>(null);
  const [savedProblem, setSavedProblem] = useState<string | null>(null);
  const [saveName, setSaveName] = useState("");
  const [schedule, setSchedule] = useState(false);

  const loadSaved = async () => {
    const res = await callApi<{ scans: SavedScan[] }>("/api/screening/saved");
    if (res.ok) setSaved(res.data.scans);
    else setSavedProblem(res.problem.message);
    return res.ok ? res.data.scans : [];
  };
  useEffect(() => {
    // `?saved=ID` (the command palette's "Run saved scan") runs that scan once it is listed.
    const wanted = Number(new URLSearchParams(location.search).get("saved"));
    void loadSaved().then((scans) => {
      const s = scans.find((x) => x.id === wanted);
      if (s?.spec) (setForm(fromSpec(s.spec)), void run(s.spec, null));
    });
  }, []);

  const run = async (body: unknown, presetId: string | null) => {
    setBusy(true);
    setProblem(null);
    setActive(presetId);
    const res = await callApi<Answer>("/api/screening/run", { method: "POST", body, csrfToken });
    setBusy(false);
    if (res.ok) setAnswer(res.data);
    else (setAnswer(null), setProblem((res.problem as ApiProblem).message));
  };
  const runPreset = (p: PresetInfo) => {
    setForm(fromSpec(p.spec));
    void run({ preset: p.id }, p.id);
  };
  const runCustom = (e: Event) => {
    e.preventDefault();
    const r = toSpec(form);
    if (!r.ok) return setProblem(r.error);
    void run(r.spec, null);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    const r = toSpec(form);
    if (!r.ok) return setSavedProblem(r.error);
    const res = await callApi("/api/screening/saved", {
      method: "POST",
      body: { name: saveName.trim(), spec: r.spec, scheduled: schedule },
      csrfToken,
    });
    if (!res.ok) return setSavedProblem(res.problem.message);
    setSaveName("");
    setSavedProblem(null);
    await loadSaved();
  };
  const toggle = async (s: SavedScan) => {
    const res = await callApi(`/api/screening/saved/${s.id}`, {
      method: "PATCH",
      body: { scheduled: !s.scheduled },
      csrfToken,
    });
    if (!res.ok) setSavedProblem(res.problem.message);
    await loadSaved();
  };
  const remove = async (id: number) => {
    const res = await callApi(`/api/screening/saved/${id}`, { method: "DELETE", csrfToken });
    if (!res.ok) setSavedProblem(res.problem.message);
    await loadSaved();
  };

  return (
    <section class="glass scanner" aria-labelledby="scan-title" data-testid="scanner">
      <h2 id="scan-title" class="section-title">Presets</h2>
      <div class="scan-chips" role="group" aria-label="Preset scans">
        {presets.map((p) => (
          <button
            key={p.id}
            type="button"
            class="scan-chip"
            aria-pressed={active === p.id}
            title={p.description}
            onClick={() => runPreset(p)}
            data-testid={`preset-${p.id}`}
          >
            {p.name}
          </button>
        ))}
      </div>
      <form onSubmit={runCustom}>
        <FilterBuilder form={form} sectors={sectors} onChange={setForm} />
        <button class="button" type="submit" disabled={busy} data-testid="scan-run">
          {busy ? "Scanning…" : "Run this scan"}
        </button>
      </form>
      <form class="scan-save" onSubmit={save}>
        <label>
          Save these conditions as
          <input
            value={saveName}
            maxLength={64}
            required
            onInput={(e) => setSaveName((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label class="scan-check">
          <input
            type="checkbox"
            checked={schedule}
            onChange={(e) => setSchedule((e.currentTarget as HTMLInputElement).checked)}
          />{" "}
          Run every weekday morning (hits arrive as a notification)
        </label>
        <button class="button button--small" type="submit">Save scan</button>
      </form>
      <div class="scan-saved" aria-live="polite">
        {savedProblem && <p class="ticket-refusal" role="alert">{savedProblem}</p>}
        {saved === null
          ? <p class="muted">Loading saved scans…</p>
          : saved.length === 0
          ? <p class="muted">No saved scans yet.</p>
          : (
            <ul class="scan-saved-list">
              {saved.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    class="scan-chip"
                    disabled={!s.spec}
                    onClick={() => s.spec && (setForm(fromSpec(s.spec)), void run(s.spec, null))}
                  >
                    {s.name}
                  </button>
                  <label class="scan-check">
                    <input type="checkbox" checked={s.scheduled} onChange={() => toggle(s)} />{" "}
                    every morning
                  </label>
                  <button
                    type="button"
                    class="link-button"
                    aria-label={`Delete saved scan ${s.name}`}
                    onClick={() => remove(s.id)}
                  >
                    Delete
                  </button>
                </li>
              ))}
            </ul>
          )}
      </div>
      <div aria-live="polite" data-testid="scan-answer">
        {problem && <p class="ticket-refusal" role="alert" data-testid="scan-problem">{problem}</p>}
        {busy && <p class="muted">Scanning the universe…</p>}
        {!busy && !answer && !problem && (
          <p class="muted">Pick a preset or run your own conditions.</p>
        )}
        {answer && !busy && (
          <>
            <p class="scan-asof" data-testid="scan-asof">
              {answer.hits.length} of {answer.scanned} stocks matched on the close of{" "}
              <strong>{formatDate(answer.asOf)}</strong> {answer.source === "replay" && (
                <ReplayLabel
                  id="scan-replay"
                  date={answer.asOf}
                  note="The scan reads only completed daily bars of the shipped history, none of the simulated intraday values."
                />
              )}
            </p>
            {answer.hits.length === 0
              ? <p class="muted" data-testid="scan-empty">Nothing matched on that day.</p>
              : <ResultsTable hits={answer.hits} />}
            <BacktestScan
              key={JSON.stringify(answer.spec)}
              name={presets.find((p) => p.id === answer.preset)?.name ?? "Custom scan"}
              spec={answer.spec}
              csrfToken={csrfToken}
            />
          </>
        )}
      </div>
    </section>
  );
}
