import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { SymbolMatch, SymbolSearch as SearchResult } from "../lib/market/types.ts";
import { moveActive, symbolHref } from "../lib/shared/search_nav.ts";

interface SymbolSearchProps {
  /** Text to start with (the symbol of the page being shown, say). */
  initial?: string;
}

const DEBOUNCE_MS = 150;
const MAX_MATCHES = 8;

/**
 * The header's symbol box. Without JavaScript it is a GET form to `/symbol?q=`, which redirects
 * to the symbol's page; hydrated, it becomes a combobox with type-ahead from the search API,
 * arrow keys to move, Enter to open, Escape to close.
 */
export default function SymbolSearch({ initial = "" }: SymbolSearchProps) {
  const [text, setText] = useState(initial);
  const [matches, setMatches] = useState<SymbolMatch[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const listId = "symbol-search-list";

  useEffect(() => {
    const q = text.trim();
    if (!q) {
      setMatches([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/market/search?q=${encodeURIComponent(q)}`, { signal: ctl.signal })
        .then((res) => (res.ok ? res.json() as Promise<SearchResult> : null))
        .then((body) => {
          setMatches(body?.matches.slice(0, MAX_MATCHES) ?? []);
          setActive(-1);
        })
        // A failed suggestion list is not worth an error: the form still submits.
        .catch(() => {});
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [text]);

  function go(symbol: string) {
    setOpen(false);
    location.assign(symbolHref(symbol));
  }

  function onKeyDown(event: JSX.TargetedKeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => moveActive(i, event.key === "ArrowDown" ? 1 : -1, matches.length));
    } else if (event.key === "Escape") {
      setOpen(false);
      setActive(-1);
    } else if (event.key === "Enter" && open && active >= 0 && matches[active]) {
      event.preventDefault();
      go(matches[active].symbol);
    }
    // Enter with nothing chosen submits the form: the server resolves the typed text.
  }

  const expanded = open && matches.length > 0;
  return (
    <form
      ref={form}
      class="symbol-search"
      role="search"
      action="/symbol"
      method="get"
      onSubmit={() => setOpen(false)}
    >
      <label class="sr-only" for="symbol-search-input">Open a symbol</label>
      <input
        id="symbol-search-input"
        name="q"
        type="search"
        value={text}
        placeholder="Symbol, e.g. AAPL"
        autocomplete="off"
        spellcheck={false}
        maxLength={40}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        data-testid="symbol-search"
        onInput={(e) => {
          setText(e.currentTarget.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
      />
      <ul id={listId} role="listbox" class="symbol-search-list" hidden={!expanded}>
        {matches.map((m, i) => (
          <li
            key={m.symbol}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            class="symbol-search-option"
            // mousedown, not click: it comes before the input's blur closes the list.
            onMouseDown={(e) => {
              e.preventDefault();
              go(m.symbol);
            }}
          >
            <strong>{m.symbol}</strong>
            <span>{m.name}</span>
            {m.type !== "stock" && <em>{m.type}</em>}
          </li>
        ))}
      </ul>
    </form>
  );
}
