/**
 * The watchlist calls the panel and the star share, and the window event that keeps them in
 * step: whoever changes a list announces the new list, and every island showing it updates.
 */
import { type ApiResult, callApi } from "../trading_fetch.ts";

export interface WatchlistData {
  id: number;
  name: string;
  isDefault: boolean;
  symbols: string[];
}

export const WATCHLIST_CHANGED_EVENT = "paiid:watchlist-changed";

export function announce(list: WatchlistData): void {
  globalThis.dispatchEvent(new CustomEvent(WATCHLIST_CHANGED_EVENT, { detail: list }));
}

/** Calls `fn` with each announced list until the returned function is called. */
export function onWatchlistChanged(fn: (list: WatchlistData) => void): () => void {
  const listener = (e: Event) => fn((e as CustomEvent<WatchlistData>).detail);
  globalThis.addEventListener(WATCHLIST_CHANGED_EVENT, listener);
  return () => globalThis.removeEventListener(WATCHLIST_CHANGED_EVENT, listener);
}

export function fetchWatchlists(): Promise<ApiResult<{ watchlists: WatchlistData[] }>> {
  return callApi("/api/watchlists");
}

/** Adds `symbol` to the list, or to a new default list when `listId` is null. */
export async function addSymbol(
  listId: number | null,
  symbol: string,
  csrfToken: string,
): Promise<ApiResult<{ watchlist: WatchlistData }>> {
  const res = listId === null
    ? await callApi<{ watchlist: WatchlistData }>("/api/watchlists", {
      method: "POST",
      body: { name: "My watchlist", symbols: [symbol] },
      csrfToken,
    })
    : await callApi<{ watchlist: WatchlistData }>(`/api/watchlists/${listId}/symbols`, {
      method: "POST",
      body: { symbol },
      csrfToken,
    });
  if (res.ok) announce(res.data.watchlist);
  return res;
}

export async function removeSymbol(
  listId: number,
  symbol: string,
  csrfToken: string,
): Promise<ApiResult<{ watchlist: WatchlistData }>> {
  const res = await callApi<{ watchlist: WatchlistData }>(
    `/api/watchlists/${listId}/symbols/${encodeURIComponent(symbol)}`,
    { method: "DELETE", csrfToken },
  );
  if (res.ok) announce(res.data.watchlist);
  return res;
}

export async function reorder(
  listId: number,
  symbols: string[],
  csrfToken: string,
): Promise<ApiResult<{ watchlist: WatchlistData }>> {
  const res = await callApi<{ watchlist: WatchlistData }>(`/api/watchlists/${listId}`, {
    method: "PATCH",
    body: { symbols },
    csrfToken,
  });
  if (res.ok) announce(res.data.watchlist);
  return res;
}
