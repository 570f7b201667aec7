/**
 * One quote stream per page: every island that wants live quotes registers here, and the hub
 * keeps a single EventSource open for the union of their symbols (browsers allow only six
 * connections per host over HTTP/1.1, and each island opening its own would waste them).
 * Islands share this module's state because the bundle puts shared code in one chunk.
 */
import { useEffect, useState } from "preact/hooks";
import {
  type LiveQuote,
  type SideEvents,
  type StreamStatus,
  subscribeQuotes,
} from "./quote_stream.ts";

type Listener = (quote: LiveQuote) => void;

const listeners = new Map<string, Set<Listener>>();
const statusListeners = new Set<(s: StreamStatus) => void>();
let close: (() => void) | null = null;
let openSymbols = "";
let scheduled = false;
let status: StreamStatus = "connecting";
/** The bell, when the page has one: its events ride on the same connection. */
let sideEvents: SideEvents | null = null;

function reconcile() {
  scheduled = false;
  // One page has one set of side events, so "+" is enough to tell them apart.
  const wanted = [...listeners.keys()].sort().join(",") + (sideEvents ? "+" : "");
  if (wanted === openSymbols) return;
  close?.();
  close = null;
  openSymbols = wanted;
  if (!wanted) return;
  close = subscribeQuotes({
    symbols: [...listeners.keys()],
    side: sideEvents || undefined,
    onQuote(quote) {
      for (const fn of listeners.get(quote.symbol.toUpperCase()) ?? []) fn(quote);
    },
    onStatus(s) {
      status = s;
      for (const fn of statusListeners) fn(s);
    },
  });
}

function schedule() {
  // Islands mount one after another: batch their subscriptions into one connection.
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(reconcile);
}

/** Calls `fn` with each quote for `symbol` until the returned function is called. */
export function watchQuote(symbol: string, fn: Listener): () => void {
  const key = symbol.toUpperCase();
  let set = listeners.get(key);
  if (!set) listeners.set(key, set = new Set());
  set.add(fn);
  schedule();
  return () => {
    set.delete(fn);
    if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
    schedule();
  };
}

/** The newest quote of each symbol, starting from `initial`; re-renders on every update. */
export function useLiveQuotes(
  symbols: readonly string[],
  initial: Record<string, LiveQuote | null> = {},
): Record<string, LiveQuote | null> {
  const [quotes, setQuotes] = useState(initial);
  const key = symbols.join(",");
  useEffect(() => {
    const stops = symbols.map((symbol) =>
      watchQuote(symbol, (q) => setQuotes((prev) => ({ ...prev, [symbol]: q })))
    );
    return () => stops.forEach((stop) => stop());
  }, [key]);
  return quotes;
}

/** Receives more events (`events.handlers`) over the page's one stream connection. */
export function watchStreamEvents(events: SideEvents): () => void {
  sideEvents = events;
  schedule();
  return () => {
    sideEvents = null;
    schedule();
  };
}

/** The stream's connection state, for a "reconnecting" hint. */
export function useStreamStatus(): StreamStatus {
  const [s, set] = useState(status);
  useEffect(() => {
    statusListeners.add(set);
    return () => void statusListeners.delete(set);
  }, []);
  return s;
}
