/**
 * The AI Recs stage's state: the live recommendations (first paint from the server), a refresh
 * whose progress arrives as server-sent events on the POST's own response, dismiss, snooze, and
 * "Make a proposal", which answers plainly while the proposals endpoint does not exist yet.
 */
import { useState } from "preact/hooks";
import { callApi } from "../trading_fetch.ts";
import { readSse } from "../chat/sse.ts";
import type { RecView } from "../../shared/recommendation.ts";
import { PROPOSAL_EVENT } from "../proposals/view.ts";

export interface RefreshState {
  progress: number;
  message: string;
}

export function useRecs(initial: RecView[], csrfToken: string) {
  const [recs, setRecs] = useState<RecView[]>(initial);
  const [refresh, setRefresh] = useState<RefreshState | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<number, string>>({});
  const note = (id: number, text: string) => setNotes((n) => ({ ...n, [id]: text }));

  const runRefresh = async () => {
    setProblem(null);
    setRefresh({ progress: 0, message: "Starting…" });
    try {
      const res = await fetch("/api/ai/recommendations/refresh", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "text/event-stream",
          "X-CSRF-Token": csrfToken,
        },
        body: "{}",
        credentials: "same-origin",
      });
      if (!res.ok || !res.body) {
        const body = await res.json().catch(() => null);
        setProblem(body?.error?.message ?? `The refresh failed (HTTP ${res.status}).`);
        return;
      }
      await readSse(res.body, (m) => {
        const d = m.data as Record<string, unknown>;
        if (m.event === "progress") {
          setRefresh({ progress: Number(d.progress), message: String(d.message) });
        } else if (m.event === "done") setRecs(d.recommendations as RecView[]);
        else if (m.event === "error") setProblem(String(d.message));
      });
    } catch {
      setProblem("The server could not be reached.");
    } finally {
      setRefresh(null);
    }
  };

  const act = async (rec: RecView, path: "dismiss" | "snooze", body?: unknown) => {
    const r = await callApi(`/api/ai/recommendations/${rec.id}/${path}`, {
      method: "POST",
      body: body ?? {},
      csrfToken,
    });
    if (r.ok) setRecs((list) => list.filter((x) => x.id !== rec.id));
    else note(rec.id, r.problem.message);
  };

  const propose = async (rec: RecView) => {
    const r = await callApi<{ proposal: { status: string } }>(
      `/api/ai/recommendations/${rec.id}/propose`,
      { method: "POST", body: {}, csrfToken },
    );
    if (!r.ok) return note(rec.id, r.problem.message);
    const pending = r.data.proposal.status === "pending";
    note(
      rec.id,
      pending
        ? "Proposal created: it waits for your approval below."
        : "Proposal approved within your auto-approval limits: see Execute Trade.",
    );
    // The queue island on the same page shows it without a reload.
    if (pending) dispatchEvent(new CustomEvent(PROPOSAL_EVENT, { detail: r.data.proposal }));
  };

  return {
    recs,
    refresh,
    problem,
    notes,
    runRefresh,
    dismiss: (r: RecView) => act(r, "dismiss"),
    snooze: (r: RecView, days: number) => act(r, "snooze", { days }),
    propose,
  };
}
