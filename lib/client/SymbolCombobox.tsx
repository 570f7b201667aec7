/**
 * A symbol text box with suggestions from the search API, as a WAI-ARIA combobox: typing opens
 * the list, arrow keys move through it (wrapping), Enter picks the active option, Escape closes
 * the list, and a mouse pick happens on mousedown, before the box's blur closes it. What a pick
 * does is the caller's: the header search opens the symbol's page, the order ticket fills its
 * field. The label and the positioned wrapper around it are the caller's too.
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { SymbolMatch, SymbolSearch } from "../market/types.ts";
import { moveActive } from "../shared/search_nav.ts";

export interface SymbolComboboxProps {
  /** The input's id (for its label); the list's id and option ids derive from it. */
  id: string;
  /** The input's form field name. */
  name: string;
  value: string;
  /** Every edit of the text. */
  onInput(text: string): void;
  /** An option chosen with Enter or the mouse. */
  onPick(match: SymbolMatch): void;
  /** Which suggestions to offer (the ticket leaves out indexes, which cannot be traded). */
  accept?: (match: SymbolMatch) => boolean;
  /** Most suggestions shown. */
  max: number;
  /** Quiet time after typing before the search API is asked. */
  debounceMs: number;
  /** Open the list when the box gains focus, not only when typing. */
  openOnFocus?: boolean;
  type?: "search" | "text";
  placeholder: string;
  maxLength: number;
  testId: string;
  /** Id of an error message to announce with the box; marks it invalid. */
  errorId?: string;
}

/** Matches for `query` from `/api/market/search`, while `enabled`; none on failure. */
function useSymbolMatches(
  query: string,
  enabled: boolean,
  { accept, max, debounceMs }: Pick<SymbolComboboxProps, "accept" | "max" | "debounceMs">,
): SymbolMatch[] {
  const [matches, setMatches] = useState<SymbolMatch[]>([]);
  useEffect(() => {
    const q = query.trim();
    if (!q || !enabled) {
      setMatches([]);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/market/search?q=${encodeURIComponent(q)}`, { signal: ctl.signal })
        .then((res) => (res.ok ? res.json() as Promise<SymbolSearch> : null))
        .then((body) => {
          const list = Array.isArray(body?.matches) ? body.matches : [];
          setMatches((accept ? list.filter(accept) : list).slice(0, max));
        })
        // Suggestions are a convenience: a typed symbol works without them.
        .catch(() => {});
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [query, enabled]);
  return matches;
}

export function SymbolCombobox(props: SymbolComboboxProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const matches = useSymbolMatches(props.value, open, props);
  const listId = `${props.id}-list`;
  const expanded = open && matches.length > 0;

  // A new list starts with nothing chosen.
  useEffect(() => setActive(-1), [matches]);

  function pick(match: SymbolMatch) {
    setOpen(false);
    props.onPick(match);
  }

  function onKeyDown(event: JSX.TargetedKeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => moveActive(i, event.key === "ArrowDown" ? 1 : -1, matches.length));
    } else if (event.key === "Escape" && expanded) {
      // Close the list only: a second Escape reaches whatever holds the box (the ticket's review).
      event.stopPropagation();
      setOpen(false);
      setActive(-1);
    } else if (event.key === "Enter" && expanded && matches[active]) {
      event.preventDefault();
      pick(matches[active]);
    }
    // Enter with nothing chosen goes to the form: the typed text is what counts.
  }

  return (
    <>
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value}
        placeholder={props.placeholder}
        autocomplete="off"
        spellcheck={false}
        maxLength={props.maxLength}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={props.errorId ? true : undefined}
        aria-describedby={props.errorId}
        data-testid={props.testId}
        onInput={(e) => {
          props.onInput(e.currentTarget.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onFocus={props.openOnFocus ? () => setOpen(true) : undefined}
        onBlur={() => setOpen(false)}
      />
      <ul id={listId} role="listbox" class="symbol-combobox-list" hidden={!expanded}>
        {matches.map((m, i) => (
          <li
            key={m.symbol}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            class="symbol-combobox-option"
            // mousedown, not click: it comes before the input's blur closes the list.
            onMouseDown={(e) => {
              e.preventDefault();
              pick(m);
            }}
          >
            <strong>{m.symbol}</strong>
            <span>{m.name}</span>
            {m.type !== "stock" && <em>{m.type}</em>}
          </li>
        ))}
      </ul>
    </>
  );
}
