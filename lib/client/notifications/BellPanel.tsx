/**
 * The bell's panel, loaded on the first open (islands/NotificationBell.tsx keeps only the button,
 * the live count and the toasts): the list, marking read, and the pop-up choices.
 */
import { useEffect, useState } from "preact/hooks";
import type { StreamNotification } from "./feed.ts";
import { callApi } from "../trading_fetch.ts";
import { markRead, mergeNotification, relativeTime } from "./feed.ts";
import {
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from "../../shared/notification_kinds.ts";

export interface BellPanelProps {
  csrfToken: string;
  unread: number | null;
  toastKinds: string[];
  /** The newest notification delivered live, merged into the list while it is open. */
  latest: StreamNotification | null;
  onUnread(n: number): void;
  onToastKinds(kinds: string[]): void;
}

interface Listing {
  notifications: StreamNotification[];
  unread: number;
}

export default function BellPanel(props: BellPanelProps) {
  const { csrfToken, unread, toastKinds, latest } = props;
  const [items, setItems] = useState<StreamNotification[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    callApi<Listing>("/api/notifications?limit=50").then((res) => {
      if (!res.ok) return setProblem(res.problem.message);
      setItems(res.data.notifications);
      props.onUnread(res.data.unread);
    });
  }, []);
  useEffect(() => {
    if (latest) setItems((list) => list && mergeNotification(list, latest));
  }, [latest?.id]);

  const read = async (ids: number[] | null) => {
    const res = await callApi<{ unread: number }>("/api/notifications/read", {
      method: "POST",
      body: ids ? { ids } : {},
      csrfToken,
    });
    if (!res.ok) return setProblem(res.problem.message);
    props.onUnread(res.data.unread);
    setItems((list) => list && markRead(list, ids, new Date().toISOString()));
  };

  const choose = async (kind: NotificationKind, on: boolean) => {
    const next = on ? [...toastKinds, kind] : toastKinds.filter((k) => k !== kind);
    const res = await callApi<{ settings: { toastKinds: string[] } }>("/api/settings", {
      method: "PATCH",
      body: { toastKinds: next },
      csrfToken,
    });
    if (!res.ok) return setProblem(res.problem.message);
    props.onToastKinds(res.data.settings?.toastKinds ?? next);
  };

  const now = Date.now();
  return (
    <section
      id="notification-panel"
      class="notification-panel glass"
      aria-label="Notifications"
      data-testid="notification-panel"
    >
      <header class="notification-panel__head">
        <h2>Notifications</h2>
        <button
          type="button"
          class="link-button"
          disabled={!unread}
          onClick={() => void read(null)}
        >
          Mark all read
        </button>
      </header>
      {problem && <p class="form-error" role="alert">{problem}</p>}
      {items === null && !problem && <p class="muted">Loading…</p>}
      {items?.length === 0 && (
        <p class="muted">
          Nothing yet. Fired alerts, filled or cancelled orders and trading halts land here.
        </p>
      )}
      {items && items.length > 0 && (
        <ul class="notification-list">
          {items.map((n) => (
            <li
              key={n.id}
              class={n.readAt ? "notification" : "notification notification--unread"}
              data-kind={n.kind}
            >
              {n.link
                ? (
                  <a href={n.link} onClick={() => !n.readAt && void read([n.id])}>
                    {n.title}
                  </a>
                )
                : <span>{n.title}</span>}
              {n.body && <p class="muted">{n.body}</p>}
              <time dateTime={n.createdAt} class="muted">{relativeTime(n.createdAt, now)}</time>
              {!n.readAt && (
                <button
                  type="button"
                  class="link-button"
                  aria-label={`Mark “${n.title}” read`}
                  onClick={() => void read([n.id])}
                >
                  Mark read
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <details class="notification-prefs">
        <summary>Pop-ups</summary>
        {NOTIFICATION_KINDS.map((k) => (
          <label key={k}>
            <input
              type="checkbox"
              checked={toastKinds.includes(k)}
              onChange={(e) => void choose(k, e.currentTarget.checked)}
            />{" "}
            {NOTIFICATION_KIND_LABELS[k]}
          </label>
        ))}
      </details>
    </section>
  );
}
