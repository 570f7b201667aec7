/** Bid, ask and last of the ticket's symbol, live from the stream, labelled when replayed. */
import { useEffect, useState } from "preact/hooks";
import { formatUsd } from "../../shared/money.ts";
import { useLiveQuotes } from "../quote_hub.ts";
import type { LiveQuote } from "../quote_stream.ts";
import { TicketReplayLabel } from "./TicketReplayLabel.tsx";

export function QuoteLine({ symbol }: { symbol: string | null }) {
  const live = useLiveQuotes(symbol ? [symbol] : []);
  const [fetched, setFetched] = useState<LiveQuote | null>(null);
  const [missing, setMissing] = useState<string | null>(null);

  useEffect(() => {
    setFetched(null);
    setMissing(null);
    if (!symbol) return;
    // The stream may stay quiet while the market is closed: ask once so the line is not empty.
    const ctl = new AbortController();
    fetch(`/api/market/quote/${encodeURIComponent(symbol)}`, { signal: ctl.signal })
      .then(async (res) => {
        const body = await res.json().catch(() => null);
        if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
        setFetched(body as LiveQuote);
      })
      .catch((err) => {
        if (!ctl.signal.aborted) setMissing((err as Error).message);
      });
    return () => ctl.abort();
  }, [symbol]);

  if (!symbol) {
    return (
      <p class="ticket-quote muted" data-testid="ticket-quote">Choose a symbol to see its quote.</p>
    );
  }
  const q = live[symbol] ?? fetched;
  if (!q) {
    return (
      <p class="ticket-quote muted" data-testid="ticket-quote">
        {missing ? `No quote for ${symbol}: ${missing}` : `Loading ${symbol} quote…`}
      </p>
    );
  }
  return (
    <p class="ticket-quote" data-testid="ticket-quote" aria-label={`${symbol} quote, USD`}>
      <strong>{symbol}</strong>
      <span>
        Bid <span class="num">{formatUsd(q.bid)}</span>
      </span>
      <span>
        Ask <span class="num">{formatUsd(q.ask)}</span>
      </span>
      <span>
        Last <span class="num">{formatUsd(q.last)}</span>
      </span>
      <span class="muted">USD</span>
      <TicketReplayLabel quote={q} />
      {q.stale && <span class="badge badge--todo">Stale</span>}
    </p>
  );
}
