/**
 * The journal's browser side of `/api/journal`: the calls, and the window event every writer
 * sends so the Journal section (another island) shows a note the moment it is saved.
 */
import type { Emotion, JournalEntry, JournalPage } from "../../shared/journal.ts";

export type { JournalPage };
import { type ApiResult, callApi } from "../trading_fetch.ts";

export const JOURNAL_CHANGED_EVENT = "paiid:journal-changed";

/** What a note is about, as the API takes it. */
export type NoteLink = { orderId: string } | { fillId: string } | { symbol: string } | null;

export interface NoteContent {
  why: string;
  plan: string;
  emotion: Emotion | null;
  lesson: string;
  tags: string[];
}

function changed(entry: JournalEntry | null) {
  globalThis.dispatchEvent(new CustomEvent(JOURNAL_CHANGED_EVENT, { detail: entry }));
}

export async function writeNote(
  csrfToken: string,
  link: NoteLink,
  content: NoteContent,
  editing?: number,
): Promise<ApiResult<{ entry: JournalEntry }>> {
  const res = editing === undefined
    ? await callApi<{ entry: JournalEntry }>("/api/journal", {
      method: "POST",
      body: { ...link, ...content },
      csrfToken,
    })
    : await callApi<{ entry: JournalEntry }>(`/api/journal/${editing}`, {
      method: "PATCH",
      body: content,
      csrfToken,
    });
  if (res.ok) changed(res.data.entry);
  return res;
}

export async function removeNote(csrfToken: string, id: number): Promise<ApiResult<unknown>> {
  const res = await callApi(`/api/journal/${id}`, { method: "DELETE", csrfToken });
  if (res.ok) changed(null);
  return res;
}

export function readJournal(query: string, signal?: AbortSignal) {
  return callApi<JournalPage>(`/api/journal${query}`, { signal });
}

export function onJournalChange(fn: () => void): () => void {
  globalThis.addEventListener(JOURNAL_CHANGED_EVENT, fn);
  return () => globalThis.removeEventListener(JOURNAL_CHANGED_EVENT, fn);
}
