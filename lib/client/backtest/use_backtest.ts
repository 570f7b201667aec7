/**
 * The Backtesting stage's state: the templates and the history's range, the user's past runs,
 * and the run in view, whose progress arrives over SSE (`/api/backtesting/:id/events`) until it
 * ends, when the full result is fetched.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { callApi } from "../trading_fetch.ts";
import type { RunView, TemplateInfo } from "./view.ts";

export interface Catalog {
  templates: TemplateInfo[];
  range: { first: string; last: string };
  metrics: Record<string, string>;
  /** Where runs read their bars now, the benchmark they use, the adjustments on offer. */
  source: "replay" | "tradier";
  benchmark: { symbol: string; name: string };
  adjustments: string[];
}

export interface RunListItem {
  id: number;
  name: string;
  status: string;
  start: string;
  end: string;
  kind: string;
}

export interface Live {
  id: number;
  status: string;
  progress: number;
  message?: string;
}

export function useBacktest(csrfToken: string) {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const [runs, setRuns] = useState<RunListItem[]>([]);
  const [live, setLive] = useState<Live | null>(null);
  const [run, setRun] = useState<RunView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const source = useRef<EventSource | null>(null);

  const loadRuns = useCallback(async () => {
    const r = await callApi<{ runs: RunListItem[] }>("/api/backtesting");
    if (r.ok) setRuns(r.data.runs);
  }, []);

  const fetchRun = useCallback(async (id: number): Promise<RunView | null> => {
    const r = await callApi<RunView>(`/api/backtesting/${id}`);
    if (!r.ok) {
      setProblem(r.problem.message);
      return null;
    }
    return r.data;
  }, []);

  const show = useCallback(async (id: number) => {
    setProblem(null);
    const r = await fetchRun(id);
    if (r) setRun(r);
  }, [fetchRun]);

  const follow = useCallback((id: number) => {
    source.current?.close();
    const es = new EventSource(`/api/backtesting/${id}/events`);
    source.current = es;
    es.addEventListener("progress", (e) => {
      const p = JSON.parse((e as MessageEvent).data) as Omit<Live, "id">;
      setLive({ id, ...p });
      if (p.status === "done" || p.status === "failed" || p.status === "cancelled") {
        // Closed here, or EventSource would reconnect when the server ends the stream.
        es.close();
        if (source.current === es) source.current = null;
        void show(id);
        void loadRuns();
      }
    });
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) setProblem("Lost the progress stream.");
    };
  }, [show, loadRuns]);

  useEffect(() => {
    (async () => {
      const r = await callApi<Catalog>("/api/backtesting/templates");
      if (r.ok) setCatalog(r.data);
      else setCatalogError(r.problem.message);
    })();
    void loadRuns();
    const fromUrl = Number(new URLSearchParams(location.search).get("run"));
    if (Number.isInteger(fromUrl) && fromUrl > 0) void show(fromUrl);
    return () => source.current?.close();
  }, []);

  const submit = useCallback(async (body: Record<string, unknown>) => {
    setProblem(null);
    const r = await callApi<{ id: number }>("/api/backtesting", {
      method: "POST",
      body,
      csrfToken,
    });
    if (!r.ok) {
      setProblem(r.problem.message);
      return;
    }
    setRun(null);
    setLive({ id: r.data.id, status: "queued", progress: 0 });
    follow(r.data.id);
  }, [csrfToken, follow]);

  const cancel = useCallback(async () => {
    if (!live) return;
    const r = await callApi(`/api/backtesting/${live.id}/cancel`, { method: "POST", csrfToken });
    if (!r.ok) setProblem(r.problem.message);
  }, [live, csrfToken]);

  return { catalog, catalogError, runs, live, run, problem, submit, cancel, show, fetchRun };
}
