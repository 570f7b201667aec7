/**
 * One journal entry in the Journal section: when (New York time), what it is about, the
 * emotion and tags, the text, and Edit and Delete (asked first).
 */
import type { JournalEntry } from "../../shared/journal.ts";
import { formatDate } from "../../shared/format.ts";
import { formatMarketTime, marketDate } from "../../shared/format_time.ts";
import { symbolHref } from "../../shared/search_nav.ts";

const LINK_WORDS = { order: "Order", fill: "Fill", position: "Position", none: "Note" } as const;

function About({ e }: { e: JournalEntry }) {
  return (
    <span class="journal-about">
      {LINK_WORDS[e.link]}
      {e.symbol && (
        <>
          {" "}
          <a href={symbolHref(e.symbol)}>{e.symbol}</a>
        </>
      )}
      {e.orderId && (
        <span class="muted" title={`Order ${e.orderId}`}>· order {e.orderId.slice(0, 8)}</span>
      )}
    </span>
  );
}

export interface EntryItemProps {
  entry: JournalEntry;
  confirming: boolean;
  deleting: boolean;
  onEdit(): void;
  onAskDelete(): void;
  onDelete(): void;
  onKeep(): void;
}

export default function EntryItem(
  { entry: e, confirming, deleting, onEdit, onAskDelete, onDelete, onKeep }: EntryItemProps,
) {
  const day = marketDate(e.createdAt);
  return (
    <li class="journal-entry" data-testid={`journal-entry-${e.id}`}>
      <div class="journal-entry-head" id={`journal-entry-${e.id}-head`}>
        <time class="num muted" dateTime={e.createdAt}>
          {day ? formatDate(day) : ""} {formatMarketTime(e.createdAt)}
        </time>
        <About e={e} />
        {e.emotion && <span class="journal-chip journal-chip--emotion">{e.emotion}</span>}
        {e.tags.map((t) => <span key={t} class="journal-chip">#{t}</span>)}
      </div>
      {(["why", "plan", "lesson"] as const).map((k) =>
        e[k] && (
          <p key={k} class="journal-text">
            <strong>{k === "why" ? "Why" : k === "plan" ? "Plan" : "Lesson"}:</strong> {e[k]}
          </p>
        )
      )}
      <div class="journal-entry-actions">
        {confirming
          ? (
            <span role="group" aria-label="Delete this note?">
              <span>Delete this note?</span>{" "}
              <button
                type="button"
                class="journal-btn journal-btn--danger"
                disabled={deleting}
                data-testid={`journal-delete-confirm-${e.id}`}
                onClick={onDelete}
              >
                {deleting ? "Deleting…" : "Yes, delete"}
              </button>{" "}
              <button type="button" class="journal-btn" disabled={deleting} onClick={onKeep}>
                Keep
              </button>
            </span>
          )
          : (
            <>
              <button
                type="button"
                class="journal-btn"
                aria-describedby={`journal-entry-${e.id}-head`}
                data-testid={`journal-edit-${e.id}`}
                onClick={onEdit}
              >
                Edit
              </button>{" "}
              <button
                type="button"
                class="journal-btn"
                aria-describedby={`journal-entry-${e.id}-head`}
                data-testid={`journal-delete-${e.id}`}
                onClick={onAskDelete}
              >
                Delete
              </button>
            </>
          )}
      </div>
    </li>
  );
}
