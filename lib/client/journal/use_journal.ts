/**
 * The Journal section's list: the filters as typed and as applied, the entries loaded so far
 * (newest first, a page at a time by the API's cursor), and a reload whenever any island writes
 * or deletes a note.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import {
  JOURNAL_PAGE_SIZE as PAGE_SIZE,
  type JournalEntry,
  type JournalPage,
} from "../../shared/journal.ts";
import { onJournalChange, readJournal } from "./api.ts";
import { type JournalFilters, journalQuery, NO_FILTERS } from "./filters.ts";

export type ListLoad = { state: "idle" } | { state: "loading" } | {
  state: "error";
  message: string;
};

export interface JournalList {
  /** The filters as typed; `apply` makes them the list's. */
  draft: JournalFilters;
  setDraft(change: Partial<JournalFilters>): void;
  applied: JournalFilters;
  apply(filters?: JournalFilters): void;
  entries: JournalEntry[];
  more: boolean;
  load: ListLoad;
  loadMore(): void;
}

export function useJournal(initial: JournalPage | null): JournalList {
  const [draft, setDraftState] = useState<JournalFilters>(NO_FILTERS);
  const [applied, setApplied] = useState<JournalFilters>(NO_FILTERS);
  const [entries, setEntries] = useState<JournalEntry[]>(initial?.entries ?? []);
  const [cursor, setCursor] = useState<number | null>(initial?.nextCursor ?? null);
  const [load, setLoad] = useState<ListLoad>(initial ? { state: "idle" } : { state: "loading" });
  // Bumped by every write, so the first page is read again.
  const [version, setVersion] = useState(0);
  const first = useRef(initial !== null);

  useEffect(() => onJournalChange(() => setVersion((v) => v + 1)), []);

  useEffect(() => {
    // The server rendered the first page of the unfiltered list already.
    if (first.current) {
      first.current = false;
      return;
    }
    const ctl = new AbortController();
    setLoad({ state: "loading" });
    readJournal(journalQuery(applied, { limit: PAGE_SIZE }), ctl.signal).then((res) => {
      if (!res.ok) return setLoad({ state: "error", message: res.problem.message });
      setEntries(res.data.entries);
      setCursor(res.data.nextCursor);
      setLoad({ state: "idle" });
    }).catch(() => {
      // Aborted by newer filters or a newer write: that answer lands instead.
    });
    return () => ctl.abort();
  }, [applied, version]);

  async function loadMore() {
    if (cursor === null || load.state === "loading") return;
    setLoad({ state: "loading" });
    const res = await readJournal(journalQuery(applied, { limit: PAGE_SIZE, before: cursor }));
    if (!res.ok) return setLoad({ state: "error", message: res.problem.message });
    // Keyed by id: an entry is never shown twice, even after a write between pages.
    setEntries((list) => {
      const seen = new Set(list.map((e) => e.id));
      return [...list, ...res.data.entries.filter((e) => !seen.has(e.id))];
    });
    setCursor(res.data.nextCursor);
    setLoad({ state: "idle" });
  }

  return {
    draft,
    setDraft: (change) => setDraftState((d) => ({ ...d, ...change })),
    applied,
    apply: (filters = draft) => {
      setDraftState(filters);
      setApplied(filters);
    },
    entries,
    more: cursor !== null,
    load,
    loadMore: () => void loadMore(),
  };
}
