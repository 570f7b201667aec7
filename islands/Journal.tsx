import { useState } from "preact/hooks";
import { type Emotion, EMOTIONS } from "../lib/shared/journal.ts";
import type { JournalPage } from "../lib/client/journal/api.ts";
import { removeNote } from "../lib/client/journal/api.ts";
import { exportHref, filtering, NO_FILTERS } from "../lib/client/journal/filters.ts";
import { useJournal } from "../lib/client/journal/use_journal.ts";
import EntryItem from "../lib/client/journal/entry_item.tsx";
import LazyNoteForm from "../lib/client/journal/LazyNoteForm.tsx";
import { Toast, useToast } from "../lib/client/toast.tsx";

interface JournalProps {
  csrfToken: string;
  /** The first page of the unfiltered list, as the server rendered it; null to load it here. */
  initial?: JournalPage | null;
}

/**
 * The trading journal on Active Positions: every note, newest first, filtered by symbol, tag,
 * emotion and New York days, a page at a time; a free-standing New note; Edit and Delete on
 * each; Export CSV of what the filters select. Notes written from a position or an order row
 * appear here as they are saved.
 */
export default function Journal({ csrfToken, initial = null }: JournalProps) {
  const list = useJournal(initial);
  const { draft, setDraft, load } = list;
  const [writing, setWriting] = useState(false);
  const [editing, setEditing] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [toast, showToast, clearToast] = useToast();

  async function remove(id: number) {
    setDeleting(true);
    const res = await removeNote(csrfToken, id);
    setDeleting(false);
    setConfirming(null);
    if (res.ok) showToast("success", "Note deleted.");
    else showToast("error", res.problem.message);
  }

  return (
    <section class="journal glass" aria-labelledby="journal-title" data-testid="journal">
      <div class="journal-head">
        <h2 id="journal-title" class="journal-title">Journal</h2>
        <span class="muted">Times in New York</span>
        <button
          type="button"
          class="journal-btn"
          data-testid="journal-new"
          disabled={writing}
          onClick={() => setWriting(true)}
        >
          New note
        </button>
        <a
          class="journal-btn"
          href={exportHref(list.applied)}
          download
          data-testid="journal-export"
        >
          Export CSV
        </a>
      </div>
      {writing && (
        <LazyNoteForm
          csrfToken={csrfToken}
          link={null}
          title="New journal note"
          idPrefix="journal-new"
          onSaved={() => setWriting(false)}
          onCancel={() => setWriting(false)}
        />
      )}
      <form
        class="journal-filters"
        aria-label="Filter the journal"
        onSubmit={(e) => {
          e.preventDefault();
          list.apply();
        }}
      >
        <label>
          <span class="journal-label">Symbol</span>
          <input
            value={draft.symbol}
            maxLength={10}
            data-testid="journal-filter-symbol"
            onInput={(e) => setDraft({ symbol: e.currentTarget.value })}
          />
        </label>
        <label>
          <span class="journal-label">Tag</span>
          <input value={draft.tag} onInput={(e) => setDraft({ tag: e.currentTarget.value })} />
        </label>
        <label>
          <span class="journal-label">Emotion</span>
          <select
            value={draft.emotion}
            onChange={(e) => setDraft({ emotion: e.currentTarget.value as Emotion | "" })}
          >
            <option value="">Any</option>
            {EMOTIONS.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
        <label>
          <span class="journal-label">From</span>
          <input
            type="date"
            value={draft.from}
            onInput={(e) => setDraft({ from: e.currentTarget.value })}
          />
        </label>
        <label>
          <span class="journal-label">To</span>
          <input
            type="date"
            value={draft.to}
            onInput={(e) => setDraft({ to: e.currentTarget.value })}
          />
        </label>
        <button type="submit" class="journal-btn" data-testid="journal-filter-apply">Filter</button>
        {filtering(list.applied) && (
          <button
            type="button"
            class="journal-btn"
            onClick={() => list.apply(NO_FILTERS)}
          >
            Clear
          </button>
        )}
      </form>
      {load.state === "error" && <p class="state state--error" role="alert">{load.message}</p>}
      {list.entries.length === 0
        ? (
          <p class="state" role="status" data-testid="journal-empty">
            {load.state === "loading"
              ? "Loading the journal…"
              : filtering(list.applied)
              ? "No notes match these filters."
              : "No notes yet. Add one from a position or an order, or write a New note."}
          </p>
        )
        : (
          <ul class="journal-list" data-testid="journal-list">
            {list.entries.map((e) =>
              editing === e.id
                ? (
                  <li key={e.id}>
                    <LazyNoteForm
                      csrfToken={csrfToken}
                      link={null}
                      entry={e}
                      title="Edit journal note"
                      idPrefix={`journal-edit-${e.id}`}
                      onSaved={() => setEditing(null)}
                      onCancel={() => setEditing(null)}
                    />
                  </li>
                )
                : (
                  <EntryItem
                    key={e.id}
                    entry={e}
                    confirming={confirming === e.id}
                    deleting={deleting}
                    onEdit={() => setEditing(e.id)}
                    onAskDelete={() => setConfirming(e.id)}
                    onDelete={() => void remove(e.id)}
                    onKeep={() => setConfirming(null)}
                  />
                )
            )}
          </ul>
        )}
      {list.more && (
        <button
          type="button"
          class="journal-btn journal-more"
          disabled={load.state === "loading"}
          onClick={list.loadMore}
        >
          {load.state === "loading" ? "Loading…" : "Older notes"}
        </button>
      )}
      <Toast toast={toast} onClose={clearToast} testId="journal-toast" />
    </section>
  );
}
