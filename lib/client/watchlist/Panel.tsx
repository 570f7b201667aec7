import { useEffect, useRef, useState } from "preact/hooks";
import { useLiveQuotes } from "../quote_hub.ts";
import type { LiveQuote } from "../quote_stream.ts";
import { direction, formatChangePercent, formatPrice } from "../../shared/format.ts";
import { replayDay } from "../../shared/market_day.ts";
import { checkSymbol } from "../../shared/ticker.ts";
import {
  addSymbol,
  fetchWatchlists,
  onWatchlistChanged,
  removeSymbol,
  reorder,
  type WatchlistData,
} from "./api.ts";
import { moved, pushPoint, sparklinePath } from "./sparkline.ts";

const W = 56;
const H = 18;

/**
 * The watchlist's body (islands/WatchlistPanel.tsx loads it after the first paint): each symbol's live last price, change % and a sparkline of
 * the prices streamed since the page opened. Arrow keys move between rows, Alt+arrows move a
 * symbol, Delete removes it; Enter opens its page. Replayed prices say so.
 */
export default function WatchlistBody({ csrfToken }: { csrfToken: string }) {
  const [lists, setLists] = useState<WatchlistData[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const rows = useRef<HTMLUListElement>(null);

  useEffect(() => {
    fetchWatchlists().then((res) => {
      if (res.ok) setLists(res.data.watchlists);
      else setProblem(res.problem.message);
    });
    return onWatchlistChanged((changed) =>
      setLists((all) => {
        if (!all) return [changed];
        return all.some((l) => l.id === changed.id)
          ? all.map((l) => l.id === changed.id ? changed : l)
          : [...all, changed];
      })
    );
  }, []);

  const list = lists?.[selected] ?? lists?.[0] ?? null;
  const symbols = list?.symbols ?? [];
  const quotes = useLiveQuotes(symbols);
  const series = useSeries(quotes);

  const run = async (p: Promise<{ ok: boolean; problem?: { message: string } }>) => {
    const res = await p;
    setProblem(res.ok ? null : res.problem?.message ?? "That did not work.");
    return res.ok;
  };

  const add = async (e: Event) => {
    e.preventDefault();
    const checked = checkSymbol(draft);
    if (!checked.ok) return setProblem(checked.message);
    if (await run(addSymbol(list?.id ?? null, checked.symbol, csrfToken))) setDraft("");
  };

  const onKey = (e: KeyboardEvent, symbol: string, i: number) => {
    const focusRow = (j: number) =>
      rows.current?.querySelectorAll<HTMLAnchorElement>("a.watch-row__link")[j]?.focus();
    if (!list) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const by = e.key === "ArrowDown" ? 1 : -1;
      if (e.altKey) {
        const next = moved(symbols, symbol, by);
        void run(reorder(list.id, next, csrfToken)).then(() => focusRow(next.indexOf(symbol)));
      } else focusRow(Math.max(0, Math.min(symbols.length - 1, i + by)));
    } else if (e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault();
      void run(removeSymbol(list.id, symbol, csrfToken)).then(() => focusRow(Math.max(0, i - 1)));
    }
  };

  const replayed = symbols.map((s) => quotes[s]).find((q) => q?.source === "replay");
  return (
    <section class="watchlist" aria-label="Watchlist" data-testid="watchlist-panel">
      <header class="watchlist__head">
        {lists && lists.length > 1
          ? (
            <select
              aria-label="Watchlist"
              value={selected}
              onChange={(e) => setSelected(Number(e.currentTarget.value))}
            >
              {lists.map((l, i) => <option key={l.id} value={i}>{l.name}</option>)}
            </select>
          )
          : <h2 class="watchlist__title">{list?.name ?? "Watchlist"}</h2>}
        {replayed && (
          <span class="badge badge--replay" title="Replayed history, not live prices">
            REPLAY {replayDay(replayed)}
          </span>
        )}
      </header>
      {lists === null && !problem && <p class="muted">Loading…</p>}
      {lists !== null && symbols.length === 0 && (
        <p class="muted">No symbols yet: add one below, or star it on its page.</p>
      )}
      {symbols.length > 0 && (
        <ul class="watch-rows" ref={rows}>
          {symbols.map((s, i) => {
            const q = quotes[s];
            const dir = direction(q?.changePercent);
            return (
              <li key={s} class="watch-row" data-symbol={s}>
                <a
                  class="watch-row__link"
                  href={`/symbol/${encodeURIComponent(s)}`}
                  onKeyDown={(e) => onKey(e, s, i)}
                  aria-keyshortcuts="ArrowUp ArrowDown Alt+ArrowUp Alt+ArrowDown Delete"
                >
                  <span class="watch-row__symbol">{s}</span>
                  <svg class={`spark spark--${dir}`} width={W} height={H} aria-hidden="true">
                    <path d={sparklinePath(series[s] ?? [], W, H)} />
                  </svg>
                  <span class="watch-row__last" data-testid="watch-last">
                    {q?.last != null ? formatPrice(q.last) : "—"}
                  </span>
                  <span class={`watch-row__change ${dir}`}>
                    {formatChangePercent(q?.changePercent)}
                  </span>
                </a>
                <button
                  type="button"
                  class="watch-row__remove"
                  aria-label={`Remove ${s}`}
                  tabIndex={-1}
                  onClick={() => void run(removeSymbol(list!.id, s, csrfToken))}
                >
                  ×
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {problem && <p class="form-error" role="alert">{problem}</p>}
      <form class="watchlist__add" onSubmit={add}>
        <input
          type="text"
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value.toUpperCase())}
          placeholder="Add symbol"
          aria-label="Add a symbol to the watchlist"
          maxLength={10}
          autocomplete="off"
        />
        <button type="submit" class="button button--small" disabled={!draft.trim()}>Add</button>
      </form>
    </section>
  );
}

/** Each symbol's streamed last prices since the page opened. */
function useSeries(quotes: Record<string, LiveQuote | null>): Record<string, number[]> {
  const store = useRef<Record<string, number[]>>({});
  for (const [s, q] of Object.entries(quotes)) {
    if (q?.last != null) store.current[s] = pushPoint(store.current[s] ?? [], q.last);
  }
  return store.current;
}
