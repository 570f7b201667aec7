import { useState } from "preact/hooks";
import { SymbolCombobox } from "../lib/client/SymbolCombobox.tsx";
import { symbolHref } from "../lib/shared/search_nav.ts";

interface SymbolSearchProps {
  /** Text to start with (the symbol of the page being shown, say). */
  initial?: string;
}

/**
 * The header's symbol box. Without JavaScript it is a GET form to `/symbol?q=`, which redirects
 * to the symbol's page; hydrated, it becomes a combobox with type-ahead from the search API,
 * arrow keys to move, Enter to open the chosen symbol's page, Escape to close.
 */
export default function SymbolSearch({ initial = "" }: SymbolSearchProps) {
  const [text, setText] = useState(initial);
  return (
    <form class="symbol-search" role="search" action="/symbol" method="get">
      <label class="sr-only" for="symbol-search-input">Open a symbol</label>
      <SymbolCombobox
        id="symbol-search-input"
        name="q"
        type="search"
        value={text}
        onInput={setText}
        onPick={(m) => location.assign(symbolHref(m.symbol))}
        max={8}
        debounceMs={150}
        openOnFocus
        placeholder="Symbol, e.g. AAPL"
        maxLength={40}
        testId="symbol-search"
      />
    </form>
  );
}
