import { useEffect, useRef, useState } from "preact/hooks";
import { watchNotifications } from "../lib/client/quote_hub.ts";
import type { StreamNotification } from "../lib/client/quote_stream.ts";
import { callApi } from "../lib/client/trading_fetch.ts";
import { Toast, useToast } from "../lib/client/toast.tsx";
import {
  badgeText,
  markRead,
  mergeNotification,
  relativeTime,
} from "../lib/client/notifications/feed.ts";
import {
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from "../lib/shared/notification_kinds.ts";

interface Listing {
  notifications: StreamNotification[];
  unread: number;
}

/**
 * The bell in the header: the unread count, live over the page's one stream connection; a
 * panel to read notifications, mark them read and jump to their source; a toast for the kinds
 * the user picked (chosen at the panel's foot, kept in their settings).
 */
export default function NotificationBell({ csrfToken }: { csrfToken: string }) {
  const [unread, setUnread] = useState<number | null>(null);
  const [toastKinds, setToastKinds] = useState<string[]>([]);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<StreamNotification[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [toast, showToast, clearToast] = useToast();
  const kinds = useRef(toastKinds);
  kinds.current = toastKinds;
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() =>
    watchNotifications({
      onUnread(n, chosen) {
        setUnread(n);
        setToastKinds(chosen);
      },
      onNotification(n, count) {
        setUnread(count);
        setItems((list) => list && mergeNotification(list, n));
        if (kinds.current.includes(n.kind)) showToast("info", n.title);
      },
    }), []);

  const load = async () => {
    setProblem(null);
    const res = await callApi<Listing>("/api/notifications?limit=50");
    if (!res.ok) return setProblem(res.problem.message);
    setItems(res.data.notifications);
    setUnread(res.data.unread);
  };

  const toggle = () => {
    const next = !open;
    setOpen(next);
    if (next) void load();
  };

  const read = async (ids: number[] | null) => {
    const res = await callApi<{ unread: number }>("/api/notifications/read", {
      method: "POST",
      body: ids ? { ids } : {},
      csrfToken,
    });
    if (!res.ok) return setProblem(res.problem.message);
    setUnread(res.data.unread);
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
    setToastKinds(res.data.settings?.toastKinds ?? next);
  };

  const badge = badgeText(unread);
  const now = Date.now();
  return (
    <div
      class="bell"
      onKeyDown={(e) => {
        if (e.key === "Escape" && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        class="bell-button"
        aria-expanded={open}
        aria-controls="notification-panel"
        aria-label={`Notifications${unread ? `, ${unread} unread` : ""}`}
        data-testid="notification-bell"
        onClick={toggle}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
          <path
            d="M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zm-2 15a2 2 0 0 0 4 0"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
          />
        </svg>
        {badge && <span class="bell-count" data-testid="notification-count">{badge}</span>}
      </button>
      {open && (
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
      )}
      <div class="bell-toast">
        <Toast toast={toast} onClose={clearToast} testId="notification-toast" />
      </div>
    </div>
  );
}
