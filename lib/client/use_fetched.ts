/**
 * A JSON answer that follows a URL made from filters: the request waits `delayMs` (typing in a
 * search box), a newer URL aborts the older request, and failures come back as an ApiProblem.
 */
import { useEffect, useState } from "preact/hooks";
import type { ApiProblem } from "./trading_api.ts";
import { callApi } from "./trading_fetch.ts";

export interface Fetched<T> {
  answer: T | null;
  problem: ApiProblem | null;
  busy: boolean;
}

export function useFetched<T>(url: string, delayMs = 0): Fetched<T> {
  const [answer, setAnswer] = useState<T | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(true);

  useEffect(() => {
    const ctl = new AbortController();
    setBusy(true);
    const timer = setTimeout(async () => {
      try {
        const res = await callApi<T>(url, { signal: ctl.signal });
        if (res.ok) {
          setAnswer(res.data);
          setProblem(null);
        } else setProblem(res.problem);
        setBusy(false);
      } catch {
        // Aborted by a newer URL: that request's answer lands instead.
      }
    }, delayMs);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [url]);

  return { answer, problem, busy };
}
