/**
 * The Journal section's filters as the API's query: empty fields are left out, the symbol
 * upper-cased and the tag lower-cased as the API reads them. The export link takes the same
 * filters, so "Export CSV" downloads what the list shows (all of it, not one page).
 */
import type { Emotion } from "../../shared/journal.ts";

export interface JournalFilters {
  symbol: string;
  tag: string;
  emotion: Emotion | "";
  /** New York days, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
}

export const NO_FILTERS: JournalFilters = { symbol: "", tag: "", emotion: "", from: "", to: "" };

function params(f: JournalFilters): URLSearchParams {
  const p = new URLSearchParams();
  const symbol = f.symbol.trim().toUpperCase();
  const tag = f.tag.trim().toLowerCase();
  if (symbol) p.set("symbol", symbol);
  if (tag) p.set("tag", tag);
  if (f.emotion) p.set("emotion", f.emotion);
  if (f.from) p.set("from", f.from);
  if (f.to) p.set("to", f.to);
  return p;
}

const withQuery = (p: URLSearchParams) => (p.size ? `?${p}` : "");

/** `?symbol=…&limit=…&before=…` for one page of the list. */
export function journalQuery(f: JournalFilters, page: { limit: number; before?: number }): string {
  const p = params(f);
  p.set("limit", String(page.limit));
  if (page.before !== undefined) p.set("before", String(page.before));
  return withQuery(p);
}

export function exportHref(f: JournalFilters): string {
  return `/api/journal/export.csv${withQuery(params(f))}`;
}

export function filtering(f: JournalFilters): boolean {
  return params(f).size > 0;
}
