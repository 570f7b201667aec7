import { useEffect, useRef, useState } from "preact/hooks";
import { callApi } from "../lib/client/trading_fetch.ts";
import type { BriefRecord } from "../lib/shared/morning.ts";
import { MorningBriefView } from "../components/MorningBrief.tsx";
import { ReplayLabel } from "../components/ReplayLabel.tsx";

export interface BriefListItem {
  id: number;
  date: string;
  status: string;
  ticked: number;
}

interface Props {
  /** The market day today (the replayed day in replay). */
  today: string;
  replay: boolean;
  /** The brief shown first: today's, or null when there is none yet. */
  initial: BriefRecord | null;
  history: BriefListItem[];
  next: string | null;
  csrfToken: string;
}

/** Polls while a build runs; a state change stops it. */
const POLL_MS = 500;

/**
 * The Morning Routine: today's brief (or a past one), "Run now" with its progress, the
 * checklist the user ticks (stored per brief) and the past briefs by date.
 */
export default function MorningRoutine(props: Props) {
  const [record, setRecord] = useState<BriefRecord | null>(props.initial);
  const [history, setHistory] = useState(props.history);
  const [next, setNext] = useState(props.next);
  const [problem, setProblem] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refreshHistory = async () => {
    const res = await callApi<{ briefs: BriefListItem[]; next: string | null }>(
      "/api/morning/briefs?limit=20",
    );
    if (res.ok) (setHistory(res.data.briefs), setNext(res.data.next));
  };
  const load = async (url: string) => {
    const res = await callApi<{ brief: BriefRecord }>(url);
    if (res.ok) (setRecord(res.data.brief), setProblem(null));
    else setProblem(res.problem.message);
    return res.ok ? res.data.brief : null;
  };
  const poll = (id: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      const r = await load(`/api/morning/briefs/${id}`);
      if (r?.status === "running") poll(id);
      else void refreshHistory();
    }, POLL_MS);
  };
  useEffect(() => {
    if (record?.status === "running") poll(record.id);
    return () => clearTimeout(timer.current);
  }, []);

  const runNow = async () => {
    setProblem(null);
    const res = await callApi<{ brief: BriefRecord }>("/api/morning/brief", {
      method: "POST",
      body: {},
      csrfToken: props.csrfToken,
    });
    if (!res.ok) return setProblem(res.problem.message);
    setRecord(res.data.brief);
    if (res.data.brief.status === "running") poll(res.data.brief.id);
  };
  const tick = async (item: string, done: boolean) => {
    if (!record) return;
    const res = await callApi<{ checklist: BriefRecord["checklist"] }>(
      `/api/morning/briefs/${record.id}/checklist/${item}`,
      { method: "PUT", body: { done }, csrfToken: props.csrfToken },
    );
    if (res.ok) setRecord({ ...record, checklist: res.data.checklist });
    else setProblem(res.problem.message);
  };
  const more = async () => {
    const res = await callApi<{ briefs: BriefListItem[]; next: string | null }>(
      `/api/morning/briefs?limit=20&before=${next}`,
    );
    if (res.ok) (setHistory([...history, ...res.data.briefs]), setNext(res.data.next));
  };

  const running = record?.status === "running";
  const isToday = !record || record.date === props.today;
  return (
    <div class="morning" data-testid="morning-routine">
      <div class="morning-main">
        <div class="morning-bar">
          <h2 class="section-title">
            Brief for {record?.date ?? props.today}
            {props.replay && <ReplayLabel id="morning-replay" date={record?.date ?? props.today} />}
          </h2>
          {isToday
            ? (
              <button
                type="button"
                class="button"
                onClick={runNow}
                disabled={running}
                aria-busy={running}
              >
                {running ? "Running…" : "Run now"}
              </button>
            )
            : (
              <button
                type="button"
                class="ticket-secondary"
                onClick={() => load("/api/morning/brief")}
              >
                Back to today
              </button>
            )}
        </div>
        {running && (
          <div role="status" aria-live="polite" data-testid="morning-progress">
            <progress max={100} value={record.progress} /> {record.progress} % —{" "}
            {record.step ?? "starting"}
          </div>
        )}
        {problem && <p class="ticket-refusal" role="alert">{problem}</p>}
        {record?.status === "failed" && (
          <p class="ticket-refusal" role="alert">The brief failed: {record.error}</p>
        )}
        {!record && (
          <p class="muted">
            No brief yet for {props.today}. It is built before the open; run it now if you like.
          </p>
        )}
        {record?.brief && <MorningBriefView brief={record.brief} />}
      </div>
      <aside class="morning-side">
        {record && (
          <fieldset class="morning-checklist" data-testid="morning-checklist">
            <legend>Checklist</legend>
            {record.checklist.map((c) => (
              <label key={c.id}>
                <input
                  type="checkbox"
                  checked={c.done}
                  onChange={(e) => tick(c.id, (e.target as HTMLInputElement).checked)}
                />{" "}
                {c.label}
              </label>
            ))}
          </fieldset>
        )}
        <nav aria-label="Past briefs" class="morning-history">
          <h3>Past briefs</h3>
          {history.length === 0 && <p class="muted">None yet.</p>}
          <ul>
            {history.map((h) => (
              <li key={h.id}>
                <button
                  type="button"
                  class="link-button"
                  aria-current={record?.id === h.id ? "true" : undefined}
                  onClick={() => load(`/api/morning/briefs/${h.id}`)}
                >
                  {h.date}
                </button>{" "}
                <span class="muted small">{h.status}, {h.ticked} ticked</span>
              </li>
            ))}
          </ul>
          {next && (
            <button type="button" class="ticket-secondary" onClick={more}>Older briefs</button>
          )}
        </nav>
      </aside>
    </div>
  );
}
