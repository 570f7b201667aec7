import { useEffect, useRef, useState } from "preact/hooks";
import type { LiveQuote } from "../lib/client/quote_stream.ts";
import { useLiveQuotes, useStreamStatus } from "../lib/client/quote_hub.ts";
import {
  direction,
  formatChange,
  formatChangePercent,
  formatPrice,
  formatVolume,
} from "../lib/shared/format.ts";
import { formatMarketTime } from "../lib/shared/format_time.ts";
import { replayDay } from "../lib/shared/market_day.ts";
import { ReplayLabel } from "../components/ReplayLabel.tsx";

interface QuoteHeaderProps {
  symbol: string;
  /** Company name when the server knew it. */
  name?: string | null;
  /** The quote the server rendered with, if it had one. */
  initial?: LiveQuote | null;
}

/**
 * The symbol page's live quote: last price with its change in colour and sign, bid/ask, volume
 * and day range, updated from the quote stream. Replayed history is labelled REPLAY with its
 * date and says its intraday values are simulated, and a quote served from cache after an
 * upstream failure is labelled stale.
 */
export default function QuoteHeader({ symbol, name = null, initial = null }: QuoteHeaderProps) {
  const quotes = useLiveQuotes([symbol], { [symbol]: initial });
  const status = useStreamStatus();
  const [error, setError] = useState<string | null>(null);
  const quote = quotes[symbol] ?? null;
  const [fetched, setFetched] = useState<LiveQuote | null>(null);
  const shown = quote ?? fetched;

  useEffect(() => {
    if (initial) return;
    // Outside market hours the stream may stay quiet: ask once so the header is never empty.
    const ctl = new AbortController();
    fetch(`/api/market/quote/${encodeURIComponent(symbol)}`, { signal: ctl.signal })
      .then(async (res) => {
        const body = await res.json();
        if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
        setFetched(body as LiveQuote);
      })
      .catch((err) => {
        if (!ctl.signal.aborted) setError((err as Error).message);
      });
    return () => ctl.abort();
  }, [symbol]);

  const tick = useTick(shown?.last ?? null);
  const dir = direction(shown?.change);
  const replayed = shown?.source === "replay";
  const replayDate = replayed ? replayDay(shown) : null;

  return (
    <section class="quote-header glass" aria-label={`${symbol} quote`} data-testid="quote-header">
      <div class="quote-title">
        <h1 class="quote-symbol">{symbol}</h1>
        <span class="quote-name">{name ?? shown?.description ?? ""}</span>
        {replayed && <ReplayLabel id="quote-replay" date={replayDate} testId="replay-badge" />}
        {shown?.stale && (
          <span class="badge badge--todo" title="Served from cache: the data source is failing">
            Stale
          </span>
        )}
      </div>
      {shown
        ? (
          <>
            <div class="quote-main" aria-live="polite" aria-atomic="true">
              <span
                class={`quote-last ${tick ? `quote-last--${tick.dir}` : ""}`}
                key={tick?.n}
                data-testid="quote-last"
              >
                {formatPrice(shown.last)}
              </span>
              <span class="quote-unit">USD</span>
              <span class={`quote-change quote-change--${dir}`} data-testid="quote-change">
                {formatChange(shown.change)} ({formatChangePercent(shown.changePercent)})
              </span>
            </div>
            <dl class="quote-stats">
              <div>
                <dt>Bid × size</dt>
                <dd>
                  {formatPrice(shown.bid)} × {formatVolume(shown.bidSize)}
                </dd>
              </div>
              <div>
                <dt>Ask × size</dt>
                <dd>
                  {formatPrice(shown.ask)} × {formatVolume(shown.askSize)}
                </dd>
              </div>
              <div>
                <dt>Volume</dt>
                <dd>{formatVolume(shown.volume)}</dd>
              </div>
              <div>
                <dt>Day range</dt>
                <dd>{formatPrice(shown.low)} – {formatPrice(shown.high)}</dd>
              </div>
              <div>
                <dt>Open · prev close</dt>
                <dd>{formatPrice(shown.open)} · {formatPrice(shown.prevClose)}</dd>
              </div>
              <div>
                <dt>As of (New York)</dt>
                <dd data-testid="quote-time">{formatMarketTime(shown.timestamp)}</dd>
              </div>
            </dl>
          </>
        )
        : error
        ? <p class="state state--error" role="alert">No quote for {symbol}: {error}</p>
        : <p class="state state--loading">Loading quote…</p>}
      {status === "reconnecting" && (
        <p class="quote-conn" role="status">Live updates interrupted, reconnecting…</p>
      )}
    </section>
  );
}

/** Counts price changes and their direction, so the price can flash green or red on each tick. */
function useTick(last: number | null): { n: number; dir: "up" | "down" } | null {
  const prev = useRef(last);
  const [tick, setTick] = useState<{ n: number; dir: "up" | "down" } | null>(null);
  useEffect(() => {
    const before = prev.current;
    prev.current = last;
    if (before === null || last === null || before === last) return;
    setTick((t) => ({ n: (t?.n ?? 0) + 1, dir: last > before ? "up" : "down" }));
  }, [last]);
  return tick;
}
