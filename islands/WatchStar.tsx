import { useEffect, useState } from "preact/hooks";
import {
  addSymbol,
  fetchWatchlists,
  onWatchlistChanged,
  removeSymbol,
  type WatchlistData,
} from "../lib/client/watchlist/api.ts";

/** The star on a symbol's page: in the default watchlist or not, one press to change it. */
export default function WatchStar({ symbol, csrfToken }: { symbol: string; csrfToken: string }) {
  const [list, setList] = useState<WatchlistData | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    fetchWatchlists().then((res) => {
      if (res.ok) setList(res.data.watchlists[0] ?? null);
      else setProblem(res.problem.message);
    });
    return onWatchlistChanged((l) => setList((cur) => !cur || cur.id === l.id ? l : cur));
  }, []);

  const watched = !!list?.symbols.includes(symbol);
  const toggle = async () => {
    const res = watched
      ? await removeSymbol(list!.id, symbol, csrfToken)
      : await addSymbol(list?.id ?? null, symbol, csrfToken);
    setProblem(res.ok ? null : res.problem.message);
  };

  return (
    <span class="watch-star">
      <button
        type="button"
        class={watched ? "star star--on" : "star"}
        aria-pressed={watched}
        disabled={list === undefined}
        onClick={() => void toggle()}
        data-testid="watch-star"
        title={watched ? `Remove ${symbol} from ${list?.name}` : `Add ${symbol} to your watchlist`}
      >
        <span aria-hidden="true">{watched ? "★" : "☆"}</span>
        {watched ? " Watching" : " Watch"}
      </button>
      {problem && <span class="form-error" role="alert">{problem}</span>}
    </span>
  );
}
