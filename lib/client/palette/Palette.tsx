/**
 * The command palette: a WAI-ARIA combobox (the text box owns a listbox; arrows move the active
 * option, named by aria-activedescendant; Enter runs it; Escape closes). A command that changes
 * something opens a confirmation first, whose Escape or Cancel goes back with nothing done.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { STAGES } from "../../shared/stages.ts";
import { moveActive } from "../../shared/search_nav.ts";
import {
  actionCommands,
  type Command,
  rankCommands,
  stageCommands,
  uniqueById,
} from "./commands.ts";
import { loadRecent, rememberRecent } from "./recent.ts";
import { runCommand } from "./run.ts";
import { usePaletteSources } from "./use_sources.ts";

const storage = (): Storage | undefined => {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
};

export default function Palette({ csrfToken, onClose }: { csrfToken: string; onClose(): void }) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const [pending, setPending] = useState<Command | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const sources = usePaletteSources(query);
  const fixed = useMemo(
    () => [
      ...stageCommands(STAGES),
      ...actionCommands(document.documentElement.dataset.theme),
    ],
    [],
  );
  const recent = useMemo(() => loadRecent(storage()), []);
  const results = useMemo(() => {
    const ranked = rankCommands(query, [...fixed, ...sources.lists]);
    // Symbols the search API found lead a query; recent items lead an empty one.
    return uniqueById(query.trim() ? [...sources.symbols, ...ranked] : [...recent, ...ranked]);
  }, [query, fixed, sources.lists, sources.symbols, recent]);
  useEffect(() => setActive(0), [results]);
  useEffect(() => {
    if (!pending) input.current?.focus();
  }, [pending]);

  const choose = async (command: Command | undefined) => {
    if (!command) return;
    if (command.confirm && pending !== command) return setPending(command);
    rememberRecent(storage(), command);
    setBusy(true);
    setProblem(null);
    const failed = await runCommand(command, csrfToken);
    setBusy(false);
    setPending(null);
    if (failed) setProblem(failed);
    else if (command.run.kind === "theme") onClose();
  };

  if (pending) {
    return (
      <div
        class="palette-confirm"
        role="alertdialog"
        aria-labelledby="palette-confirm-text"
        data-testid="palette-confirm"
        onKeyDown={(e) => {
          if (e.key === "Escape" && !busy) {
            e.preventDefault();
            e.stopPropagation();
            setPending(null);
          }
        }}
      >
        <h2 class="palette-confirm-title">{pending.title}</h2>
        <p id="palette-confirm-text">{pending.confirm}</p>
        <div class="palette-confirm-buttons">
          <button
            type="button"
            class="button"
            disabled={busy}
            onClick={() => void choose(pending)}
            data-testid="palette-confirm-yes"
          >
            {busy ? "Working…" : "Confirm"}
          </button>
          {/* Focused first, so a stray Enter cancels rather than confirms. */}
          <button
            type="button"
            class="link-button"
            ref={(b) => b?.focus()}
            disabled={busy}
            onClick={() => setPending(null)}
          >
            Cancel <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    );
  }

  const listId = "palette-list";
  const optionId = (i: number) => `palette-option-${i}`;
  let group = "";
  return (
    <div class="palette-body">
      <label class="sr-only" for="palette-input">Search commands, stages and symbols</label>
      <input
        ref={input}
        id="palette-input"
        class="palette-input"
        type="text"
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results[active] ? optionId(active) : undefined}
        autocomplete="off"
        spellcheck={false}
        placeholder="Type a command, a stage or a symbol…"
        maxLength={60}
        value={query}
        data-testid="palette-input"
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown" || e.key === "ArrowUp") {
            e.preventDefault();
            setActive((i) => moveActive(i, e.key === "ArrowDown" ? 1 : -1, results.length));
          } else if (e.key === "Enter") {
            e.preventDefault();
            void choose(results[active]);
          } else if (e.key === "Escape") {
            e.preventDefault();
            onClose();
          }
        }}
      />
      <ul id={listId} role="listbox" aria-label="Commands" class="palette-list">
        {results.map((c, i) => {
          const heading = c.group !== group ? (group = c.group) : null;
          return (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              class={`palette-option${i === active ? " is-active" : ""}`}
              data-command={c.id}
              onMouseDown={(e) => (e.preventDefault(), void choose(c))}
              onMouseMove={() => i !== active && setActive(i)}
            >
              {heading && <span class="palette-group">{heading}</span>}
              <span class="palette-title">{c.title}</span>
              {c.hint && <span class="palette-hint num">{c.hint}</span>}
            </li>
          );
        })}
      </ul>
      <p class="palette-status muted" role="status" aria-live="polite">
        {problem ?? (results.length === 0
          ? (sources.searching ? "Searching symbols…" : "Nothing matches.")
          : sources.problem ?? `${results.length} results · ↑↓ to move, Enter to open`)}
      </p>
    </div>
  );
}
