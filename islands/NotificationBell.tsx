import { useEffect, useRef, useState } from "preact/hooks";
import type { ComponentType } from "preact";
import { watchStreamEvents } from "../lib/client/quote_hub.ts";
import type { Toast as ToastView, ToastMessage } from "../lib/client/toast.tsx";
import { badgeText, type StreamNotification } from "../lib/client/notifications/feed.ts";
import type { BellPanelProps } from "../lib/client/notifications/BellPanel.tsx";

/**
 * The bell in the header: the unread count, live over the page's one stream connection, and a
 * toast for the kinds the user picked. The panel (list, mark read, pop-up choices) loads on the
 * first open, so pages pay for it only when someone reads their notifications.
 */
export default function NotificationBell({ csrfToken }: { csrfToken: string }) {
  const [unread, setUnread] = useState<number | null>(null);
  const [toastKinds, setToastKinds] = useState<string[]>([]);
  const [latest, setLatest] = useState<StreamNotification | null>(null);
  const [open, setOpen] = useState(false);
  const [Panel, setPanel] = useState<ComponentType<BellPanelProps> | null>(null);
  const [failed, setFailed] = useState(false);
  // The toast's code comes with the first notification that pops up, not with every page.
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const [ToastComp, setToastComp] = useState<typeof ToastView | null>(null);
  const shown = useRef(0);
  const showToast = (text: string) => {
    setToast({ kind: "info", text, n: ++shown.current });
    if (!ToastComp) {
      import("../lib/client/toast.tsx").then((mod) => setToastComp(() => mod.Toast)).catch(
        () => {},
      );
    }
  };
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 8_000);
    return () => clearTimeout(timer);
  }, [toast]);
  const kinds = useRef(toastKinds);
  kinds.current = toastKinds;
  const button = useRef<HTMLButtonElement>(null);

  // `/api/stream/quotes?notifications=1`: an `unread` event as it opens, then one
  // `notification` event per new notification (routes/api/stream.ts).
  useEffect(() =>
    watchStreamEvents({
      query: "notifications=1",
      attach(source) {
        source.addEventListener("unread", (e) => {
          const d = JSON.parse(e.data);
          setUnread(d.unread);
          setToastKinds(d.toastKinds ?? []);
        });
        source.addEventListener("notification", (e) => {
          const d = JSON.parse(e.data) as { notification: StreamNotification; unread: number };
          setUnread(d.unread);
          setLatest(d.notification);
          if (kinds.current.includes(d.notification.kind)) showToast(d.notification.title);
        });
      },
    }), []);

  useEffect(() => {
    if (!open || Panel) return;
    import("../lib/client/notifications/BellPanel.tsx")
      .then((mod) => setPanel(() => mod.default))
      .catch(() => setFailed(true));
  }, [open]);

  const badge = badgeText(unread);
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
        onClick={() => setOpen(!open)}
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
      {open && Panel && (
        <Panel
          csrfToken={csrfToken}
          unread={unread}
          toastKinds={toastKinds}
          latest={latest}
          onUnread={setUnread}
          onToastKinds={setToastKinds}
        />
      )}
      {open && !Panel && (
        <p class="notification-panel glass" role="status">
          {failed ? "The notifications could not load; reload the page." : "Loading…"}
        </p>
      )}
      <div class="bell-toast">
        {ToastComp && (
          <ToastComp
            toast={toast}
            onClose={() => setToast(null)}
            testId="notification-toast"
          />
        )}
      </div>
    </div>
  );
}
