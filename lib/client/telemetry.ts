/**
 * The browser's telemetry sender, loaded (by islands/Telemetry.tsx, with a dynamic import after
 * the first paint) only on pages of users whose `telemetry` setting is on. It batches events and
 * sends them to `POST /api/telemetry`: when 20 are waiting, 10 s after the first one, and when
 * the page is hidden or left. The last send uses `fetch` with `keepalive` rather than
 * `sendBeacon`: it outlives the page the same way, and unlike a beacon it can carry the CSRF
 * header the API requires of cookie-authenticated calls.
 *
 * What it records (lib/shared/telemetry.ts says what may be sent): the page opened, the kind of
 * each palette command (the palette announces them with `COMMAND_EVENT`), and client errors,
 * scrubbed of digits, e-mail addresses and URLs, at most five per page.
 */
import {
  commandKind,
  MAX_BATCH,
  pageOf,
  scrubMessage,
  type TelemetryEvent,
  type TelemetryPage,
} from "../shared/telemetry.ts";

/** Window event the palette dispatches when it runs a command; `detail` is the command id. */
export const COMMAND_EVENT = "paiid:command";

/** Tells telemetry (if loaded) which command ran; a no-op otherwise. */
export function announceCommand(id: string, target: EventTarget = globalThis): void {
  target.dispatchEvent(new CustomEvent(COMMAND_EVENT, { detail: id }));
}

export interface SenderOptions {
  csrfToken: string;
  /** Send when this many wait. Default 20. */
  batchSize?: number;
  /** Send this long after the first waiting event. Default 10 s. */
  delayMs?: number;
  /** Most client errors reported per page. Default 5. */
  maxErrors?: number;
  fetch?: typeof fetch;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
}

export interface TelemetrySender {
  record(event: TelemetryEvent): void;
  recordError(message: string, page?: TelemetryPage): void;
  /** Sends what waits now; `leaving` when the page is going away. */
  flush(leaving?: boolean): Promise<void>;
  readonly pending: number;
}

export function createSender(opts: SenderOptions): TelemetrySender {
  const batchSize = Math.min(opts.batchSize ?? 20, MAX_BATCH);
  const delayMs = opts.delayMs ?? 10_000;
  const maxErrors = opts.maxErrors ?? 5;
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const schedule = opts.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
  const cancel = opts.clearTimeout ??
    ((id) => clearTimeout(id as ReturnType<typeof setTimeout>));
  let queue: TelemetryEvent[] = [];
  let timer: unknown = null;
  let errors = 0;
  const seenErrors = new Set<string>();

  const flush = async (leaving = false) => {
    if (timer !== null) cancel(timer);
    timer = null;
    while (queue.length > 0) {
      const events = queue.slice(0, MAX_BATCH);
      queue = queue.slice(MAX_BATCH);
      try {
        await doFetch("/api/telemetry", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": opts.csrfToken },
          body: JSON.stringify({ events }),
          credentials: "same-origin",
          keepalive: leaving,
        });
      } catch {
        // Usage counts are not worth a retry or an error on screen.
      }
    }
  };

  const record = (event: TelemetryEvent) => {
    queue.push(event);
    if (queue.length >= batchSize) void flush();
    else if (timer === null) timer = schedule(() => void flush(), delayMs);
  };

  return {
    record,
    recordError(message, page) {
      const clean = scrubMessage(message);
      if (!clean || errors >= maxErrors || seenErrors.has(clean)) return;
      errors++;
      seenErrors.add(clean);
      record({ name: "client_error", message: clean, ...(page ? { page } : {}) });
    },
    flush,
    get pending() {
      return queue.length;
    },
  };
}

/**
 * Starts telemetry on this page: records the page opened, listens for commands and errors, and
 * sends on the way out. Returns a function that stops listening.
 */
export function startTelemetry(csrfToken: string): () => void {
  const sender = createSender({ csrfToken });
  const page = pageOf(location.pathname);
  sender.record({ name: "stage_opened", page });
  const onCommand = (e: Event) => {
    const id = (e as CustomEvent<unknown>).detail;
    if (typeof id === "string") {
      sender.record({ name: "command_used", command: commandKind(id), page });
    }
  };
  const onError = (e: ErrorEvent) => sender.recordError(e.message || "error", page);
  const onRejection = (e: PromiseRejectionEvent) => {
    const reason = e.reason;
    sender.recordError(reason instanceof Error ? reason.message : "unhandled rejection", page);
  };
  const onHide = () => {
    if (document.visibilityState === "hidden") void sender.flush(true);
  };
  const onLeave = () => void sender.flush(true);
  addEventListener(COMMAND_EVENT, onCommand);
  addEventListener("error", onError);
  addEventListener("unhandledrejection", onRejection);
  document.addEventListener("visibilitychange", onHide);
  addEventListener("pagehide", onLeave);
  return () => {
    removeEventListener(COMMAND_EVENT, onCommand);
    removeEventListener("error", onError);
    removeEventListener("unhandledrejection", onRejection);
    document.removeEventListener("visibilitychange", onHide);
    removeEventListener("pagehide", onLeave);
  };
}
